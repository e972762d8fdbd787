import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory, grant_role, user_with_role
from zhengxie.core.api import ActiveRoleAuth
from zhengxie.core.models import ApiToken, AuditAction, AuditEntry, Role
from zhengxie.core.tokens import (
    LAST_USED_RESOLUTION,
    TOKEN_LIFETIME,
    issue_token,
    token_digest,
    user_for_token,
)

TOKEN_URL = "/api/v1/auth/token"


def post_token(client, **payload):
    return client.post(TOKEN_URL, payload, content_type="application/json")


def test_it_issues_a_token_for_the_first_current_role(client, committee, staff_user):
    before = timezone.now()
    response = post_token(client, username="staff1", password=PASSWORD)
    assert response.status_code == 200
    body = response.json()
    token = ApiToken.objects.get()
    assert token.digest == token_digest(body["token"])
    assert token.role_assignment == staff_user.active_role
    assert before + TOKEN_LIFETIME <= token.expires <= timezone.now() + TOKEN_LIFETIME
    assert body["committee"]["id"] == committee.pk
    assert body["role"]["id"] == staff_user.active_role.pk
    assert body["role"]["role"] == "staff"
    assert body["role"]["role_label"] == "机关工作人员"


def test_it_stores_only_the_digest_of_the_token(client, staff_user):
    body = post_token(client, username="staff1", password=PASSWORD).json()
    assert ApiToken.objects.filter(digest=body["token"]).count() == 0
    assert len(ApiToken.objects.get().digest) == 64


def test_it_audits_a_token_login(client, committee, staff_user):
    post_token(client, username="staff1", password=PASSWORD)
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.LOGIN
    assert entry.actor == staff_user
    assert entry.committee == committee
    assert entry.note == "接口令牌登录"
    assert entry.ip == "127.0.0.1"


def test_it_issues_a_token_for_the_chosen_role(client, committee, other_committee, staff_user):
    second = grant_role(staff_user, other_committee, Role.MEMBER)
    body = post_token(client, username="staff1", password=PASSWORD, role_id=second.pk).json()
    assert body["role"]["id"] == second.pk
    assert body["committee"]["id"] == other_committee.pk
    assert ApiToken.objects.get().role_assignment == second


def test_it_rejects_a_role_of_another_user(client, committee, staff_user, admin_user):
    response = post_token(
        client, username="staff1", password=PASSWORD, role_id=admin_user.active_role.pk
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "该账号没有指定的角色,或该角色已失效。"}
    assert ApiToken.objects.count() == 0


def test_it_rejects_a_wrong_password_and_audits_it(client, staff_user):
    response = post_token(client, username="staff1", password="wrong")
    assert response.status_code == 401
    assert response.json() == {"detail": "用户名或密码不正确。"}
    assert ApiToken.objects.count() == 0
    entry = AuditEntry.objects.get()
    assert entry.action == AuditAction.LOGIN_FAILED
    assert entry.object_label == "staff1"


def test_it_rejects_an_unknown_user(client, db):
    response = post_token(client, username="nobody", password=PASSWORD)
    assert response.status_code == 401
    assert response.json() == {"detail": "用户名或密码不正确。"}


def test_it_refuses_a_token_to_a_user_without_a_current_role(client, committee):
    user = UserFactory(username="norole")
    ended = grant_role(user, committee, Role.MEMBER)
    ended.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    ended.save(update_fields=["ends_on"])
    response = post_token(client, username="norole", password=PASSWORD)
    assert response.status_code == 403
    assert response.json() == {"detail": "该账号当前没有有效的角色,无法获取令牌。"}
    assert ApiToken.objects.count() == 0


def test_it_rejects_a_body_without_password(client, db):
    response = post_token(client, username="staff1")
    assert response.status_code == 422
    assert response.json() == {
        "detail": "请求参数有误。",
        "errors": [
            {"loc": ["body", "payload", "password"], "msg": "此项为必填项。", "type": "missing"}
        ],
    }


