"""Exit rules on hand-built ledgers: exactly the members who meet a rule are flagged, once;
staff handle a flag (talk, accept resignation, remove, dismiss) with history and the membership
change; chairs are told of new flags."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope

from tests.factories import MembershipFactory, user_with_role
from zhengxie.core.ledger import correct_duty, record_duty
from zhengxie.core.models import AuditEntry, Notification, Role
from zhengxie.core.workflow import InvalidTransition
from zhengxie.organisation.models import MembershipStatus, MembershipStatusChange
from zhengxie.performance import exits, tables
from zhengxie.performance.models import ExitFlag, ExitFlagHistory, FlagState, PointTable

ON = datetime.date(2026, 11, 1)
PLENARY_2 = ("absences", "plenary", "consecutive", 2)
STANDING_TERM_3 = ("absences", "standing", "term", 3)
LOW_2 = ("low_score", "", "consecutive", 2)
INSPECTION = ("inspection", "", "", "视察", "30", "time", None, "full", None)


def save_table(committee, year, *, exit_rules=(), rules=(INSPECTION,), pass_mark="60"):
    admin = user_with_role(committee, Role.ADMIN)
    table, _created = PointTable.objects.get_or_create(committee=committee, year=year)
    return tables.table_save(
        actor=admin,
        table=table,
        contents={
            "pass_mark": pass_mark,
            "commendation_threshold": "100",
            "commendation_share": 10,
            "rules": [dict(zip(tables.RULE_FIELDS, r, strict=True)) for r in rules],
            "exit_rules": [dict(zip(tables.EXIT_FIELDS, r, strict=True)) for r in exit_rules],
        },
    )


def meeting(member, outcome, month, category="plenary"):
    return record_duty(
        membership=member,
        kind="attendance",
        sub_kind=f"{category}.{outcome}",
        occurred_on=datetime.date(2026, month, 10),
        title=f"{month}月{category}会议",
        role="participant",
    )


@pytest.fixture
def staff(committee):
    return user_with_role(committee, Role.STAFF)


@pytest.fixture
def absences(committee_scope, other_committee):
    """a: two unexcused plenaries in a row; b: a run broken by approved leave; c: the second
    absence corrected to attended; c2: the second absence cancelled; d: three standing
    absences apart; e: resigned; x: another committee's member."""
    c_ = committee_scope
    save_table(c_, 2026, exit_rules=[PLENARY_2, STANDING_TERM_3])
    a = MembershipFactory(committee=c_)
    term = a.term
    b, c, d, e = (MembershipFactory(committee=c_, term=term) for _ in range(4))
    meeting(a, "attended", 1)
    meeting(a, "absent", 3)
    meeting(a, "leave_requested", 6)
    meeting(b, "absent", 3)
    meeting(b, "leave_approved", 6)
    meeting(b, "absent", 9)
    meeting(c, "absent", 3)
    wrong = meeting(c, "absent", 6)
    correct_duty(record=wrong, actor=None, note="出席情况更正")
    meeting(c, "attended", 6)
    c2 = MembershipFactory(committee=c_, term=term)
    meeting(c2, "absent", 3)
    cancelled = meeting(c2, "absent", 6)
    correct_duty(record=cancelled, actor=None, note="出席情况更正:误记缺席")
    for month in (2, 5, 8):
        meeting(d, "absent", month, "standing")
        meeting(d, "attended", month + 1, "standing")
    meeting(d, "absent", 4)  # one plenary: no run
    e.status = MembershipStatus.RESIGNED
    e.save(update_fields=["status"])
    meeting(e, "absent", 3)
    meeting(e, "absent", 6)
    with scope(committee=other_committee):
        save_table(other_committee, 2026, exit_rules=[PLENARY_2])
        x = MembershipFactory(committee=other_committee)
        meeting(x, "absent", 3)
        meeting(x, "absent", 6)
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "x": x}


