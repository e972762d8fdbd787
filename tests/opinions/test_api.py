"""The public-opinion API: the figures of a period, the list and a report (read-only)."""

import pytest
from django.test import Client
from django_scopes import scope

from tests.factories import (
    HandlingUnitFactory,
    MembershipFactory,
    PersonFactory,
    SessionFactory,
    TermFactory,
    user_with_role,
)
from tests.opinions.test_stats import SESSION_4, TERM_10, YEAR_2025, build_data
from zhengxie.core.models import Role, StaffOffice
from zhengxie.core.tokens import issue_token
from zhengxie.opinions.models import OpinionReport, ReportState, SourceKind


def api(user):
    raw, _token = issue_token(user=user, role_assignment=user.active_role)
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def data(committee_scope):
    return build_data(committee_scope)


@pytest.fixture
def staff(committee):
    return user_with_role(committee, Role.STAFF, office=StaffOffice.RESEARCH)


def _figures(body):
    return {k: v for k, v in body.items() if k != "period"}


def test_it_gives_the_figures_of_a_year(staff, data):
    response = api(staff).get("/api/v1/opinions/stats", {"year": 2025})
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"kind": "year", "id": None, "label": "2025年"}
    assert _figures(body) == YEAR_2025


def test_it_gives_the_figures_of_a_session_and_a_term(staff, data):
    session, term = data["sessions"][1], data["term"]
    by_session = api(staff).get("/api/v1/opinions/stats", {"session": session.pk}).json()
    by_term = api(staff).get("/api/v1/opinions/stats", {"term": term.pk}).json()
    assert (by_session["period"]["id"], _figures(by_session)) == (session.pk, SESSION_4)
    assert (by_term["period"]["kind"], _figures(by_term)) == ("term", TERM_10)


@pytest.mark.parametrize("query", [{}, {"year": 2025, "term": 1}])
def test_it_needs_exactly_one_period(staff, data, query):
    response = api(staff).get("/api/v1/opinions/stats", query)
    assert response.status_code == 422
    assert response.json()["detail"] == "请指定且只指定一个统计期间:会议、年度或届。"


def test_a_session_of_another_committee_is_not_found(staff, data):
    other = data["other"]
    with scope(committee=other):
        foreign = SessionFactory(committee=other, term=TermFactory(committee=other))
    response = api(staff).get("/api/v1/opinions/stats", {"session": foreign.pk})
    assert (response.status_code, response.json()) == (404, {"detail": "对象不存在。"})


def test_members_may_not_read_the_figures(committee, data):
    member = user_with_role(committee, Role.MEMBER)
    response = api(member).get("/api/v1/opinions/stats", {"year": 2025})
    assert response.status_code == 403


# The list and a report --------------------------------------------------------------------


def test_staff_list_every_report_but_drafts_newest_first(staff, data):
    r = data["reports"]
    response = api(staff).get("/api/v1/opinions", {"year": 2025, "limit": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 7
    assert [item["id"] for item in body["items"]] == [r[6].pk, r[5].pk, r[4].pk]
    assert body["items"][0] == {
        "id": r[6].pk,
        "title": r[6].title,
        "state": "used",
        "state_label": "已采用",
        "source_kind": "member",
        "source_label": "委员",
        "submitter": "",
        "submitted_at": "2025-12-31T15:30:00Z",
        "received_from_lower": False,
    }


def test_the_list_takes_a_fixed_number_of_queries(staff, data, django_assert_max_num_queries):
    client = api(staff)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/opinions", {"limit": 500}).json()
    assert len(body["items"]) == 9  # every report of the committee but the draft


def test_the_list_filters_by_state_and_source(staff, data):
    r = data["reports"]
    body = api(staff).get("/api/v1/opinions", {"state": "not_used", "source_kind": "member"}).json()
    assert [item["id"] for item in body["items"]] == [r[3].pk, r[9].pk]


def test_a_member_lists_only_their_own_reports(committee, data):
    user = user_with_role(committee, Role.MEMBER)
    with scope(committee=committee):
        seat = MembershipFactory(
            committee=committee,
            term=data["term"],
            person=PersonFactory(committee=committee, user=user, name="李明"),
        )
        mine = OpinionReport.objects.create(
            committee=committee,
            source_kind=SourceKind.MEMBER,
            state=ReportState.SUBMITTED,
            title="我的信息",
            situation="情况",
            suggestion="建议",
            lead=seat,
        )
    body = api(user).get("/api/v1/opinions").json()
    assert (body["count"], [i["id"] for i in body["items"]]) == (1, [mine.pk])
    assert body["items"][0]["submitter"] == "李明"


def test_a_report_in_detail(staff, data):
    r = data["reports"]
    response = api(staff).get(f"/api/v1/opinions/{r[2].pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["bulletins"] == [
        {
            "id": r[2].bulletin_items.get().bulletin_id,
            "label": "《政协社情民意》2025年第1期",
            "item_kind": "single",
        }
    ]
    assert [(f["to_level"], f["to_name"], f["on_platform"]) for f in body["forwardings"]] == [
        ("city", "市政协", False),
        ("province", "省政协", False),
    ]
    assert [(a["level"], a["kind"], a["decided_on"]) for a in body["adoptions"]] == [
        ("city", "adopted", "2025-02-20"),
        ("city", "published", "2025-03-01"),
        ("province", "combined", "2025-04-01"),
        ("province", "forwarded", "2025-04-02"),
    ]
    assert (body["situation"], body["suggestion"], body["cosubmitters"]) == ("情况", "建议", [])


def test_a_draft_or_a_report_of_another_committee_is_not_found(staff, data):
    with scope(committee=data["other"]):
        foreign = OpinionReport.objects.get()
    client = api(staff)
    for pk in (data["reports"][10].pk, foreign.pk, 999999):
        response = client.get(f"/api/v1/opinions/{pk}")
        assert (response.status_code, response.json()) == (404, {"detail": "对象不存在。"})


def test_a_unit_may_not_list_reports(committee, data):
    unit = HandlingUnitFactory(committee=committee)
    user = user_with_role(committee, Role.UNIT, handling_unit=unit)
    assert api(user).get("/api/v1/opinions").status_code == 403
