"""Deadline reminders (30/7/0 working days, overdue), the unrated-reply flag and the overdue page.

The dates are around China's 2025 National Day holiday: 1–8 October off, Sunday 28 September and
Saturday 11 October worked (调休).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AssignmentFactory, ProposalFactory, ReplyFactory, user_with_role
from zhengxie.core.calendar import is_workday, working_days_between
from zhengxie.core.config import set_setting
from zhengxie.core.models import Notification, Role
from zhengxie.proposals import services, tasks
from zhengxie.proposals.models import (
    AssignmentRole,
    AssignmentState,
    Proposal,
    ProposalState,
    Reminder,
)
from zhengxie.proposals.reminders import send_reminders

D = datetime.date


def _days(start, end):
    day = start
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


@pytest.fixture
def cases(county):
    c, s = county.committee, county.session
    (_u0, edu), (_u1, finance), (_u2, transport) = county.units

    def assignment(title, unit, deadline, **extra):
        proposal = ProposalFactory(
            committee=c, session=s, title=title, state=ProposalState.ASSIGNED
        )
        return AssignmentFactory(
            proposal=proposal,
            unit=unit,
            assigned_on=D(2025, 7, 15),
            deadline=deadline,
            **extra,
        )

    return {
        # A Wednesday after the holiday.
        "wed": assignment("甲", edu, D(2025, 10, 15), state=AssignmentState.ACCEPTED),
        # A Saturday (an approved extension may end on any day).
        "sat": assignment("乙", finance, D(2025, 10, 18), state=AssignmentState.CONTACTED),
        # Already answered: no deadline reminders.
        "done": assignment("丙", transport, D(2025, 10, 15), state=AssignmentState.REPLIED),
    }


def test_each_reminder_is_sent_once_on_the_right_working_day(county, cases):
    for day in _days(D(2025, 8, 20), D(2025, 10, 22)):
        send_reminders(on=day)
    sent = sorted(
        (r.sent_on, r.assignment.proposal.title, r.kind)
        for r in Reminder.objects.exclude(kind="unrated").select_related("assignment__proposal")
    )
    assert sent == [
        (D(2025, 8, 28), "甲", "30"),
        (D(2025, 9, 1), "乙", "30"),
        (D(2025, 9, 29), "甲", "7"),
        (D(2025, 10, 9), "乙", "7"),
        (D(2025, 10, 15), "甲", "0"),
        (D(2025, 10, 16), "甲", "overdue"),
        (D(2025, 10, 17), "乙", "0"),
        # Saturday 18 and Sunday 19 are not working days.
        (D(2025, 10, 20), "乙", "overdue"),
    ]


def test_the_unit_hears_of_a_near_deadline_and_staff_also_of_an_overdue_one(county, cases):
    edu_user = county.units[0][0]
    send_reminders(on=D(2025, 9, 29))
    send_reminders(on=D(2025, 10, 16))
    rows = Notification.objects.filter(title__endswith="甲").order_by("pk")
    assert [(n.recipient_id, n.title) for n in rows] == [
        (edu_user.pk, "提案答复期限临近:甲"),
        (edu_user.pk, "提案办理已超期:甲"),
        (county.staff.pk, "提案办理已超期:甲"),
        (county.other_staff.pk, "提案办理已超期:甲"),
    ]
    assert rows[0].body == "提案(甲)距答复期限(2025-10-15)还有7个工作日,请抓紧办理。"


def test_a_second_run_on_the_same_day_sends_nothing(county, cases):
    assert send_reminders(on=D(2025, 10, 16))["overdue"] == 1
    count = Notification.objects.count()
    assert send_reminders(on=D(2025, 10, 16)) == {
        "30": 0,
        "7": 0,
        "0": 0,
        "overdue": 0,
        "unrated": 0,
    }
    assert Notification.objects.count() == count == 4  # 3 overdue (甲), 1 seven-day (乙)


def test_a_rehandled_case_gets_its_own_reminders(county, cases):
    send_reminders(on=D(2025, 10, 16))
    wed = cases["wed"]
    wed.round, wed.deadline, wed.state = 2, D(2025, 10, 17), AssignmentState.REHANDLING
    wed.save(update_fields=["round", "deadline", "state"])
    send_reminders(on=D(2025, 10, 17))
    assert sorted(Reminder.objects.filter(assignment=wed).values_list("round", "kind")) == [
        (1, "overdue"),
        (2, "0"),
    ]


def test_a_reply_nobody_rated_is_flagged_to_staff_once(county, cases):
    admin = user_with_role(county.committee, Role.ADMIN)
    set_setting(committee=county.committee, key="unrated_reply_flag_days", value=20, actor=admin)
    done = cases["done"]
    ReplyFactory(assignment=done, replied_on=D(2025, 9, 1))
    letter = AssignmentFactory(
        proposal=done.proposal,
        unit=county.units[1][1],
        role=AssignmentRole.LETTER,
        state=AssignmentState.REPLIED,
    )
    ReplyFactory(assignment=letter, replied_on=D(2025, 9, 1))  # letters are not rated
    for day in _days(D(2025, 9, 15), D(2025, 10, 13)):
        send_reminders(on=day)
    flags = Reminder.objects.filter(kind="unrated")
    assert [(r.assignment_id, r.sent_on) for r in flags] == [(done.pk, D(2025, 9, 22))]
    titles = Notification.objects.filter(title__startswith="答复超过").values_list(
        "recipient_id", "title"
    )
    assert sorted(titles) == [
        (county.staff.pk, "答复超过20天未评价:丙"),
        (county.other_staff.pk, "答复超过20天未评价:丙"),
    ]


# The overdue page --------------------------------------------------------------------------


@pytest.fixture
def overdue_cases(county):
    c, s = county.committee, county.session
    (_u0, edu), (_u1, finance), (_u2, _transport) = county.units
    today = timezone.localdate()
    rows = {}
    for title, unit, days_ago in (("甲", edu, 30), ("乙", edu, 10), ("丙", finance, 60)):
        proposal = ProposalFactory(
            committee=c, session=s, title=title, state=ProposalState.ASSIGNED
        )
        rows[title] = AssignmentFactory(
            proposal=proposal,
            unit=unit,
            state=AssignmentState.ACCEPTED,
            deadline=today - datetime.timedelta(days=days_ago),
        )
    answered = ProposalFactory(committee=c, session=s, title="丁", state=ProposalState.REPLIED)
    AssignmentFactory(
        proposal=answered,
        unit=finance,
        state=AssignmentState.REPLIED,
        deadline=today - datetime.timedelta(days=5),
    )
    return rows


def test_staff_see_overdue_cases_most_overdue_first_with_a_unit_summary(
    county, overdue_cases, login, django_assert_max_num_queries
):
    client = login(county.staff)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("proposals:overdue"))
    assert response.status_code == 200
    rows = response.context["rows"]
    today = timezone.localdate()
    assert [(a.proposal.title, a.days_overdue) for a in rows] == [
        (t, working_days_between(overdue_cases[t].deadline, today, committee=county.committee))
        for t in ("丙", "甲", "乙")
    ]
    assert [(u.name, n) for u, n in response.context["summary"]] == [
        ("县教育局", 2),
        ("县财政局", 1),
    ]
    ascending = client.get(reverse("proposals:overdue") + "?sort=days").context["rows"]
    assert [a.proposal.title for a in ascending] == ["乙", "甲", "丙"]


def test_units_and_members_may_not_open_the_overdue_page(county, overdue_cases, login):
    assert login(county.units[0][0]).get(reverse("proposals:overdue")).status_code == 403
    assert login(county.members[0][0]).get(reverse("proposals:overdue")).status_code == 403


# The daily job -----------------------------------------------------------------------------


def test_the_daily_job_closes_expired_signature_collections_and_sends_reminders(county):
    lead_user, _lead = county.members[0]
    proposal = services.proposal_create(
        actor=lead_user,
        committee=county.committee,
        data={"title": "关于完善农村养老服务的建议", "situation": "情况", "suggestions": "建议"},
        cosigners=[county.members[1][1]],
    )
    services.proposal_submit(actor=lead_user, proposal=proposal)
    Proposal.objects.filter(pk=proposal.pk).update(
        signature_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    today = timezone.localdate()
    overdue = AssignmentFactory(
        proposal=ProposalFactory(
            committee=county.committee, session=county.session, state=ProposalState.ASSIGNED
        ),
        unit=county.units[0][1],
        deadline=today - datetime.timedelta(days=3),
    )
    tasks.proposal_daily_jobs.call_local()
    assert Proposal.objects.get(pk=proposal.pk).state == ProposalState.SUBMITTED
    expected = [(overdue.pk, "overdue")] if is_workday(today, committee=county.committee) else []
    assert list(Reminder.objects.values_list("assignment_id", "kind")) == expected
