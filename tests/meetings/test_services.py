import datetime
import threading
from decimal import Decimal

import pytest
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection
from django.utils import timezone
from django_scopes import scope

from tests.factories import (
    MembershipFactory,
    SessionFactory,
    SpecialCommitteeFactory,
    user_with_role,
)
from zhengxie.core.models import DutyRecord, Notification, Role
from zhengxie.core.workflow import InvalidTransition
from zhengxie.meetings import services
from zhengxie.meetings.models import (
    AttendanceState,
    DecisionKind,
    Invitation,
    Meeting,
    MeetingState,
)
from zhengxie.organisation.models import MembershipStatus, Position, PositionKind
from zhengxie.organisation.queries import members_by_audience

NOW = timezone.now()


def meeting_data(**overrides):
    data = {
        "category": "standing",
        "title": "十届政协第十二次常委会议",
        "starts_at": NOW + datetime.timedelta(hours=1),
        "ends_at": NOW + datetime.timedelta(hours=4),
        "place": "政协四楼会议室",
        "half_days": Decimal("1"),
        "description": "",
        "kind_label": "",
        "session": None,
        "special_committee": None,
    }
    return data | overrides


@pytest.fixture
def world(county):
    members = county.members
    meeting = services.meeting_create(
        actor=county.staff, committee=county.committee, data=meeting_data()
    )
    services.meeting_invite(
        actor=county.staff, meeting=meeting, memberships=[m for _u, m in members]
    )
    county.meeting = meeting
    return county


def invitation_of(meeting, membership):
    return Invitation.objects.get(meeting=meeting, membership=membership)


def rows(meeting):
    return sorted(
        (r.membership.person.name, r.sub_kind, r.weight, r.half_days)
        for r in DutyRecord.objects.filter(kind="attendance", source_id=meeting.pk)
    )


def test_it_creates_a_meeting_and_invites_members_once(world):
    meeting = world.meeting
    assert meeting.state == MeetingState.DRAFT
    again = services.meeting_invite(
        actor=world.staff, meeting=meeting, memberships=[m for _u, m in world.members]
    )
    assert again == 0
    assert meeting.invitations.count() == 3


def test_bad_meeting_data_gets_chinese_messages(county):
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=county.staff,
            committee=county.committee,
            data=meeting_data(
                title=" ",
                ends_at=NOW,
                starts_at=NOW + datetime.timedelta(hours=1),
                half_days=Decimal("0"),
                category="special_committee",
            ),
        )
    errors = exc.value.message_dict
    assert errors["title"] == ["请填写会议名称。"]
    assert errors["ends_at"] == ["结束时间应晚于开始时间。"]
    assert errors["half_days"] == ["会期应在 0.5 至 20 个半天之间。"]
    assert errors["special_committee"] == ["专委会会议须选择专门委员会。"]
    assert Meeting.objects.count() == 0


def test_a_plenary_needs_its_session(county):
    with pytest.raises(ValidationError) as exc:
        services.meeting_create(
            actor=county.staff, committee=county.committee, data=meeting_data(category="plenary")
        )
    assert exc.value.message_dict["session"] == ["全体会议须选择届次会议。"]


def test_a_member_cannot_create_or_close_meetings(world):
    user, _membership = world.members[0]
    with pytest.raises(PermissionDenied):
        services.meeting_create(actor=user, committee=world.committee, data=meeting_data())
    with pytest.raises(PermissionDenied):
        services.meeting_notify(actor=user, meeting=world.meeting)


def test_invitees_by_role_group_sector_and_list(county):
    _u, first = county.members[0]
    Position.objects.create(
        committee=county.committee,
        membership=first,
        kind=PositionKind.STANDING,
        starts_on=datetime.date(2022, 1, 10),
    )
    special = SpecialCommitteeFactory(committee=county.committee)
    Position.objects.create(
        committee=county.committee,
        membership=county.members[1][1],
        kind=PositionKind.SPECIAL_COMMITTEE,
        special_committee=special,
        starts_on=datetime.date(2022, 1, 10),
    )
    outsider = MembershipFactory(committee=county.committee, term=county.term)

    def names(**kwargs):
        qs = members_by_audience(committee=county.committee, **kwargs)
        return sorted(m.person.name for m in qs)

    assert names(by="standing") == ["李明"]
    assert names(by="special_committee", special_committee=special) == ["王芳"]
    assert names(by="sector", sector=county.sector) == ["李明", "王芳", "赵强"]
    assert names(by="list", memberships=[outsider]) == [outsider.person.name]
    assert len(names(by="all")) == 4
    with pytest.raises(ValidationError) as exc:
        names(by="group")
    assert exc.value.message_dict["group"] == ["请选择委员活动小组。"]


