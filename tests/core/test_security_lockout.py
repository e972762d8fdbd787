"""Sign-in lockout: LOGIN_FAILURES_PER_ACCOUNT failures lock the account, LOGIN_FAILURES_PER_IP
failures lock the address, on the sign-in page and the API token endpoint alike; the lock is
audited, shown in Chinese, and lifted by an admin (page or `zhengxie unlock`)."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import PASSWORD, user_with_role
from zhengxie.core import queries
from zhengxie.core.models import AuditAction, AuditEntry, Role

LOCKED = "登录失败次数过多,已临时锁定,请 15 分钟后再试,或联系管理员解锁。"
LOGIN = reverse("core:login")
TOKEN = "/api/v1/auth/token"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_FAILURES_PER_ACCOUNT = 5
    settings.LOGIN_FAILURES_PER_IP = 20
    settings.LOGIN_LOCKOUT_MINUTES = 15


def _sign_in(client, username, password, ip="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _errors(response):
    return response.context["form"].non_field_errors() if response.context else None


def test_five_failures_lock_the_account_even_for_the_right_password(client, staff_user):
    for _ in range(4):
        assert _errors(_sign_in(client, staff_user.username, "wrong")) == ["用户名或密码不正确。"]
    assert _errors(_sign_in(client, staff_user.username, "wrong")) == [LOCKED]
    refused = _sign_in(client, staff_user.username, PASSWORD)
    assert _errors(refused) == [LOCKED]
    assert "_auth_user_id" not in client.session
    # From another address too: the account itself is locked.
    assert _errors(_sign_in(client, staff_user.username, PASSWORD, ip="10.9.9.9")) == [LOCKED]
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", "note"))
    assert actions == [(AuditAction.LOGIN_FAILED, "")] * 4 + [
        (AuditAction.LOCKOUT, "连续登录失败,锁定 15 分钟(地址 10.1.1.1)"),
        (AuditAction.LOGIN_FAILED, "已锁定"),
        (AuditAction.LOGIN_FAILED, "已锁定"),
        (AuditAction.LOGIN_FAILED, "已锁定"),
    ]


def test_the_lockout_row_names_the_account_for_its_committees_admins(client, staff_user, committee):
    for _ in range(5):
        _sign_in(client, staff_user.username, "wrong")
    seen = queries.audit_entries(committee=committee, action=AuditAction.LOCKOUT)
    assert [(e.object_id, e.object_label) for e in seen] == [
        (str(staff_user.pk), staff_user.username)
    ]


def test_a_success_before_the_limit_forgets_the_accounts_failures(client, staff_user):
    for _ in range(4):
        _sign_in(client, staff_user.username, "wrong")
    assert _sign_in(client, staff_user.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        _sign_in(client, staff_user.username, "wrong")
    assert _sign_in(client, staff_user.username, PASSWORD).status_code == 302


def test_failures_from_one_address_lock_that_address(client, committee, settings):
    settings.LOGIN_FAILURES_PER_IP = 6
    for n in range(6):
        _sign_in(client, f"guess{n}", "wrong", ip="10.2.2.2")
    victim = user_with_role(committee, Role.STAFF, username="victim")
    assert _errors(_sign_in(client, victim.username, PASSWORD, ip="10.2.2.2")) == [LOCKED]
    assert _sign_in(client, victim.username, PASSWORD, ip="10.3.3.3").status_code == 302


def test_the_token_endpoint_is_locked_the_same_way(client, staff_user):
    def token(password):
        return client.post(
            TOKEN,
            {"username": staff_user.username, "password": password},
            content_type="application/json",
            REMOTE_ADDR="10.4.4.4",
        )

    for _ in range(4):
        assert token("wrong").status_code == 401
    assert (token("wrong").status_code, token(PASSWORD).json()) == (429, {"detail": LOCKED})
    assert token(PASSWORD).status_code == 429
    # The sign-in page shares the lock.
    assert _errors(_sign_in(client, staff_user.username, PASSWORD)) == [LOCKED]


def test_an_admin_lifts_the_lock_on_the_account_page(client, login, admin_user, committee):
    member = user_with_role(committee, Role.MEMBER, username="member-locked")
    for _ in range(5):
        _sign_in(client, member.username, "wrong")
    admin = login(admin_user)
    page = admin.get(reverse("core:account_detail", args=[member.pk])).content.decode()
    assert 'id="account-locked"' in page and 'id="account-unlock"' in page
    response = admin.post(
        reverse("core:account_action", args=[member.pk]), {"action": "unlock"}, follow=True
    )
    assert "已解除该账号的登录锁定。" in response.content.decode()
    assert 'id="account-locked"' not in response.content.decode()
    row = AuditEntry.objects.get(note="解除登录锁定")
    assert (row.actor_id, row.committee_id, row.object_label) == (
        admin_user.pk,
        committee.pk,
        member.username,
    )
    admin.logout()
    assert _sign_in(client, member.username, PASSWORD).status_code == 302


def test_only_admins_may_lift_a_lock(client, login, committee, staff_user):
    member = user_with_role(committee, Role.MEMBER, username="member-locked")
    for _ in range(5):
        _sign_in(client, member.username, "wrong")
    response = login(staff_user).post(
        reverse("core:account_action", args=[member.pk]), {"action": "unlock"}
    )
    assert response.status_code == 403
    client.logout()
    assert _errors(_sign_in(client, member.username, PASSWORD)) == [LOCKED]


def test_the_unlock_command_lifts_an_account_and_an_address(client, staff_user, capsys, settings):
    for _ in range(5):
        _sign_in(client, staff_user.username, "wrong")
    call_command("unlock", staff_user.username)
    assert capsys.readouterr().out.strip() == f"已解除 {staff_user.username} 的登录锁定。"
    assert _sign_in(client, staff_user.username, PASSWORD).status_code == 302
    client.logout()
    settings.LOGIN_FAILURES_PER_IP = 2
    for n in range(2):
        _sign_in(client, f"guess{n}", "wrong", ip="10.8.8.8")
    assert _errors(_sign_in(client, staff_user.username, PASSWORD, ip="10.8.8.8")) == [LOCKED]
    call_command("unlock", ip="10.8.8.8", stdout=io.StringIO())
    assert _sign_in(client, staff_user.username, PASSWORD, ip="10.8.8.8").status_code == 302
    assert AuditEntry.objects.filter(note="解除登录锁定", actor=None).count() == 2


def test_the_unlock_command_needs_a_target():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="请指定用户名或 --ip 地址。"):
        call_command("unlock")
