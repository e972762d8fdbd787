"""GET /api/v1/reports/annual. The router lives in ``reports/api.py``; until the lead registers it
in ``zhengxie/api.py`` the view is called directly, and the URL tests are skipped."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django_scopes import scope

from tests.factories import CommitteeFactory, user_with_role
from tests.reports.figure_data import build
from zhengxie.core.models import Role
from zhengxie.core.tokens import issue_token
from zhengxie.reports.api import AnnualQuery, annual


@pytest.fixture
def data(db):
    return build()


def call(user, **query):
    request = RequestFactory().get("/api/v1/reports/annual", query)
    request.user, request.committee = user, user.active_role.committee
    with scope(committee=request.committee):
        return annual(request, AnnualQuery(**query))


def test_staff_get_their_own_figures_of_a_year(data):
    body = call(user_with_role(data["a"], Role.STAFF), year=2025)
    assert body["committee"]["code"] == "330101"
    assert body["figures"]["proposals_received"] == 5
    assert body["figures"]["registration_rate"] == 0.6
    assert "consultations_by_form" in body["absent"]
    assert body["figures"]["consultations_by_form"] is None


def test_a_session_and_a_term_of_their_own(data):
    staff = user_with_role(data["a"], Role.STAFF)
    assert call(staff, session=data["a_data"]["s4"].pk)["figures"]["proposals_received"] == 5
    assert call(staff, term=data["a_data"]["term"].pk)["figures"]["proposals_received"] == 6


def test_city_staff_get_a_countys_figures_and_the_aggregate(data):
    city_staff = user_with_role(data["city"], Role.STAFF)
    body = call(city_staff, year=2025, committee="330102")
    assert body["committee"]["code"] == "330102"
    assert body["figures"]["proposals_received"] == 2
    # A session of the county, resolved in the county's scope.
    session = call(city_staff, session=data["b_data"]["s1"].pk, committee="330102")
    assert session["figures"]["plenary_meetings"] == 1
    total = call(city_staff, year=2025, aggregate=True)
    assert total["aggregate"] is True and total["figures"]["proposals_received"] == 7
    assert [c["code"] for c in total["committees"]] == ["330100", "330101", "330102"]


def test_the_county_cannot_get_the_city_nor_a_sibling(data):
    county_staff = user_with_role(data["a"], Role.STAFF)
    for code in ("330100", "330102", "NO-SUCH"):
        with pytest.raises(Http404):
            call(county_staff, year=2025, committee=code)
    stranger = CommitteeFactory()
    with pytest.raises(Http404):
        call(county_staff, year=2025, committee=stranger.code)


def test_a_session_of_another_committee_is_not_found(data):
    with pytest.raises(Http404):
        call(user_with_role(data["a"], Role.STAFF), session=data["b_data"]["s1"].pk)


def test_members_may_not(data):
    with pytest.raises(PermissionDenied):
        call(user_with_role(data["a"], Role.MEMBER), year=2025)


def test_a_leader_may_not_look_below(data):
    leader = user_with_role(data["city"], Role.LEADER)
    assert call(leader, year=2025)["figures"]["opinions_received"] == 1
    with pytest.raises(PermissionDenied):
        call(leader, year=2025, committee="330101")
    with pytest.raises(PermissionDenied):
        call(leader, year=2025, aggregate=True)


def test_a_session_aggregate_is_refused(data):
    with pytest.raises(ValidationError):
        call(user_with_role(data["a"], Role.STAFF), session=data["a_data"]["s4"].pk, aggregate=True)


def test_it_needs_exactly_one_period(data):
    answer = call(user_with_role(data["a"], Role.STAFF), year=2025, term=data["a_data"]["term"].pk)
    assert answer.status_code == 422


# --- through the real URL, once the router is registered -------------------------------------


def _url():
    try:
        return reverse("api:reports_annual")
    except NoReverseMatch:
        pytest.skip("reports router not registered in zhengxie/api.py yet")


def api(user):
    raw, _token = issue_token(user=user, role_assignment=user.active_role)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_the_url_answers_200_403_404_400_422(data):
    url = _url()
    city_staff = api(user_with_role(data["city"], Role.STAFF))
    county_staff = api(user_with_role(data["a"], Role.STAFF))
    ok = city_staff.get(url, {"year": 2025, "committee": "330101"})
    assert ok.status_code == 200
    assert ok.json()["figures"]["proposals_received"] == 5
    assert ok.json()["figures"]["consultations_by_form"] is None
    assert county_staff.get(url, {"year": 2025, "committee": "330100"}).status_code == 404
    assert county_staff.get(url, {"year": 2025, "committee": "330102"}).status_code == 404
    member = api(user_with_role(data["a"], Role.MEMBER))
    assert member.get(url, {"year": 2025}).status_code == 403
    refused = city_staff.get(url, {"term": data["a_data"]["term"].pk, "aggregate": "true"})
    assert refused.status_code in (400, 404)  # the term is not the city's: 404 before 400
    own_session = county_staff.get(url, {"session": data["a_data"]["s4"].pk, "aggregate": "true"})
    assert own_session.status_code == 400
    assert "汇总统计只能按年度进行" in own_session.json()["detail"]
    assert county_staff.get(url, {}).status_code == 422
    assert county_staff.get(url, {"year": 1800}).status_code == 422
