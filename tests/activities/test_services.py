import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.activities.factories import activity, member
from zhengxie.activities import services
from zhengxie.activities.models import Activity, ActivityState, Participation
from zhengxie.core.models import DutyRecord, Role
from zhengxie.core.workflow import InvalidTransition

pytestmark = pytest.mark.django_db


def ledger(committee=None):
    rows = DutyRecord._base_manager.order_by("pk")
    if committee is not None:
        rows = rows.filter(committee=committee)
    return [
        (r.membership_id, r.kind, r.sub_kind, r.half_days, r.role, r.weight, str(r.occurred_on))
        for r in rows
    ]


def member_user(committee, m, make_user):
    user = make_user(committee, Role.MEMBER)
    m.person.user = user
    m.person.save(update_fields=["user"])
    return user


def test_create_validates_in_chinese_and_writes_nothing(committee_scope, staff_user):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(
            actor=staff_user,
            committee=committee_scope,
            data={"title": "", "category": "bogus", "starts_on": "2026-13-01"},
        )
    assert exc.value.message_dict == {
        "title": ["请填写活动名称。"],
        "category": ["请选择活动类别。"],
        "starts_on": ["开始日期格式不正确。"],
    }
    assert Activity.objects.count() == 0


def test_create_defaults_half_days_from_dates(committee_scope, staff_user):
    a = activity(
        staff_user,
        committee_scope,
        half_days="",
        starts_on=datetime.date(2026, 5, 12),
        ends_on=datetime.date(2026, 5, 13),
    )
    assert a.half_days == Decimal("4")
    assert a.state == ActivityState.PLANNED
    assert [h.action for h in a.history.all()] == ["create"]


def test_end_before_start_is_refused(committee_scope, staff_user):
    with pytest.raises(ValidationError) as exc:
        activity(staff_user, committee_scope, ends_on=datetime.date(2026, 5, 1))
    assert exc.value.message_dict == {"ends_on": ["结束日期不能早于开始日期。"]}


def test_member_cannot_create(committee_scope, make_user):
    with pytest.raises(PermissionDenied):
        activity(make_user(committee_scope, Role.MEMBER), committee_scope)


def test_sign_up_only_while_open(committee_scope, staff_user, make_user):
    m = member(committee_scope)
    user = member_user(committee_scope, m, make_user)
    a = activity(staff_user, committee_scope)
    with pytest.raises(ValidationError) as exc:
        services.participation_sign_up(actor=user, activity=a)
    assert exc.value.messages == ["该活动当前不在报名中。"]
    a = services.activity_act(actor=staff_user, activity=a, action="open")
    p = services.participation_sign_up(actor=user, activity=a)
    assert (p.membership, p.how, p.attendance) == (m, "signed_up", "pending")
    with pytest.raises(ValidationError) as exc:
        services.participation_sign_up(actor=user, activity=a)
    assert exc.value.messages == ["您已报名参加该活动。"]
    services.participation_withdraw(actor=user, activity=a)
    assert Participation.objects.count() == 0


def test_attendance_writes_exact_ledger_rows_once(committee_scope, staff_user):
    m1, m2, m3 = (member(committee_scope) for _ in range(3))
    a = activity(staff_user, committee_scope, category="research", half_days="2")
    p1, p2, p3 = services.participants_assign(
        actor=staff_user, activity=a, memberships=[m1, m2, m3]
    )
    a = services.activity_act(actor=staff_user, activity=a, action="hold")
    assert ledger() == []
    entries = {
        p1.pk: {"attendance": "attended", "role": "lead"},
        p2.pk: {"attendance": "attended", "half_days": "1"},
        p3.pk: {"attendance": "leave"},
    }
    services.attendance_record(actor=staff_user, activity=a, entries=entries)
    expected = [
        (m1.pk, "research", "participant", Decimal("2.0"), "lead", 1, "2026-05-12"),
        (m2.pk, "research", "participant", Decimal("1.0"), "participant", 1, "2026-05-12"),
    ]
    assert ledger() == expected
    services.attendance_record(actor=staff_user, activity=a, entries=entries)
    assert ledger() == expected
    entries[p2.pk] = {"attendance": "absent"}
    services.attendance_record(actor=staff_user, activity=a, entries=entries)
    assert ledger() == [
        *expected,
        (m2.pk, "research", "participant", Decimal("1.0"), "participant", -1, "2026-05-12"),
    ]


