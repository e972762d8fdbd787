import pytest
from django.urls import reverse
from django_scopes import ScopeError, scope, scopes_disabled

from tests.factories import SectorFactory, grant_role, user_with_role
from zhengxie.core.models import Role
from zhengxie.organisation.models import Sector


def test_a_query_outside_any_scope_fails_loudly(committee):
    SectorFactory(committee=committee)
    with pytest.raises(ScopeError):
        list(Sector.objects.all())


def test_a_scope_shows_only_its_committees_rows(committee, other_committee):
    own = SectorFactory(committee=committee, name="教育界")
    SectorFactory(committee=other_committee, name="教育界")
    with scope(committee=committee):
        assert list(Sector.objects.all()) == [own]


def test_an_empty_scope_shows_nothing(committee):
    SectorFactory(committee=committee)
    with scope(committee=None):
        assert list(Sector.objects.all()) == []


def test_disabled_scopes_see_everything(committee, other_committee):
    SectorFactory(committee=committee)
    SectorFactory(committee=other_committee)
    with scopes_disabled():
        assert Sector.objects.count() == 2


def test_a_user_switches_between_committees(client, login, committee, other_committee):
    user = user_with_role(committee, Role.STAFF)
    second = grant_role(user, other_committee, Role.MEMBER)
    client = login(user)
    assert client.get(reverse("core:home")).context["active_committee"] == committee
    response = client.post(reverse("core:switch_role"), {"role": second.pk})
    assert response.status_code == 302
    home = client.get(reverse("core:home"))
    assert home.context["active_committee"] == other_committee
    assert home.context["active_role"] == second


def test_a_user_cannot_switch_to_someone_elses_role(client, login, committee, other_committee):
    user = user_with_role(committee, Role.STAFF)
    stranger_role = user_with_role(other_committee, Role.ADMIN).active_role
    client = login(user)
    response = client.post(reverse("core:switch_role"), {"role": stranger_role.pk}, follow=True)
    assert "无法切换到该角色。" in response.content.decode()
    assert response.context["active_committee"] == committee


def test_an_expired_role_no_longer_counts(client, login, committee):
    import datetime

    user = user_with_role(committee, Role.STAFF)
    user.role_assignments.update(ends_on=datetime.date(2020, 1, 1))
    response = login(user).get(reverse("core:home"))
    assert response.templates[0].name == "core/home_no_role.html"


def test_navigation_follows_the_role(client, login, committee):
    member = user_with_role(committee, Role.MEMBER)
    admin = user_with_role(committee, Role.ADMIN)
    member_nav = [i["url"] for i in login(member).get(reverse("core:home")).context["navigation"]]
    client.logout()
    admin_nav = [i["url"] for i in login(admin).get(reverse("core:home")).context["navigation"]]
    assert reverse("core:audit") not in member_nav
    assert reverse("core:audit") in admin_nav


def test_only_the_most_specific_navigation_entry_is_active(client, login, committee):
    from zhengxie.core.models import StaffOffice

    staff = user_with_role(committee, Role.STAFF, office=StaffOffice.RESEARCH)
    response = login(staff).get(reverse("opinions:bulletin_list"))
    active = [i["url"] for i in response.context["navigation"] if i["active"]]
    assert active == [reverse("opinions:bulletin_list")]
