import pytest
from django.urls import reverse

from tests.factories import HandlingUnitFactory, grant_role, user_with_role
from zhengxie.core.models import AuditEntry, Role, RoleAssignment, User


def _create(client, **overrides):
    data = {
        "new-username": "wang.wei",
        "new-display_name": "王伟",
        "new-email": "",
        "role-role": Role.STAFF,
        "role-office": "proposal_committee",
    }
    data.update(overrides)
    return client.post(reverse("core:account_create"), data)


def test_admin_creates_an_account_with_its_first_role(login, admin_user, committee):
    response = _create(login(admin_user))
    user = User.objects.get(username="wang.wei")
    assert response.status_code == 302
    assert list(user.role_assignments.values_list("committee", "role", "office")) == [
        (committee.pk, "staff", "proposal_committee")
    ]
    assert AuditEntry.objects.filter(object_type="core.User", action="create").count() == 1


def test_it_rejects_a_unit_account_without_its_unit_and_creates_nothing(login, admin_user):
    response = _create(login(admin_user), **{"role-role": Role.UNIT, "role-office": ""})
    assert response.status_code == 400
    assert "承办单位账号须选择所属单位。" in response.content.decode()
    assert not User.objects.filter(username="wang.wei").exists()


def test_it_rejects_a_taken_username(login, admin_user):
    response = _create(login(admin_user), **{"new-username": admin_user.username.upper()})
    assert response.status_code == 400
    assert "已被使用" in response.content.decode()


def test_it_rejects_another_committees_unit(login, admin_user, other_committee):
    foreign_unit = HandlingUnitFactory(committee=other_committee)
    client = login(admin_user)
    user = user_with_role(admin_user.active_role.committee, Role.MEMBER)
    response = client.post(
        reverse("core:account_detail", args=[user.pk]),
        {"role": Role.UNIT, "handling_unit": foreign_unit.pk},
    )
    assert response.status_code == 400
    assert user.role_assignments.count() == 1


def test_admin_grants_and_ends_a_role(login, admin_user, committee):
    client = login(admin_user)
    user = user_with_role(committee, Role.MEMBER)
    unit = HandlingUnitFactory(committee=committee)
    client.post(
        reverse("core:account_detail", args=[user.pk]),
        {"role": Role.UNIT, "handling_unit": unit.pk},
    )
    granted = user.role_assignments.get(role=Role.UNIT)
    assert granted.handling_unit == unit
    client.post(
        reverse("core:account_action", args=[user.pk]), {"action": "end_role", "role": granted.pk}
    )
    granted.refresh_from_db()
    assert granted.ends_on is not None
    assert not RoleAssignment.objects.current().filter(pk=granted.pk).exists()


def test_admin_resets_a_password_and_deactivates(login, admin_user, committee):
    client = login(admin_user)
    user = user_with_role(committee, Role.MEMBER)
    response = client.post(
        reverse("core:account_action", args=[user.pk]), {"action": "reset_password"}, follow=True
    )
    message = [str(m) for m in response.context["messages"]][0]
    password = message.split(":")[1].split("(")[0]
    user.refresh_from_db()
    assert user.check_password(password)
    client.post(reverse("core:account_action", args=[user.pk]), {"action": "deactivate"})
    user.refresh_from_db()
    assert user.is_active is False


def test_an_account_with_roles_elsewhere_is_not_reset_here(
    login, admin_user, committee, other_committee
):
    user = user_with_role(committee, Role.MEMBER)
    grant_role(user, other_committee, Role.MEMBER)
    response = login(admin_user).post(
        reverse("core:account_action", args=[user.pk]), {"action": "reset_password"}, follow=True
    )
    assert "其他委员会也有角色" in response.content.decode()


def test_admin_cannot_deactivate_themselves(login, admin_user):
    response = login(admin_user).post(
        reverse("core:account_action", args=[admin_user.pk]), {"action": "deactivate"}, follow=True
    )
    assert "不能停用自己的账号。" in response.content.decode()


def test_another_committees_account_answers_404(login, admin_user, other_committee):
    stranger = user_with_role(other_committee, Role.STAFF)
    client = login(admin_user)
    assert client.get(reverse("core:account_detail", args=[stranger.pk])).status_code == 404
    assert (
        client.post(
            reverse("core:account_action", args=[stranger.pk]), {"action": "deactivate"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize("role", [Role.STAFF, Role.MEMBER, Role.CHAIR])
def test_only_admins_manage_accounts(login, committee, role):
    user = user_with_role(committee, role)
    client = login(user)
    assert client.get(reverse("core:accounts")).status_code == 403
    assert _create(client).status_code == 403
