import datetime

import pytest
from django.urls import reverse
from django_scopes import scope

from tests.factories import user_with_role
from tests.places.conftest import OPINION_FIELDS, TODAY
from zhengxie.core.models import DutyRecord, Role
from zhengxie.places import services
from zhengxie.places.models import DutyShift, IssueState, ReceptionRoom, ResidentIssue


def _rooms(places, n):
    for i in range(n):
        services.room_create(
            actor=places.staff,
            committee=places.committee,
            data={
                "name": f"第{i}村委员联系点",
                "kind": "contact_point",
                "level": "village",
                "township": "城关镇",
            },
            opened_on=TODAY,
        )


def test_the_register_lists_and_filters_places_in_a_fixed_number_of_queries(
    client, login, places, django_assert_max_num_queries
):
    with scope(committee=places.committee):
        _rooms(places, 12)
        places.visit()
    login(places.staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("places:list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 13
    first = next(r for r in response.context["page"] if r.name == "城关镇委员会客室")
    assert (first.visit_count, first.pending_count) == (1, 1)
    filtered = client.get(reverse("places:list"), {"level": "township"})
    assert [r.name for r in filtered.context["page"]] == ["城关镇委员会客室"]
    assert (
        client.get(reverse("places:list"), {"state": "suspended"}).context["page"].paginator.count
        == 0
    )


def test_every_tab_of_a_place_renders_for_staff(client, login, places):
    with scope(committee=places.committee):
        places.visit()
    login(places.staff)
    url = reverse("places:detail", args=[places.room.pk])
    for tab in ("roster", "visits", "issues", "messages", "history"):
        response = client.get(url, {"tab": tab, "month": f"{TODAY:%Y-%m}"})
        assert response.status_code == 200, tab
        assert response.context["tab"] == tab


def test_a_member_reads_rooms_but_not_the_internal_tabs_nor_the_forms(client, login, places):
    user, _m = places.members[0]
    login(user)
    url = reverse("places:detail", args=[places.room.pk])
    response = client.get(url, {"tab": "issues"})
    assert response.status_code == 200
    assert (response.context["tab"], response.context["tabs"]) == ("roster", ["roster", "visits"])
    assert client.get(reverse("places:edit", args=[places.room.pk])).status_code == 403
    assert client.get(reverse("places:create")).status_code == 403
    assert client.get(reverse("places:shift_create", args=[places.room.pk])).status_code == 403
    assert (
        client.post(
            reverse("places:act", args=[places.room.pk, "suspend"]), {"note": "x"}
        ).status_code
        == 403
    )
    places.room.refresh_from_db()
    assert places.room.state == "in_use"


def test_staff_register_a_place_through_the_form(client, login, places):
    login(places.staff)
    response = client.post(
        reverse("places:create"),
        {"name": "县委员之家", "kind": "home", "level": "county", "is_public": "on"},
    )
    with scope(committee=places.committee):
        room = ReceptionRoom.objects.get(name="县委员之家")
    assert response.url == reverse("places:detail", args=[room.pk])
    assert room.state == "setting_up"
    bad = client.post(reverse("places:create"), {"name": "", "kind": "home", "level": "village"})
    assert bad.status_code == 400
    assert "请填写名称。" in bad.content.decode()


def test_staff_plan_a_month_through_the_form(client, login, places):
    login(places.staff)
    month = (TODAY.replace(day=1) + datetime.timedelta(days=40)).replace(day=1)
    response = client.post(
        reverse("places:shift_create", args=[places.room.pk]),
        {
            "mode": "month",
            "month": f"{month:%Y-%m}",
            "weekdays": ["2"],
            "half_day": "am",
            "memberships": [places.members[0][1].pk],
        },
    )
    assert response.status_code == 302
    with scope(committee=places.committee):
        dates = list(DutyShift.objects.values_list("date", flat=True))
    assert dates == services.month_dates(month.year, month.month, [2])
    bad = client.post(
        reverse("places:shift_create", args=[places.room.pk]),
        {
            "mode": "one",
            "date": "2001-01-01",
            "half_day": "am",
            "memberships": [places.members[0][1].pk],
        },
    )
    assert bad.status_code == 400
    assert "早于场所启用日期" in bad.content.decode()


def test_a_member_sees_their_shifts_records_a_visit_and_confirms(client, login, places):
    user, membership = places.members[0]
    with scope(committee=places.committee):
        past = places.shift()
        future = places.shift(day=TODAY + datetime.timedelta(days=7))
    login(user)
    response = client.get(reverse("places:mine"))
    assert [sm.shift_id for sm in response.context["upcoming"]] == [future.pk]
    assert [sm.shift_id for sm in response.context["past"]] == [past.pk]
    response = client.post(
        reverse("places:visit_create", args=[places.room.pk]) + f"?shift={past.pk}",
        {
            "members": [membership.pk],
            "residents_count": "3",
            "summary": "接待3人",
            "issue_text": "希望增设公交站",
            "resident_name": "周阿姨",
            "contact": "13700001234",
        },
    )
    assert response.status_code == 302
    with scope(committee=places.committee):
        sm = past.shift_members.get(membership=membership)
        issue = ResidentIssue.objects.get()
    assert (issue.text, issue.visit.shift_id) == ("希望增设公交站", past.pk)
    client.post(reverse("places:confirm", args=[sm.pk]), {"next": "mine"})
    with scope(committee=places.committee):
        assert DutyRecord.objects.filter(kind="reception", membership=membership).count() == 1
    # Staff only may record a visit without a shift.
    assert client.get(reverse("places:visit_create", args=[places.room.pk])).status_code == 403


def test_personal_data_shows_to_staff_only(client, login, places):
    with scope(committee=places.committee):
        issue = places.visit().issues.get()
    url = reverse("places:issue_detail", args=[issue.pk])
    login(places.staff)
    staff_page = client.get(url).content.decode()
    assert "陈大爷" in staff_page and "139****5678" in staff_page
    assert "13912345678" not in staff_page
    client.logout()
    login(places.members[0][0])
    member_page = client.get(url)
    assert member_page.status_code == 200
    assert "陈大爷" not in member_page.content.decode()
    client.logout()
    login(places.chair)
    assert "陈大爷" not in client.get(url).content.decode()


def test_routing_through_the_page_and_twice_is_refused(client, login, places):
    with scope(committee=places.committee):
        issue = places.visit().issues.get()
    login(places.staff)
    url = reverse("places:issue_route", args=[issue.pk, "to_opinion"])
    prefixed = {f"to_opinion-{k}": v for k, v in OPINION_FIELDS.items()}
    assert client.post(url, prefixed).status_code == 302
    again = client.post(
        reverse("places:issue_route", args=[issue.pk, "on_spot"]), {"on_spot-note": "已解答"}
    )
    assert again.status_code == 409
    assert "可能已被他人处理" in again.content.decode()
    with scope(committee=places.committee):
        assert ResidentIssue.objects.get().state == IssueState.TO_OPINION


def test_a_unit_sees_only_the_issues_routed_to_it(client, login, places):
    with scope(committee=places.committee):
        visit = places.visit(issues=("甲", "乙", "丙"))
        mine, theirs, pending = visit.issues.order_by("pk")
        services.issue_route(actor=places.staff, issue=mine, action="to_unit", unit=places.unit)
        services.issue_route(
            actor=places.staff, issue=theirs, action="to_unit", unit=places.other_unit
        )
        mine.refresh_from_db()
    login(places.unit_user)
    listing = client.get(reverse("places:issues"))
    assert [i.pk for i in listing.context["page"]] == [mine.pk]
    page = client.get(reverse("places:issue_detail", args=[mine.pk]))
    assert page.status_code == 200
    assert page.context["followup"]["recommendations"][0].actions[0].action == "answer"
    assert page.context["actions"] == []
    for other in (theirs, pending):
        assert client.get(reverse("places:issue_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("places:list")).status_code == 403
    response = client.post(
        reverse("core:recommendation_act", args=[mine.recommendation.pk]),
        {
            "action": "answer",
            "text": "已安排维修",
            "next": reverse("places:issue_detail", args=[mine.pk]),
        },
    )
    assert response.status_code == 302
    with scope(committee=places.committee):
        mine.recommendation.refresh_from_db()
        assert (mine.recommendation.state, mine.recommendation.answer) == ("answered", "已安排维修")


@pytest.mark.parametrize("role", [Role.STAFF, Role.CHAIR, Role.LEADER])
def test_the_figures_page_opens_for_readers(client, login, places, role):
    login(user_with_role(places.committee, role))
    response = client.get(reverse("places:stats"), {"year": TODAY.year})
    assert response.status_code == 200
    assert response.context["figures"]["reception_rooms"] == 1


def test_the_register_filters_answer_htmx_with_the_results_only(client, login, places):
    login(places.staff)
    response = client.get(
        reverse("places:list"), {"level": "county"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="room-results">')
    assert "共 0 处" in body


@pytest.mark.parametrize(
    ("role", "labels"),
    [
        (Role.STAFF, ["委员之家", "群众反映", "委员之家统计"]),
        (Role.MEMBER, ["委员之家", "我的值班"]),
        (Role.UNIT, ["转来的群众反映"]),
        (Role.CHAIR, ["委员之家", "群众反映", "委员之家统计"]),
    ],
)
def test_the_navigation_section_by_role(client, login, places, role, labels):
    login(user_with_role(places.committee, role))
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    items = [i["label"] for i in response.context["navigation"] if i["section"] == "委员之家"]
    assert [str(label) for label in items] == labels


def test_a_member_adds_an_issue_to_their_visit_and_an_empty_one_is_refused(client, login, places):
    with scope(committee=places.committee):
        visit = places.visit()
    login(places.members[1][0])
    url = reverse("places:visit_detail", args=[visit.pk])
    bad = client.post(url, {"text": "  "})
    assert bad.status_code == 400
    assert "请填写群众反映的内容。" in bad.content.decode()
    assert client.post(url, {"text": "菜市场缺少公厕"}).status_code == 302
    with scope(committee=places.committee):
        assert list(visit.issues.order_by("pk").values_list("text", flat=True)) == [
            "村口路灯坏了半年没人修",
            "菜市场缺少公厕",
        ]
    client.logout()
    login(places.members[2][0])  # not on the visit
    assert client.post(url, {"text": "x"}).status_code == 403


def test_staff_edit_a_place_and_suspend_it_through_the_page(client, login, places):
    login(places.staff)
    url = reverse("places:edit", args=[places.room.pk])
    response = client.post(
        url,
        {"name": "城关镇委员之家", "kind": "home", "level": "township", "township": "城关镇"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("places:act", args=[places.room.pk, "suspend"]), {"note": "搬迁"}
    )
    assert response.status_code == 302
    places.room.refresh_from_db()
    assert (places.room.name, places.room.kind, places.room.state, places.room.is_public) == (
        "城关镇委员之家",
        "home",
        "suspended",
        False,
    )


def test_members_and_units_cannot_open_the_figures(client, login, places):
    login(places.members[0][0])
    assert client.get(reverse("places:stats")).status_code == 403


def test_routes_are_offered_by_what_the_target_accepts(client, login, places):
    with scope(committee=places.committee):
        issue = places.visit().issues.get()
    url = reverse("places:issue_detail", args=[issue.pk])
    login(places.proposal_staff)  # staff, but neither opinion staff nor a member
    offered = [a["t"].action for a in client.get(url).context["actions"]]
    assert offered == ["to_unit", "on_spot"]
    refused = client.post(
        reverse("places:issue_route", args=[issue.pk, "to_proposal"]),
        {"to_proposal-title": "t", "to_proposal-suggestions": "s"},
    )
    assert refused.status_code == 403
    assert "只有本会在任委员可以提交提案。" in refused.content.decode()
    client.logout()
    login(places.members[0][0])
    offered = [a["t"].action for a in client.get(url).context["actions"]]
    assert offered == ["to_opinion", "to_proposal", "on_spot"]


def test_the_figures_page_counts_a_session_and_refuses_another_committees(client, login, places):
    from tests.factories import SessionFactory

    foreign = SessionFactory()
    login(places.staff)
    response = client.get(reverse("places:stats"), {"session": places.session.pk})
    assert response.status_code == 200
    assert response.context["period"].session == places.session
    assert response.context["figures"]["reception_rooms"] == 1
    assert client.get(reverse("places:stats"), {"session": foreign.pk}).status_code == 404
