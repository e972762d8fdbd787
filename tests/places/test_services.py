import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.places.conftest import OPENED, TODAY
from zhengxie.core.followup import recommendation_act
from zhengxie.core.models import DutyRecord, Recommendation
from zhengxie.core.workflow import InvalidTransition
from zhengxie.opinions.models import OpinionReport, ReportState, SourceKind
from zhengxie.places import services
from zhengxie.places.models import (
    DutyShift,
    IssueHistory,
    IssueState,
    ResidentIssue,
    RoomHistory,
    RoomState,
    ShiftMember,
)
from zhengxie.proposals.models import Proposal, ProposalState

OPINION = {
    "title": "关于修复城关镇村口路灯的建议",
    "situation": "村口路灯损坏半年,群众夜间出行不便。",
    "suggestion": "请镇政府尽快安排维修,并建立路灯巡查制度。",
}


# The register -------------------------------------------------------------------------------


def test_a_place_is_registered_in_use_with_its_history(places):
    room = places.room
    assert (room.state, room.opened_on) == (RoomState.IN_USE, OPENED)
    rows = list(RoomHistory.objects.filter(subject=room).values_list("action", "to_state", "data"))
    assert rows == [("activate", "in_use", {"on": OPENED.isoformat()})]


def test_a_place_is_suspended_and_resumed(places):
    room = services.room_act(
        actor=places.staff, room=places.room, action="suspend", note="场地装修"
    )
    assert room.state == RoomState.SUSPENDED
    room = services.room_act(actor=places.staff, room=room, action="resume")
    assert room.state == RoomState.IN_USE
    assert list(room.history.values_list("action", flat=True)) == ["activate", "suspend", "resume"]


def test_suspending_needs_a_reason(places):
    with pytest.raises(ValidationError) as error:
        services.room_act(actor=places.staff, room=places.room, action="suspend")
    assert error.value.message_dict == {"note": ["请填写停用原因。"]}
    places.room.refresh_from_db()
    assert places.room.state == RoomState.IN_USE


def test_a_member_cannot_edit_the_register(places):
    user, _m = places.members[0]
    with pytest.raises(PermissionDenied):
        services.room_update(
            actor=user, room=places.room, data={"name": "改名", "kind": "home", "level": "county"}
        )
    with pytest.raises(PermissionDenied):
        services.room_act(actor=user, room=places.room, action="suspend", note="x")
    with pytest.raises(PermissionDenied):
        services.room_create(
            actor=user,
            committee=places.committee,
            data={"name": "新会客室", "kind": "home", "level": "county"},
        )


def test_a_village_place_needs_its_township_and_a_unique_name(places):
    with pytest.raises(ValidationError) as error:
        services.room_create(
            actor=places.staff,
            committee=places.committee,
            data={"name": "城关镇委员会客室", "kind": "home", "level": "village"},
        )
    assert error.value.message_dict == {
        "name": ["已有同名的场所。"],
        "township": ["乡镇(街道)和村(社区)的场所请填写所在乡镇(街道)。"],
    }


# Rosters and the ledger ---------------------------------------------------------------------


def test_a_month_of_shifts_is_created_on_the_chosen_weekdays(places):
    first = (TODAY.replace(day=1) + datetime.timedelta(days=40)).replace(day=1)
    dates = services.month_dates(first.year, first.month, [1, 3])  # Tuesdays and Thursdays
    shifts = services.shifts_create(
        actor=places.staff,
        room=places.room,
        dates=dates,
        half_day="pm",
        memberships=[places.members[0][1]],
    )
    assert [s.date for s in shifts] == dates
    assert {s.date.weekday() for s in shifts} == {1, 3}
    assert ShiftMember.objects.filter(shift__in=shifts).count() == len(dates)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (OPENED - datetime.timedelta(days=1), "早于场所启用日期"),
        (TODAY + datetime.timedelta(days=400), "超出一年以内的范围"),
    ],
)
def test_a_shift_date_out_of_range_is_refused(places, day, message):
    with pytest.raises(ValidationError) as error:
        places.shift(day=day)
    assert message in error.value.message_dict["dates"][0]
    assert DutyShift.objects.count() == 0


def test_a_slot_taken_is_refused_and_nothing_is_written(places):
    day = TODAY + datetime.timedelta(days=5)
    places.shift(day=day, half_day="am")
    with pytest.raises(ValidationError) as error:
        services.shifts_create(
            actor=places.staff,
            room=places.room,
            dates=[day + datetime.timedelta(days=1), day],
            half_day="full",
            memberships=[places.members[2][1]],
        )
    assert error.value.message_dict == {"dates": [f"以下日期该时段已有值班安排:{day.isoformat()}"]}
    assert DutyShift.objects.count() == 1


def test_shifts_need_members(places):
    with pytest.raises(ValidationError) as error:
        services.shifts_create(
            actor=places.staff, room=places.room, dates=[TODAY], half_day="am", memberships=[]
        )
    assert error.value.message_dict == {"memberships": ["请至少选择一名委员。"]}