def test_notify_needs_invitees_and_tells_them(county):
    meeting = services.meeting_create(
        actor=county.staff, committee=county.committee, data=meeting_data()
    )
    with pytest.raises(ValidationError) as exc:
        services.meeting_notify(actor=county.staff, meeting=meeting)
    assert exc.value.messages == ["请先邀请参会委员,再发送会议通知。"]
    services.meeting_invite(actor=county.staff, meeting=meeting, memberships=[county.members[0][1]])
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.DRAFT
    services.meeting_notify(actor=county.staff, meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).state == MeetingState.NOTIFIED


@pytest.mark.django_db(transaction=True)
def test_notify_sends_in_app_notifications_on_commit(committee):
    from tests.county import County

    with scope(committee=committee):
        county = County(committee)
        meeting = services.meeting_create(
            actor=county.staff, committee=committee, data=meeting_data()
        )
        services.meeting_invite(
            actor=county.staff, meeting=meeting, memberships=[m for _u, m in county.members]
        )
        services.meeting_notify(actor=county.staff, meeting=meeting)
        titles = sorted(Notification.objects.filter(kind="meeting").values_list("title", flat=True))
    assert titles == ["会议通知:十届政协第十二次常委会议"] * 3


def test_leave_approval_sign_in_and_absence_reach_the_ledger(world):
    meeting = world.meeting
    (u1, m1), (u2, m2), (_u3, m3) = world.members
    services.meeting_notify(actor=world.staff, meeting=meeting)
    services.attendance_act(
        actor=u1, invitation=invitation_of(meeting, m1), action="request_leave", reason="出差"
    )
    services.attendance_act(
        actor=world.staff, invitation=invitation_of(meeting, m1), action="approve_leave"
    )
    services.meeting_open_sign_in(actor=world.staff, meeting=meeting)
    meeting.refresh_from_db()
    token = services.sign_in_token(meeting)
    services.check_sign_in_token(meeting=meeting, token=token)
    services.sign_in_by_scan(actor=u2, meeting=meeting)
    services.sign_in_by_scan(actor=u2, meeting=meeting)  # twice is harmless
    assert rows(meeting) == []
    services.meeting_close(actor=world.staff, meeting=meeting)
    states = {i.membership_id: i.state for i in meeting.invitations.all()}
    assert states == {
        m1.pk: AttendanceState.LEAVE_APPROVED,
        m2.pk: AttendanceState.SIGNED_IN,
        m3.pk: AttendanceState.ABSENT,
    }
    assert rows(meeting) == [
        ("李明", "standing.leave_approved", 1, None),
        ("王芳", "standing.attended", 1, Decimal("1.0")),
        ("赵强", "standing.absent", 1, None),
    ]


def test_a_correction_after_closing_appends_rows(world):
    meeting = world.meeting
    _u3, m3 = world.members[2]
    services.meeting_notify(actor=world.staff, meeting=meeting)
    services.meeting_close(actor=world.staff, meeting=meeting)
    services.attendance_act(
        actor=world.staff, invitation=invitation_of(meeting, m3), action="mark_signed_in"
    )
    services.attendance_act(
        actor=world.staff, invitation=invitation_of(meeting, m3), action="mark_absent"
    )
    zhao = [r for r in rows(meeting) if r[0] == "赵强"]
    assert zhao == [
        ("赵强", "standing.absent", -1, None),
        ("赵强", "standing.absent", 1, None),
        ("赵强", "standing.absent", 1, None),
        ("赵强", "standing.attended", -1, Decimal("1.0")),
        ("赵强", "standing.attended", 1, Decimal("1.0")),
    ]
    net = sum(r[2] for r in zhao if r[1] == "standing.absent")
    assert net == 1