def test_attended_before_held_is_credited_when_held(committee_scope, staff_user):
    m = member(committee_scope)
    a = activity(staff_user, committee_scope, category="inspection")
    services.participants_assign(actor=staff_user, activity=a, memberships=[m])
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(
            actor=staff_user,
            activity=a,
            entries={a.participations.get().pk: {"attendance": "attended"}},
        )
    assert exc.value.messages == ["活动开展后才能登记出勤。"]
    services.activity_act(actor=staff_user, activity=a, action="hold")
    with pytest.raises(InvalidTransition):
        services.activity_act(actor=staff_user, activity=a, action="hold")


def test_member_cannot_assign_or_record(committee_scope, staff_user, make_user):
    m = member(committee_scope)
    user = member_user(committee_scope, m, make_user)
    a = activity(staff_user, committee_scope, state="held")
    with pytest.raises(PermissionDenied):
        services.participants_assign(actor=user, activity=a, memberships=[m])
    p = services.participants_assign(actor=staff_user, activity=a, memberships=[m])[0]
    with pytest.raises(PermissionDenied):
        services.attendance_record(
            actor=user, activity=a, entries={p.pk: {"attendance": "attended"}}
        )
    with pytest.raises(PermissionDenied):
        services.activity_update(actor=user, activity=a, data={"title": "改"})
    assert ledger() == []


def test_attendance_flip_back_and_half_day_change_keep_one_live_row(committee_scope, staff_user):
    m = member(committee_scope)
    a = activity(staff_user, committee_scope, category="inspection", half_days="1", state="held")
    (p,) = services.participants_assign(actor=staff_user, activity=a, memberships=[m])
    record = services.attendance_record
    record(actor=staff_user, activity=a, entries={p.pk: {"attendance": "attended"}})
    record(actor=staff_user, activity=a, entries={p.pk: {"attendance": "absent"}})
    record(actor=staff_user, activity=a, entries={p.pk: {"attendance": "attended"}})
    assert [(r[1], r[3], r[5]) for r in ledger()] == [
        ("inspection", Decimal("1.0"), 1),
        ("inspection", Decimal("1.0"), -1),
        ("inspection", Decimal("1.0"), 1),
    ]
    assert sum(r[5] for r in ledger()) == 1


def test_a_changed_half_day_override_replaces_the_row(committee_scope, staff_user):
    m = member(committee_scope)
    a = activity(staff_user, committee_scope, category="other", half_days="1", state="held")
    (p,) = services.participants_assign(actor=staff_user, activity=a, memberships=[m])
    services.attendance_record(
        actor=staff_user, activity=a, entries={p.pk: {"attendance": "attended"}}
    )
    services.attendance_record(
        actor=staff_user, activity=a, entries={p.pk: {"attendance": "attended", "half_days": "3"}}
    )
    assert [(r[1], r[3], r[5]) for r in ledger()] == [
        ("activity", Decimal("1.0"), 1),
        ("activity", Decimal("1.0"), -1),
        ("activity", Decimal("3.0"), 1),
    ]


def test_bad_attendance_input_is_refused_in_chinese(committee_scope, staff_user):
    m = member(committee_scope)
    a = activity(staff_user, committee_scope, state="held")
    (p,) = services.participants_assign(actor=staff_user, activity=a, memberships=[m])
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(
            actor=staff_user,
            activity=a,
            entries={p.pk: {"attendance": "maybe", "half_days": "x"}},
        )
    assert exc.value.message_dict == {f"attendance_{p.pk}": ["请选择出勤情况。"]}
    with pytest.raises(ValidationError) as exc:
        services.attendance_record(
            actor=staff_user,
            activity=a,
            entries={p.pk: {"attendance": "attended", "half_days": "-1"}},
        )
    assert exc.value.message_dict == {
        f"half_days_{p.pk}": ["时长应在0.1到60个半天之间,最多一位小数。"]
    }
    assert ledger() == []
    assert Participation.objects.get().attendance == "pending"


def test_holding_credits_attendance_already_recorded_and_held_fields_are_fixed(
    committee_scope, staff_user
):
    m = member(committee_scope)
    a = activity(staff_user, committee_scope, category="supervision", half_days="2")
    services.participants_assign(actor=staff_user, activity=a, memberships=[m], role="lead")
    Participation.objects.update(attendance="attended")  # e.g. recorded by an importer
    a = services.activity_act(actor=staff_user, activity=a, action="hold")
    assert ledger() == [(m.pk, "supervision", "", Decimal("2.0"), "lead", 1, "2026-05-12")]
    with pytest.raises(ValidationError) as exc:
        services.activity_update(actor=staff_user, activity=a, data={"half_days": "3"})
    assert exc.value.message_dict == {"half_days": ["活动已开展,类别、开始日期和时长不能再修改。"]}
    updated = services.activity_update(actor=staff_user, activity=a, data={"place": "新地点"})
    assert updated.place == "新地点"