def test_confirming_service_writes_one_ledger_row_per_member(places):
    shift = places.shift(half_day="full")
    first, second = shift.shift_members.order_by("pk")
    user, _m = places.members[0]
    services.service_confirm(actor=user, shift_member=first)  # the member themself
    services.service_confirm(actor=places.staff, shift_member=second)
    rows = list(
        DutyRecord.objects.filter(kind="reception")
        .order_by("pk")
        .values_list("membership_id", "occurred_on", "half_days", "weight", "source_id")
    )
    assert rows == [
        (first.membership_id, shift.date, Decimal("2.0"), 1, shift.pk),
        (second.membership_id, shift.date, Decimal("2.0"), 1, shift.pk),
    ]
    with pytest.raises(ValidationError, match="不能重复确认"):
        services.service_confirm(actor=places.staff, shift_member=first)
    assert DutyRecord.objects.filter(kind="reception").count() == 2


def test_unconfirming_appends_a_correction(places):
    shift = places.shift(half_day="am")
    sm = shift.shift_members.order_by("pk").first()
    services.service_confirm(actor=places.staff, shift_member=sm)
    services.service_unconfirm(actor=places.staff, shift_member=sm, note="实际未到岗")
    rows = list(
        DutyRecord.objects.filter(kind="reception")
        .order_by("pk")
        .values_list("half_days", "weight", "title")
    )
    assert rows == [(Decimal("1.0"), 1, str(shift)), (Decimal("1.0"), -1, "实际未到岗")]
    sm.refresh_from_db()
    assert (sm.served, sm.duty_record_id) == (False, None)


def test_a_future_shift_cannot_be_confirmed(places):
    shift = places.shift(day=TODAY + datetime.timedelta(days=2))
    with pytest.raises(ValidationError, match="值班日期未到"):
        services.service_confirm(actor=places.staff, shift_member=shift.shift_members.first())


def test_a_member_cannot_confirm_someone_elses_service(places):
    shift = places.shift()
    other = shift.shift_members.get(membership=places.members[1][1])
    with pytest.raises(PermissionDenied):
        services.service_confirm(actor=places.members[0][0], shift_member=other)


# Visits and issues --------------------------------------------------------------------------


def test_a_member_records_a_visit_on_their_shift(places):
    visit = places.visit(issues=("路灯不亮", "垃圾清运不及时"))
    assert (visit.residents_count, visit.date) == (5, visit.shift.date)
    issues = list(visit.issues.order_by("pk"))
    assert [i.text for i in issues] == ["路灯不亮", "垃圾清运不及时"]
    assert issues[0].masked_contact == "139****5678"
    assert issues[0].state == IssueState.PENDING


def test_a_member_not_on_the_shift_cannot_record_its_visit(places):
    shift = places.shift()
    outsider, membership = places.members[2]
    with pytest.raises(PermissionDenied):
        services.visit_record(
            actor=outsider,
            room=places.room,
            shift=shift,
            date=shift.date,
            members=[membership],
            residents_count=1,
        )
    with pytest.raises(PermissionDenied):
        services.visit_record(
            actor=outsider, room=places.room, date=TODAY, members=[membership], residents_count=1
        )


def test_an_empty_issue_is_refused_and_nothing_is_written(places):
    shift = places.shift()
    with pytest.raises(ValidationError) as error:
        places.visit(shift=shift, issues=("有效问题", "   "))
    assert error.value.message_dict == {"issues": ["请填写群众反映的内容。"]}
    assert ResidentIssue.objects.count() == 0
    assert shift.visits.count() == 0


def test_an_issue_goes_to_a_public_opinion_draft(places):
    issue = places.visit().issues.get()
    issue = services.issue_route(actor=places.staff, issue=issue, action="to_opinion", **OPINION)
    report = OpinionReport.objects.get()
    assert issue.state == IssueState.TO_OPINION
    assert issue.opinion_report == report
    assert (report.state, report.source_kind, report.source_note) == (
        ReportState.DRAFT,
        SourceKind.STAFF,
        "城关镇委员会客室接待群众反映",
    )
    assert list(IssueHistory.objects.values_list("action", "to_state")) == [
        ("to_opinion", "to_opinion")
    ]


def test_a_member_on_the_visit_turns_an_issue_into_their_proposal_draft(places):
    issue = places.visit().issues.get()
    user, membership = places.members[0]
    issue = services.issue_route(
        actor=user,
        issue=issue,
        action="to_proposal",
        title="关于完善农村路灯管护机制的提案",
        suggestions="建立路灯管护责任制。",
    )
    proposal = Proposal.objects.get()
    assert (issue.state, issue.proposal_id) == (IssueState.TO_PROPOSAL, proposal.pk)
    assert (proposal.state, proposal.lead_id, proposal.situation) == (
        ProposalState.DRAFT,
        membership.pk,
        "村口路灯坏了半年没人修",
    )