def test_absence_rules_find_exactly_the_members_who_meet_them(absences, committee):
    a, d = absences["a"], absences["d"]
    findings = exits.evaluate(committee=committee, on=ON)
    assert [(f.membership, f.key) for f in findings] == [
        (a, "absences:plenary:consecutive"),
        (d, "absences:standing:term"),
    ]
    first, second = findings
    assert first.description == "连续2次无故缺席全体会议(规则:连续2次)"
    assert [(e["date"], e["title"], e["outcome"]) for e in first.evidence] == [
        ("2026-03-10", "3月plenary会议", "absent"),
        ("2026-06-10", "6月plenary会议", "leave_requested"),
    ]
    assert second.description == "本届累计3次无故缺席常委会议(规则:累计3次)"
    assert [e["date"] for e in second.evidence] == ["2026-02-10", "2026-05-10", "2026-08-10"]


def test_rows_before_the_seat_or_after_the_day_do_not_count(committee_scope):
    save_table(committee_scope, 2026, exit_rules=[PLENARY_2])
    late = MembershipFactory(committee=committee_scope, joined_on=datetime.date(2026, 5, 1))
    meeting(late, "absent", 3)  # before the seat began
    meeting(late, "absent", 6)
    meeting(late, "absent", 12)  # after ``on``
    assert exits.evaluate(committee=committee_scope, on=ON) == []
    [finding] = exits.evaluate(committee=committee_scope, on=datetime.date(2026, 12, 31))
    assert [e["date"] for e in finding.evidence] == ["2026-06-10", "2026-12-10"]


def test_raising_is_idempotent_and_tells_the_chairs(
    absences, committee, django_capture_on_commit_callbacks
):
    chair = user_with_role(committee, Role.CHAIR)
    with django_capture_on_commit_callbacks(execute=True):
        assert exits.raise_flags(committee=committee, on=ON) == 2
    assert exits.raise_flags(committee=committee, on=ON) == 0
    flags = ExitFlag.objects.order_by("pk")
    assert [(f.membership, f.key, f.state, f.raised_on) for f in flags] == [
        (absences["a"], "absences:plenary:consecutive", FlagState.OPEN, ON),
        (absences["d"], "absences:standing:term", FlagState.OPEN, ON),
    ]
    assert ExitFlagHistory.objects.filter(action="raise").count() == 2
    assert AuditEntry.objects.filter(object_type="performance.ExitFlag").count() == 2
    [note] = Notification.objects.filter(recipient=chair)
    assert note.title == "发现2条委员退出情形"
    assert note.url == "/performance/flags/"


def test_a_closed_flag_is_not_raised_again(absences, committee, staff):
    exits.raise_flags(committee=committee, on=ON)
    flag = ExitFlag.objects.get(membership=absences["a"])
    exits.flag_act(actor=staff, flag=flag, action="dismiss", note="因公出差,已补假")
    meeting(absences["a"], "absent", 10)  # the run grows to three
    assert exits.raise_flags(committee=committee, on=ON) == 0
    flag.refresh_from_db()
    assert (flag.state, ExitFlag.objects.count()) == (FlagState.DISMISSED, 2)


def test_only_staff_may_raise_from_the_page(absences, committee):
    chair = user_with_role(committee, Role.CHAIR)
    with pytest.raises(PermissionDenied):
        exits.raise_flags(committee=committee, actor=chair, on=ON)
    assert ExitFlag.objects.count() == 0


# Low scores ----------------------------------------------------------------------------------


def inspections(member, year, n):
    for day in range(1, n + 1):
        record_duty(membership=member, kind="inspection", occurred_on=datetime.date(year, 4, day))


