"""Password policy: at least 12 characters (configurable), no common, all-digit or account-like
passwords, messages in Chinese; a password older than PASSWORD_MAX_AGE_DAYS must be changed
before anything else; changing it is audited."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from zhengxie.core.accounts import account_create
from zhengxie.core.models import AuditAction, AuditEntry, User

NEW = "Qingshan-river-2026"


def _messages(password, user=None):
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    return exc.value.messages


def test_password_shorter_than_twelve_characters_is_refused_in_chinese():
    assert _messages("Kp7#qz2!Lm") == ["密码太短,至少需要 12 个字符。"]


@override_settings(
    AUTH_PASSWORD_VALIDATORS=[
        {
            "NAME": "zhengxie.core.passwords.MinimumLengthValidator",
            "OPTIONS": {"min_length": 16},
        }
    ]
)
def test_minimum_length_follows_the_setting():
    assert _messages("Kp7#qz2!Lm-Xw9$") == ["密码太短,至少需要 16 个字符。"]


def test_settings_read_the_minimum_length_from_the_environment():
    from django.conf import settings

    lengths = [
        v["OPTIONS"]["min_length"]
        for v in settings.AUTH_PASSWORD_VALIDATORS
        if v["NAME"].endswith("MinimumLengthValidator")
    ]
    assert lengths == [settings.PASSWORD_MIN_LENGTH] == [12]


def test_common_password_is_refused_in_chinese():
    assert _messages("password1234") == ["这个密码太常见了。"]


def test_all_digit_password_is_refused_in_chinese():
    assert _messages("202620262026123") == ["密码只包含数字。"]


def test_password_like_the_account_is_refused_in_chinese(db):
    user = User(username="zhangsanfeng2026", display_name="张三丰")
    assert _messages("zhangsanfeng2026", user) == ["密码跟 用户名 太相似了。"]


def test_a_strong_password_passes():
    validate_password(NEW)


def test_accounts_created_with_a_short_password_are_refused(admin_user, committee):
    with pytest.raises(ValidationError) as exc:
        account_create(
            actor=admin_user,
            committee=committee,
            username="lisi",
            display_name="李四",
            password="short-pw1",
        )
    assert exc.value.message_dict == {"password": ["密码太短,至少需要 12 个字符。"]}
    assert not User.objects.filter(username="lisi").exists()


def test_user_changes_their_password_and_it_is_audited(login, staff_user):
    client = login(staff_user)
    response = client.post(
        reverse("core:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    staff_user.refresh_from_db()
    assert staff_user.check_password(NEW)
    assert timezone.now() - staff_user.password_changed_at < datetime.timedelta(minutes=1)
    row = AuditEntry.objects.get(action=AuditAction.UPDATE, object_id=str(staff_user.pk))
    assert (row.note, row.actor_id) == ("修改密码", staff_user.pk)
    assert client.get(reverse("core:home")).status_code == 200  # still signed in


def test_password_change_refuses_a_weak_or_unchanged_password_in_chinese(login, staff_user):
    client = login(staff_user)
    url = reverse("core:password_change")
    weak = client.post(
        url, {"old_password": PASSWORD, "new_password1": "abc12345", "new_password2": "abc12345"}
    )
    assert weak.status_code == 400
    assert weak.context["form"].errors["new_password2"] == [
        "密码太短,至少需要 12 个字符。",
        "这个密码太常见了。",
    ]
    same = client.post(
        url, {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert same.context["form"].errors["new_password1"] == ["新密码不能与旧密码相同。"]
    wrong = client.post(url, {"old_password": "nope", "new_password1": NEW, "new_password2": NEW})
    assert wrong.context["form"].errors["old_password"] == ["你的旧密码不正确。请重新输入。"]
    staff_user.refresh_from_db()
    assert staff_user.check_password(PASSWORD)


def _age_password(user, days):
    User.objects.filter(pk=user.pk).update(
        password_changed_at=timezone.now() - datetime.timedelta(days=days)
    )


def test_an_expired_password_sends_the_user_to_change_it_first(login, staff_user, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    client = login(staff_user)
    _age_password(staff_user, 91)
    response = client.get(reverse("proposals:list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:password_change")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "您的密码已超过 90 天未修改,请先修改密码。" in page.content.decode()
    htmx = client.get(reverse("proposals:list"), headers={"HX-Request": "true"})
    assert (htmx.status_code, htmx["HX-Redirect"]) == (204, reverse("core:password_change"))
    client.post(
        reverse("core:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert client.get(reverse("proposals:list")).status_code == 200


def test_a_password_younger_than_the_limit_or_no_limit_passes(login, staff_user, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    client = login(staff_user)
    _age_password(staff_user, 89)
    assert client.get(reverse("core:home")).status_code == 200
    _age_password(staff_user, 1000)
    settings.PASSWORD_MAX_AGE_DAYS = 0
    assert client.get(reverse("core:home")).status_code == 200


def test_an_expired_password_gets_no_api_token(client, staff_user, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    _age_password(staff_user, 91)
    response = client.post(
        "/api/v1/auth/token",
        {"username": staff_user.username, "password": PASSWORD},
        content_type="application/json",
    )
    assert (response.status_code, response.json()) == (
        403,
        {"detail": "密码已过期,请先登录网页修改密码。"},
    )


def test_resetting_a_password_restarts_its_age(login, admin_user, staff_user, committee):
    from tests.factories import grant_role
    from zhengxie.core.models import Role

    account = User.objects.create(username="wangwu", display_name="王五")
    grant_role(account, committee, Role.MEMBER)
    _age_password(account, 400)
    login(admin_user).post(
        reverse("core:account_action", args=[account.pk]), {"action": "reset_password"}
    )
    account.refresh_from_db()
    assert timezone.now() - account.password_changed_at < datetime.timedelta(minutes=1)


def test_demo_password_meets_the_policy():
    from zhengxie.demo.county import DEMO_PASSWORD

    validate_password(DEMO_PASSWORD)