def test_a_member_cannot_act_on_another_members_invitation(world):
    meeting = world.meeting
    u1, _m1 = world.members[0]
    u2, m2 = world.members[1]
    services.meeting_notify(actor=world.staff, meeting=meeting)
    with pytest.raises(PermissionDenied):
        services.attendance_act(
            actor=u1, invitation=invitation_of(meeting, m2), action="request_leave", reason="x"
        )
    services.attendance_act(
        actor=u2, invitation=invitation_of(meeting, m2), action="request_leave", reason="病假"
    )
    with pytest.raises(PermissionDenied):
        services.attendance_act(
            actor=u1, invitation=invitation_of(meeting, m2), action="approve_leave"
        )


def test_leave_needs_a_reason_and_an_open_meeting(world):
    meeting = world.meeting
    u1, m1 = world.members[0]
    with pytest.raises(ValidationError) as exc:
        services.attendance_act(
            actor=u1, invitation=invitation_of(meeting, m1), action="request_leave", reason=" "
        )
    assert exc.value.message_dict["reason"] == ["请填写请假事由。"]
    services.meeting_notify(actor=world.staff, meeting=meeting)
    services.meeting_close(actor=world.staff, meeting=meeting)
    with pytest.raises(ValidationError) as exc:
        services.attendance_act(
            actor=u1, invitation=invitation_of(meeting, m1), action="request_leave", reason="病"
        )
    assert exc.value.messages == ["会议已结束,不能再请假。"]


def test_expired_and_forged_codes_are_refused(world, monkeypatch):
    meeting = world.meeting
    services.meeting_notify(actor=world.staff, meeting=meeting)
    services.meeting_open_sign_in(actor=world.staff, meeting=meeting)
    meeting.refresh_from_db()
    token = services.sign_in_token(meeting)
    with pytest.raises(ValidationError) as exc:
        services.check_sign_in_token(meeting=meeting, token=token + "x")
    assert exc.value.messages == ["签到二维码无效,请扫描会场屏幕上的二维码。"]
    forged = signing.TimestampSigner(salt="zhengxie.meetings.sign-in.guess").sign(str(meeting.pk))
    with pytest.raises(ValidationError) as exc:
        services.check_sign_in_token(meeting=meeting, token=forged)
    assert exc.value.messages == ["签到二维码无效,请扫描会场屏幕上的二维码。"]
    later = signing.time.time() + services.QR_VALID_SECONDS + 1
    monkeypatch.setattr(signing.time, "time", lambda: later)
    with pytest.raises(ValidationError) as exc:
        services.check_sign_in_token(meeting=meeting, token=token)
    assert exc.value.messages == ["签到二维码已过期,请扫描会场屏幕上最新的二维码。"]


def test_a_code_of_another_meeting_is_refused(world):
    other = services.meeting_create(
        actor=world.staff, committee=world.committee, data=meeting_data(title="主席会议")
    )
    token = services.sign_in_token(other)
    with pytest.raises(ValidationError) as exc:
        services.check_sign_in_token(meeting=world.meeting, token=token)
    assert exc.value.code == "invalid"


def test_sign_in_only_while_signing_in_and_only_for_invitees(world):
    meeting = world.meeting
    u1, _m1 = world.members[0]
    with pytest.raises(ValidationError) as exc:
        services.sign_in_by_scan(actor=u1, meeting=meeting)
    assert exc.value.messages == ["本次会议当前未开放签到。"]
    services.meeting_open_sign_in(actor=world.staff, meeting=meeting)
    meeting.refresh_from_db()
    stranger = user_with_role(world.committee, Role.MEMBER)
    with pytest.raises(ValidationError) as exc:
        services.sign_in_by_scan(actor=stranger, meeting=meeting)
    assert exc.value.messages == ["您不在本次会议的参会名单中,如需参会请联系会务工作人员。"]


def test_closing_twice_is_refused(world):
    services.meeting_notify(actor=world.staff, meeting=world.meeting)
    services.meeting_close(actor=world.staff, meeting=world.meeting)
    with pytest.raises(InvalidTransition):
        services.meeting_close(actor=world.staff, meeting=world.meeting)
    assert len(rows(world.meeting)) == 3