def test_low_scores_two_years_running_are_flagged_with_the_scores(committee_scope):
    save_table(committee_scope, 2024, rules=[INSPECTION])
    save_table(committee_scope, 2025, rules=[INSPECTION], pass_mark="50")
    save_table(committee_scope, 2026, rules=[INSPECTION], exit_rules=[LOW_2])
    low = MembershipFactory(committee=committee_scope)
    term = low.term
    fine = MembershipFactory(committee=committee_scope, term=term)
    added = MembershipFactory(
        committee=committee_scope, term=term, joined_on=datetime.date(2024, 3, 1)
    )
    inspections(low, 2024, 1)  # 30 < 60
    inspections(low, 2025, 1)  # 30 < 50
    inspections(fine, 2024, 1)
    inspections(fine, 2025, 2)  # 60: not below 50
    inspections(added, 2025, 1)  # 2024 is a partial year: one low year only
    inspections(low, 2026, 0)  # the current year is never judged
    [finding] = exits.evaluate(committee=committee_scope, on=ON)
    assert (finding.membership, finding.key) == (low, "low_score:consecutive")
    assert finding.description == "连续2年年度积分低于合格分(规则:连续2年)"
    assert finding.evidence == [
        {"year": 2024, "score": "30.00", "pass_mark": "60.00"},
        {"year": 2025, "score": "30.00", "pass_mark": "50.00"},
    ]


def test_a_year_without_a_table_breaks_a_run_but_counts_in_the_term(committee_scope):
    save_table(committee_scope, 2023, rules=[INSPECTION])
    save_table(committee_scope, 2025, rules=[INSPECTION])
    member = MembershipFactory(committee=committee_scope, joined_on=datetime.date(2023, 1, 1))
    inspections(member, 2025, 1)
    save_table(committee_scope, 2026, exit_rules=[LOW_2])
    assert exits.evaluate(committee=committee_scope, on=ON) == []
    save_table(committee_scope, 2026, exit_rules=[("low_score", "", "term", 2)])
    [finding] = exits.evaluate(committee=committee_scope, on=ON)
    assert finding.key == "low_score:term"
    assert [(e["year"], e["score"]) for e in finding.evidence] == [(2023, "0.00"), (2025, "30.00")]


def test_without_a_table_nothing_is_evaluated(committee_scope):
    member = MembershipFactory(committee=committee_scope)
    meeting(member, "absent", 3)
    meeting(member, "absent", 6)
    assert exits.evaluate(committee=committee_scope, on=ON) == []


def test_last_years_exit_rules_apply_until_this_years_table_exists(committee_scope):
    save_table(committee_scope, 2025, exit_rules=[PLENARY_2])
    member = MembershipFactory(committee=committee_scope)
    meeting(member, "absent", 3)
    meeting(member, "absent", 6)
    assert [f.membership for f in exits.evaluate(committee=committee_scope, on=ON)] == [member]


# Staff handling ------------------------------------------------------------------------------


@pytest.fixture
def flag(absences, committee):
    exits.raise_flags(committee=committee, on=ON)
    return ExitFlag.objects.get(membership=absences["a"])


def test_staff_talk_then_accept_the_resignation(flag, staff):
    talked = exits.flag_act(actor=staff, flag=flag, action="talk", note="已由秘书长谈话提醒")
    assert talked.state == FlagState.TALKED
    resigned = exits.flag_act(
        actor=staff,
        flag=talked,
        action="accept_resignation",
        effective_on=datetime.date(2026, 11, 10),
        decided_by="十届常委会第八次会议",
        note="本人申请辞去委员",
    )
    assert resigned.state == FlagState.RESIGNED
    membership = resigned.membership
    membership.refresh_from_db()
    assert (membership.status, membership.left_on) == (
        MembershipStatus.RESIGNED,
        datetime.date(2026, 11, 10),
    )
    change = MembershipStatusChange.objects.get(subject=membership)
    assert (change.kind, change.decided_by, change.note) == (
        "resigned",
        "十届常委会第八次会议",
        "本人申请辞去委员",
    )
    history = list(flag.history.order_by("pk").values_list("action", "to_state", "note"))
    assert history == [
        ("raise", "open", "连续2次无故缺席全体会议(规则:连续2次)"),
        ("talk", "talked", "已由秘书长谈话提醒"),
        ("accept_resignation", "resigned", "本人申请辞去委员"),
    ]
    assert flag.history.last().data == {
        "effective_on": "2026-11-10",
        "decided_by": "十届常委会第八次会议",
    }


def test_staff_remove_a_member(flag, staff):
    removed = exits.flag_act(
        actor=staff,
        flag=flag,
        action="remove",
        effective_on=datetime.date(2026, 11, 10),
        decided_by="十届常委会第八次会议",
    )
    removed.membership.refresh_from_db()
    assert (removed.state, removed.membership.status) == (FlagState.REMOVED, "removed")