def test_two_staff_holding_at_once_the_second_is_told(committee_scope, staff_user, make_user):
    other = make_user(committee_scope, Role.STAFF)
    a = activity(staff_user, committee_scope)
    stale = Activity.objects.get(pk=a.pk)
    services.activity_act(actor=staff_user, activity=a, action="hold")
    with pytest.raises(InvalidTransition):
        services.activity_act(actor=other, activity=stale, action="cancel")
    assert Activity.objects.get().state == "held"
    assert [h.action for h in Activity.objects.get().history.all()] == ["create", "hold"]


def test_sign_up_with_a_stale_page_after_sign_up_closed(committee_scope, staff_user, make_user):
    m = member(committee_scope)
    user = member_user(committee_scope, m, make_user)
    a = activity(staff_user, committee_scope, state="open")
    services.activity_act(actor=staff_user, activity=a, action="close")
    with pytest.raises(ValidationError) as exc:
        services.participation_sign_up(actor=user, activity=a)
    assert exc.value.messages == ["该活动当前不在报名中。"]
    assert Participation.objects.count() == 0


def test_sign_up_after_the_deadline(committee_scope, staff_user, make_user):
    m = member(committee_scope)
    user = member_user(committee_scope, m, make_user)
    a = activity(
        staff_user,
        committee_scope,
        state="open",
        starts_on=datetime.date(2020, 5, 12),
        signup_deadline=datetime.date(2020, 5, 1),
    )
    with pytest.raises(ValidationError) as exc:
        services.participation_sign_up(actor=user, activity=a)
    assert exc.value.messages == ["报名已截止。"]


def test_inspection_report_credits_authors_under_activity_report(committee_scope, staff_user):
    m1, m2 = member(committee_scope), member(committee_scope)
    a = activity(staff_user, committee_scope, category="inspection", state="held")
    report = services.report_create(
        actor=staff_user,
        activity=a,
        data={"title": "视察报告", "written_on": "2026-05-20"},
        authors=[m1, m2],
    )
    rows = DutyRecord.objects.order_by("pk").values_list(
        "membership", "kind", "sub_kind", "role", "order", "participants", "occurred_on"
    )
    assert list(rows) == [
        (m1.pk, "activity_report", "inspection", "lead", 1, 2, datetime.date(2026, 5, 20)),
        (m2.pk, "activity_report", "inspection", "co_signer", 2, 2, datetime.date(2026, 5, 20)),
    ]
    assert set(report.authors.all()) == {m1, m2}


def test_report_needs_a_held_activity_and_a_title(committee_scope, staff_user):
    a = activity(staff_user, committee_scope)
    with pytest.raises(ValidationError) as exc:
        services.report_create(actor=staff_user, activity=a, data={"title": "x"})
    assert exc.value.messages == ["活动开展后才能登记报告。"]
    a = services.activity_act(actor=staff_user, activity=a, action="hold")
    with pytest.raises(ValidationError) as exc:
        services.report_create(
            actor=staff_user, activity=a, data={"title": "", "written_on": "2026-01-01"}
        )
    assert exc.value.message_dict == {
        "title": ["请填写报告标题。"],
        "written_on": ["成文日期不能早于活动开始日期。"],
    }


def test_chair_reads_but_cannot_manage(committee_scope, staff_user, make_user):
    chair = make_user(committee_scope, Role.CHAIR)
    a = activity(staff_user, committee_scope)
    assert chair.has_perm("activities.view", a) and chair.has_perm(
        "activities.view_participants", a
    )
    with pytest.raises(PermissionDenied):
        services.activity_act(actor=chair, activity=a, action="hold")
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=chair, committee=committee_scope, data={"year": 2026, "kind": "topics"}
        )