def test_a_member_not_on_the_visit_cannot_route_it(places):
    issue = places.visit().issues.get()
    with pytest.raises(PermissionDenied):
        services.issue_route(actor=places.members[2][0], issue=issue, action="on_spot", note="x")


def test_routing_to_a_unit_is_answered_through_the_follow_up(places):
    issue = places.visit().issues.get()
    issue = services.issue_route(
        actor=places.staff, issue=issue, action="to_unit", unit=places.unit, text="请核实维修"
    )
    rec = Recommendation.objects.get()
    assert (issue.state, issue.unit, issue.recommendation) == (
        IssueState.TO_UNIT,
        places.unit,
        rec,
    )
    assert (rec.source, rec.addressee, rec.text) == (issue, "县民政局", "请核实维修")
    with pytest.raises(PermissionDenied):
        recommendation_act(
            recommendation=rec, action="answer", actor=places.other_unit_user, text="不是我们"
        )
    rec = recommendation_act(
        recommendation=rec, action="answer", actor=places.unit_user, text="已于本周修复"
    )
    assert (rec.state, rec.answer) == ("answered", "已于本周修复")


def test_a_member_cannot_route_to_a_unit(places):
    issue = places.visit().issues.get()
    with pytest.raises(PermissionDenied):
        services.issue_route(
            actor=places.members[0][0], issue=issue, action="to_unit", unit=places.unit
        )


def test_answered_on_spot_needs_a_note(places):
    issue = places.visit().issues.get()
    with pytest.raises(ValidationError) as error:
        services.issue_route(actor=places.staff, issue=issue, action="on_spot", note=" ")
    assert error.value.message_dict == {"note": ["请填写当场解答的情况。"]}
    issue.refresh_from_db()
    assert issue.state == IssueState.PENDING
    issue = services.issue_route(
        actor=places.staff, issue=issue, action="on_spot", note="已解释政策"
    )
    assert (issue.state, issue.route_note, issue.routed_on) == (
        IssueState.ON_SPOT,
        "已解释政策",
        TODAY,
    )


def test_a_failed_target_leaves_the_issue_pending(places):
    issue = places.visit().issues.get()
    with pytest.raises(ValidationError) as error:
        services.issue_route(actor=places.staff, issue=issue, action="to_opinion", title="")
    assert error.value.message_dict["title"] == ["请填写标题。"]
    issue.refresh_from_db()
    assert issue.state == IssueState.PENDING
    assert (IssueHistory.objects.count(), OpinionReport.objects.count()) == (0, 0)


def test_routing_twice_is_refused_clearly(places):
    issue = places.visit().issues.get()
    services.issue_route(actor=places.staff, issue=issue, action="on_spot", note="已解答")
    with pytest.raises(InvalidTransition, match="可能已被他人处理"):
        services.issue_route(actor=places.staff, issue=issue, action="to_opinion", **OPINION)
    assert OpinionReport.objects.count() == 0


def test_two_staff_routing_the_same_issue_at_once_one_wins(places):
    issue = places.visit().issues.get()
    stale = ResidentIssue.objects.get(pk=issue.pk)
    services.issue_route(
        actor=places.staff, issue=issue, action="to_unit", unit=places.unit, text="请核实"
    )
    with pytest.raises(InvalidTransition, match="可能已被他人处理"):
        services.issue_route(actor=places.other_staff, issue=stale, action="to_opinion", **OPINION)
    assert IssueHistory.objects.count() == 1
    assert (Recommendation.objects.count(), OpinionReport.objects.count()) == (1, 0)


@pytest.mark.django_db(transaction=True)
def test_two_staff_routing_in_parallel_threads_one_wins(committee, term, sector):
    """Real concurrency needs row locks: PostgreSQL only (SQLite is covered sequentially above)."""
    import threading

    from django.db import connection, connections
    from django_scopes import scope

    from tests.places.conftest import Places

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    with scope(committee=committee):
        places = Places(committee, term, sector)
        issue = places.visit().issues.get()
    barrier = threading.Barrier(2)
    outcomes = []

    def route(actor):
        try:
            with scope(committee=committee):
                barrier.wait()
                services.issue_route(actor=actor, issue=issue, action="on_spot", note="已解答")
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=route, args=(u,)) for u in (places.staff, places.other_staff)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert IssueHistory.objects.count() == 1


def test_a_withdrawn_confirmation_can_be_given_again(places):
    shift = places.shift(half_day="pm")
    sm = shift.shift_members.order_by("pk").first()
    services.service_confirm(actor=places.staff, shift_member=sm)
    services.service_unconfirm(actor=places.staff, shift_member=sm)
    services.service_confirm(actor=places.staff, shift_member=sm)
    weights = list(
        DutyRecord.objects.filter(kind="reception").order_by("pk").values_list("weight", flat=True)
    )
    assert weights == [1, -1, 1]