def test_the_nightly_job_closes_forgotten_meetings(world):
    services.meeting_notify(actor=world.staff, meeting=world.meeting)
    assert services.close_finished_meetings(now=NOW) == 0
    assert services.close_finished_meetings(now=NOW + datetime.timedelta(days=2)) == 1
    world.meeting.refresh_from_db()
    assert world.meeting.state == MeetingState.CLOSED
    assert [r[1] for r in rows(world.meeting)] == ["standing.absent"] * 3


def test_cancel_needs_a_reason(world):
    with pytest.raises(ValidationError) as exc:
        services.meeting_cancel(actor=world.staff, meeting=world.meeting, note="")
    assert exc.value.message_dict["note"] == ["请填写取消会议的原因。"]
    services.meeting_cancel(actor=world.staff, meeting=world.meeting, note="改期")
    world.meeting.refresh_from_db()
    assert world.meeting.state == MeetingState.CANCELLED


def test_decisions_update_dated_status_and_positions(world):
    meeting = world.meeting
    _u, m1 = world.members[0]
    _u, m2 = world.members[1]
    day = datetime.date.today()
    standing = services.decision_record(
        actor=world.staff,
        meeting=meeting,
        kind=DecisionKind.STANDING_ADDED,
        text="增补李明为常委",
        effective_on=day,
        membership=m1,
    )
    assert standing.position.kind == PositionKind.STANDING
    assert standing.position.start_decided_by == meeting.title
    resigned = services.decision_record(
        actor=world.staff,
        meeting=meeting,
        kind=DecisionKind.MEMBER_RESIGNED,
        text="接受王芳辞去委员",
        effective_on=day,
        membership=m2,
    )
    m2.refresh_from_db()
    assert m2.status == MembershipStatus.RESIGNED
    assert resigned.status_change.decided_by == meeting.title
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            actor=world.staff,
            meeting=meeting,
            kind=DecisionKind.MEMBER_RESIGNED,
            text="再次辞去",
            effective_on=day,
            membership=m2,
        )
    assert exc.value.messages == ["该委员当前状态为「辞去」,不能办理「辞去」。"]
    assert meeting.decisions.count() == 2


def test_a_decision_without_its_member_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            actor=world.staff,
            meeting=world.meeting,
            kind=DecisionKind.STANDING_RESIGNED,
            text="x",
            effective_on=datetime.date.today(),
            membership=world.members[0][1],
        )
    assert exc.value.message_dict["membership"] == ["该委员目前不是常委。"]


def test_a_plenary_counts_as_plenary_in_the_ledger(county):
    session = SessionFactory(committee=county.committee, term=county.term, number=6)
    meeting = services.meeting_create(
        actor=county.staff,
        committee=county.committee,
        data=meeting_data(category="plenary", session=session, half_days=Decimal("5")),
    )
    services.meeting_invite(actor=county.staff, meeting=meeting, memberships=[county.members[0][1]])
    services.meeting_open_sign_in(actor=county.staff, meeting=meeting)
    services.sign_in_by_scan(actor=county.members[0][0], meeting=meeting)
    services.meeting_close(actor=county.staff, meeting=meeting)
    assert rows(meeting) == [("李明", "plenary.attended", 1, Decimal("5.0"))]


@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_the_same_leave_at_once(committee):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the row lock is exercised on PostgreSQL")
    from tests.county import County

    with scope(committee=committee):
        county = County(committee)
        meeting = services.meeting_create(
            actor=county.staff, committee=committee, data=meeting_data()
        )
        user, membership = county.members[0]
        services.meeting_invite(actor=county.staff, meeting=meeting, memberships=[membership])
        invitation = invitation_of(meeting, membership)
        services.attendance_act(
            actor=user, invitation=invitation, action="request_leave", reason="出差"
        )
    outcomes = []
    barrier = threading.Barrier(2)

    def decide(actor, action):
        try:
            with scope(committee=committee):
                barrier.wait()
                services.attendance_act(actor=actor, invitation=invitation, action=action)
                outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("conflict")
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=decide, args=(county.staff, "approve_leave")),
        threading.Thread(target=decide, args=(county.other_staff, "decline_leave")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    with scope(committee=committee):
        assert invitation.history.count() == 2