def test_it_rejects_a_nul_character_in_the_username(client, staff_user):
    response = post_token(client, username="staff1\x00", password=PASSWORD)
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "loc": ["body", "payload", "username"],
            "msg": "含有不允许的字符。",
            "type": "string_pattern_mismatch",
        }
    ]
    assert AuditEntry.objects.count() == 0


def test_it_rejects_a_body_that_is_not_json(client, db):
    response = client.post(TOKEN_URL, "{oops", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON。"}


def test_token_requests_need_no_csrf_token(committee, staff_user):
    strict = Client(enforce_csrf_checks=True)
    response = post_token(strict, username="staff1", password=PASSWORD)
    assert response.status_code == 200


# --- bearer authentication -------------------------------------------------------------------


def test_a_valid_token_authenticates_as_its_role(api_client, committee, staff_user):
    response = api_client(staff_user).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["username"] == "staff1"
    assert body["role"]["id"] == staff_user.active_role.pk
    assert body["committee"]["id"] == committee.pk
    assert [r["id"] for r in body["available_roles"]] == [staff_user.active_role.pk]


def test_a_token_acts_in_its_own_role_not_the_first(client, committee, other_committee):
    user = user_with_role(committee, Role.STAFF, username="two")
    second = grant_role(user, other_committee, Role.MEMBER)
    raw = post_token(client, username="two", password=PASSWORD, role_id=second.pk).json()["token"]
    body = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).json()
    assert body["role"]["id"] == second.pk
    assert body["committee"]["id"] == other_committee.pk
    assert len(body["available_roles"]) == 2


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer ", "Bearer not-a-token", "Token abc", "Basic dXNlcjpwYXNz"],
)
def test_it_answers_401_without_a_valid_token(client, db, header):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或令牌无效。"}


def test_an_expired_token_is_rejected(api_client, staff_user):
    client = api_client(staff_user)
    ApiToken.objects.update(expires=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json() == {"detail": "未登录或令牌无效。"}


def test_a_token_of_an_ended_role_is_rejected(api_client, staff_user):
    client = api_client(staff_user)
    role = staff_user.active_role
    role.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    role.save(update_fields=["ends_on"])
    assert client.get("/api/v1/me").status_code == 401


def test_a_token_of_a_deactivated_user_is_rejected(api_client, staff_user):
    client = api_client(staff_user)
    staff_user.is_active = False
    staff_user.save(update_fields=["is_active"])
    assert client.get("/api/v1/me").status_code == 401


def test_a_bad_token_does_not_fall_back_to_the_session(login, staff_user):
    client = login(staff_user)
    assert client.get("/api/v1/me").status_code == 200
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer wrong"})
    assert response.status_code == 401


def test_last_used_is_written_at_most_once_a_minute(staff_user):
    raw, token = issue_token(user=staff_user, role_assignment=staff_user.active_role)
    assert token.last_used is None
    assert user_for_token(raw) == staff_user
    first = ApiToken.objects.get().last_used
    assert first is not None
    user_for_token(raw)
    assert ApiToken.objects.get().last_used == first
    ApiToken.objects.update(last_used=first - LAST_USED_RESOLUTION)
    user_for_token(raw)
    assert ApiToken.objects.get().last_used > first


def test_the_auth_demands_csrf_for_session_writes_but_not_for_tokens(rf, staff_user):
    auth = ActiveRoleAuth()
    request = rf.post("/api/v1/anything")
    request.user = staff_user
    request.active_role = staff_user.active_role
    request.token_authenticated = False
    assert auth(request) is None
    request.token_authenticated = True
    assert auth(request) == staff_user
    safe = rf.get("/api/v1/anything")
    safe.user, safe.active_role, safe.token_authenticated = (
        staff_user,
        staff_user.active_role,
        False,
    )
    assert auth(safe) == staff_user