def test_plan_validation(committee_scope, staff_user):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(
            actor=staff_user,
            committee=committee_scope,
            data={"year": "x", "kind": "special_committee"},
        )
    assert exc.value.message_dict == {
        "year": ["请填写有效的年度。"],
        "special_committee": ["专委会工作计划请选择专门委员会。"],
    }
    plan = services.plan_create(
        actor=staff_user, committee=committee_scope, data={"year": 2026, "kind": "topics"}
    )
    with pytest.raises(ValidationError) as exc:
        services.plan_item_add(
            actor=staff_user, plan=plan, data={"topic": "", "category": "x", "planned_month": 13}
        )
    assert exc.value.message_dict == {
        "topic": ["请填写议题。"],
        "category": ["请选择活动类别。"],
        "planned_month": ["请填写1到12之间的数字。"],
    }
    item = services.plan_item_add(
        actor=staff_user, plan=plan, data={"topic": "议题", "category": "research"}
    )
    activity(staff_user, committee_scope, plan_item=item)
    with pytest.raises(ValidationError) as exc:
        services.plan_item_delete(actor=staff_user, item=item)
    assert exc.value.messages == ["该事项已有活动,不能删除。"]


def test_context_record_links_the_activity(committee_scope, staff_user):
    from zhengxie.organisation.models import Sector

    sector = Sector.objects.create(committee=committee_scope, name="经济界")
    a = services.activity_create(
        actor=staff_user,
        committee=committee_scope,
        data={"title": "监督走访", "category": "supervision", "starts_on": "2026-04-01"},
        context=sector,
    )
    assert (a.context, a.half_days) == (sector, Decimal("2"))


def test_members_are_notified_of_sign_up_assignment_and_cancellation(
    committee_scope, staff_user, make_user, django_capture_on_commit_callbacks
):
    from zhengxie.core.models import Notification

    m1, m2 = member(committee_scope), member(committee_scope)
    u1 = member_user(committee_scope, m1, make_user)
    u2 = member_user(committee_scope, m2, make_user)
    with django_capture_on_commit_callbacks(execute=True):
        a = activity(staff_user, committee_scope, title="春季视察")
        services.participants_assign(actor=staff_user, activity=a, memberships=[m1])
        services.activity_act(actor=staff_user, activity=a, action="open")
        services.activity_act(actor=staff_user, activity=a, action="cancel")
    got = sorted(Notification.objects.values_list("recipient", "title"))
    assert got == sorted(
        [
            (u1.pk, "请参加活动:春季视察(2026-05-12)"),
            (u1.pk, "活动开始报名:春季视察"),
            (u2.pk, "活动开始报名:春季视察"),
            (u1.pk, "活动已取消:春季视察"),
        ]
    )


def test_a_participating_committees_member_signs_up_for_a_joint_activity(
    committee_scope, staff_user, other_committee
):
    from django_scopes import scope

    from tests.factories import user_with_role

    a = activity(staff_user, committee_scope, state="open")
    other_member = member(other_committee)
    user = user_with_role(other_committee, Role.MEMBER)
    other_member.person.user = user
    other_member.person.save(update_fields=["user"])
    with scope(committee=other_committee), pytest.raises(Activity.DoesNotExist):
        Activity.objects.get(pk=a.pk)
    services.activity_share(actor=staff_user, activity=a, committee=other_committee)
    with scope(committee=other_committee):
        seen = Activity.objects.get(pk=a.pk)
        assert not user.has_perm("activities.edit", seen)
        p = services.participation_sign_up(actor=user, activity=seen)
        assert list(Participation.objects.values_list("membership", flat=True)) == [other_member.pk]
    assert (p.committee, p.membership) == (other_committee, other_member)
    assert Participation.objects.count() == 0  # the organiser sees only its own members' rows
    with pytest.raises(ValidationError) as exc:
        services.activity_share(actor=staff_user, activity=a, committee=other_committee)
    assert exc.value.messages == [f"该记录已共享给{other_committee}。"]


def test_staff_cannot_create_in_another_committee(committee_scope, staff_user, other_committee):
    with pytest.raises(PermissionDenied):
        activity(staff_user, other_committee)
    with pytest.raises(PermissionDenied):
        services.plan_create(
            actor=staff_user, committee=other_committee, data={"year": 2026, "kind": "topics"}
        )


def test_attendance_can_flip_any_number_of_times(committee_scope, staff_user):
    m = member(committee_scope)
    a = activity(staff_user, committee_scope, state="held")
    (p,) = services.participants_assign(actor=staff_user, activity=a, memberships=[m])
    for attendance in ("attended", "absent", "attended", "absent", "leave"):
        services.attendance_record(
            actor=staff_user, activity=a, entries={p.pk: {"attendance": attendance}}
        )
    assert [r[5] for r in ledger()] == [1, -1, 1, -1]


def test_the_activity_kinds_setting_has_its_default(committee_scope):
    from zhengxie.core.config import get_setting

    assert get_setting(committee_scope, "activity_kinds") == [
        "视察",
        "调研",
        "界别活动",
        "专委会活动",
        "委员小组活动",
        "其他",
    ]