@pytest.mark.parametrize(
    ("action", "extra", "messages"),
    [
        ("talk", {}, {"note": ["请填写谈话提醒情况。"]}),
        ("dismiss", {"note": "  "}, {"note": ["请填写不予处理的理由。"]}),
        (
            "remove",
            {},
            {"effective_on": ["请填写生效日期。"], "decided_by": ["请填写作出决定的会议。"]},
        ),
    ],
)
def test_missing_input_is_refused_in_chinese_and_nothing_changes(
    flag, staff, action, extra, messages
):
    with pytest.raises(ValidationError) as exc:
        exits.flag_act(actor=staff, flag=flag, action=action, **extra)
    assert exc.value.message_dict == messages
    flag.refresh_from_db()
    assert (flag.state, flag.history.count()) == (FlagState.OPEN, 1)


def test_a_refused_membership_change_leaves_the_flag_open(flag, staff):
    with pytest.raises(ValidationError, match="变动日期不能早于任职日期"):
        exits.flag_act(
            actor=staff,
            flag=flag,
            action="accept_resignation",
            effective_on=datetime.date(2020, 1, 1),
            decided_by="常委会",
        )
    flag.refresh_from_db()
    flag.membership.refresh_from_db()
    assert (flag.state, flag.history.count()) == (FlagState.OPEN, 1)
    assert flag.membership.status == MembershipStatus.IN_OFFICE


def test_two_staff_acting_at_once_one_wins(flag, staff, committee):
    other = user_with_role(committee, Role.STAFF)
    stale = ExitFlag.objects.get(pk=flag.pk)
    exits.flag_act(actor=staff, flag=flag, action="dismiss", note="经核实情况属实但已补假")
    with pytest.raises(InvalidTransition, match="可能已被他人处理"):
        exits.flag_act(actor=other, flag=stale, action="talk", note="谈话")
    assert flag.history.count() == 2


def test_a_chair_may_not_handle_a_flag(flag, committee):
    chair = user_with_role(committee, Role.CHAIR)
    with pytest.raises(PermissionDenied):
        exits.flag_act(actor=chair, flag=flag, action="talk", note="谈话")


def test_the_nightly_task_checks_every_committee(absences, committee, other_committee):
    from zhengxie.performance.tasks import raise_exit_flags

    assert raise_exit_flags.call_local() == 3  # a and d here, x in the other committee


def test_meetings_are_told_apart_by_their_source_and_corrections_net_out(committee_scope):
    from django.utils import timezone

    from zhengxie.meetings.models import Meeting

    save_table(committee_scope, 2026, exit_rules=[PLENARY_2])
    member = MembershipFactory(committee=committee_scope)
    rows = []
    for day in (3, 4, 5):  # three plenaries
        starts = timezone.make_aware(datetime.datetime(2026, 3, day, 9))
        plenary = Meeting.objects.create(
            committee=committee_scope,
            category="plenary",
            title=f"全体会议{day}",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            place="会堂",
            state="closed",
        )
        rows.append(
            record_duty(
                membership=member,
                kind="attendance",
                sub_kind="plenary.absent",
                occurred_on=starts.date(),
                source=plenary,
                title=plenary.title,
            )
        )
    [finding] = exits.evaluate(committee=committee_scope, on=ON)
    assert [(e["title"], e["record"]) for e in finding.evidence] == [
        ("全体会议3", rows[0].pk),
        ("全体会议4", rows[1].pk),
        ("全体会议5", rows[2].pk),
    ]
    correct_duty(record=rows[1], actor=None, note="出席情况更正:全体会议4")
    record_duty(
        membership=member,
        kind="attendance",
        sub_kind="plenary.leave_approved",
        occurred_on=rows[1].occurred_on,
        source=rows[1].source,
        title="全体会议4",
    )
    assert exits.evaluate(committee=committee_scope, on=ON) == []  # 3 absent, 4 excused, 5 absent
