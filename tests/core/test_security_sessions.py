"""Session timeouts: SESSION_IDLE_MINUTES without a request signs the user out (activity keeps
the session alive); SESSION_COOKIE_AGE after sign-in signs out whatever the activity; the user
lands on the sign-in page with the reason in Chinese."""

import time

import pytest
from django.urls import reverse

from tests.factories import PASSWORD
from zhengxie.core.middleware import LAST_SEEN_KEY, SIGNED_IN_KEY
from zhengxie.core.models import AuditAction, AuditEntry
from zhengxie.core.tokens import issue_token

IDLE = "您已 30 分钟未操作,为保护账号安全已自动退出,请重新登录。"


@pytest.fixture(autouse=True)
def _timeouts(settings):
    settings.SESSION_IDLE_MINUTES = 30
    settings.SESSION_COOKIE_AGE = 12 * 3600


def _set(client, **values):
    session = client.session
    session.update(values)
    session.save()


def test_sign_in_starts_both_clocks(login, staff_user):
    client = login(staff_user)
    now = time.time()
    assert abs(client.session[SIGNED_IN_KEY] - now) < 5
    assert abs(client.session[LAST_SEEN_KEY] - now) < 5


def test_idle_session_signs_out_to_the_login_page_in_chinese(login, staff_user):
    client = login(staff_user)
    _set(client, **{LAST_SEEN_KEY: int(time.time()) - 31 * 60})
    url = reverse("proposals:list")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('core:login')}?next={url}"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert IDLE in page.content.decode()
    logout = AuditEntry.objects.filter(action=AuditAction.LOGOUT, actor=staff_user)
    assert logout.count() == 1


def test_activity_keeps_the_session_alive(login, staff_user):
    client = login(staff_user)
    _set(client, **{LAST_SEEN_KEY: int(time.time()) - 29 * 60})
    assert client.get(reverse("core:home")).status_code == 200
    assert abs(client.session[LAST_SEEN_KEY] - time.time()) < 5  # the idle clock restarted
    assert client.get(reverse("proposals:list")).status_code == 200


def test_the_idle_limit_follows_the_setting(login, staff_user, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client = login(staff_user)
    _set(client, **{LAST_SEEN_KEY: int(time.time()) - 6 * 60})
    assert client.get(reverse("core:home")).status_code == 302


def test_a_session_ends_at_its_absolute_lifetime_despite_activity(login, staff_user):
    client = login(staff_user)
    _set(client, **{SIGNED_IN_KEY: int(time.time()) - 12 * 3600 - 1})
    response = client.get(reverse("core:home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("core:login"))
    assert "登录已超过 12 小时,为保护账号安全已自动退出,请重新登录。" in response.content.decode()


def test_an_idle_htmx_request_sends_the_whole_page_to_login(login, staff_user):
    client = login(staff_user)
    _set(client, **{LAST_SEEN_KEY: int(time.time()) - 31 * 60})
    response = client.get(reverse("proposals:list"), headers={"HX-Request": "true"})
    assert (response.status_code, response["HX-Redirect"]) == (204, reverse("core:login"))


def test_an_idle_session_api_call_answers_401_in_chinese(login, staff_user):
    client = login(staff_user)
    _set(client, **{LAST_SEEN_KEY: int(time.time()) - 31 * 60})
    response = client.get("/api/v1/me")
    assert (response.status_code, response.json()) == (401, {"detail": IDLE})


def test_api_tokens_are_not_session_bound(client, staff_user):
    raw, _ = issue_token(user=staff_user, role_assignment=staff_user.active_role)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_sign_in_after_a_timeout_starts_afresh(client, staff_user):
    client.post(reverse("core:login"), {"username": staff_user.username, "password": PASSWORD})
    _set(client, **{LAST_SEEN_KEY: int(time.time()) - 31 * 60})
    client.get(reverse("core:home"))
    client.post(reverse("core:login"), {"username": staff_user.username, "password": PASSWORD})
    assert client.get(reverse("core:home")).status_code == 200


def test_the_session_cookie_lives_no_longer_than_the_absolute_lifetime(login, staff_user):
    client = login(staff_user)
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    assert client.session.get_expiry_age() <= 12 * 3600
