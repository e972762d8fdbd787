"""The proposals of the demo county (driven through the services) and of seed-scale (bulk).

Seeding the demo takes ~15 s, so it runs once for this module inside a transaction that is
rolled back at the end; each test still runs in its own savepoint.
"""

import datetime
import io
import json
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled

from zhengxie.core.models import DutyRecord, Role, RoleAssignment, User
from zhengxie.demo.county import seed_demo
from zhengxie.demo.proposals import SCALE_PER_YEAR, compose
from zhengxie.organisation.models import Committee
from zhengxie.proposals.models import (
    REGISTERED_STATES,
    Assignment,
    AssignmentState,
    Award,
    AwardKind,
    KeyState,
    Proposal,
    ProposalCategory,
    ProposalHistory,
    ProposalState,
    Rating,
    Reply,
)
from zhengxie.proposals.queries import pending_signatures, proposal_list

pytestmark = pytest.mark.django_db


def scale(*args):
    out = io.StringIO()
    call_command(
        "seed-scale",
        "--committees", "3", "--members-per-committee", "20", "--years", "1", *args,
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    return json.loads(out.getvalue())


# Scale (before the demo fixture fills the database) -----------------------------------------


def test_seed_scale_gives_every_committee_proposals_for_each_year(unscoped):
    summary = scale()
    committees = Committee.objects.filter(code__startswith="SCALE-").order_by("code")
    per_committee = {c.code: Proposal.objects.filter(committee=c).count() for c in committees}
    assert per_committee == {
        "SCALE-C01": SCALE_PER_YEAR["city"],
        "SCALE-P00": SCALE_PER_YEAR["province"],
        "SCALE-X001": SCALE_PER_YEAR["county"],
    }
    assert summary["proposals"] == sum(per_committee.values())
    assert ProposalCategory.objects.filter(committee__code="SCALE-X001").count() == 10


def test_seed_scale_writes_final_states_with_their_rows(unscoped):
    scale()
    county = Proposal.objects.filter(committee__code="SCALE-X001")
    states = Counter(county.values_list("state", flat=True))
    assert states == {"closed": 108, "merged": 28, "to_opinion_letter": 36, "not_registered": 28}
    registered = county.filter(state=ProposalState.CLOSED)
    numbers = sorted(registered.values_list("number", flat=True))
    assert numbers == list(range(1, 109))
    assignments = Assignment.objects.filter(proposal__in=county)
    assert set(assignments.values_list("state", flat=True)) == {AssignmentState.DONE}
    assert Reply.objects.filter(assignment__in=assignments).count() == assignments.count()
    assert Rating.objects.filter(reply__assignment__in=assignments).exists()
    history = ProposalHistory.objects.filter(subject__in=county)
    assert history.filter(action="submit").count() == 200
    assert history.filter(created__date__gte=timezone.localdate()).count() == 0
    ledger = DutyRecord.objects.filter(committee__code="SCALE-X001", kind="proposal")
    leads = county.filter(lead__isnull=False).count()
    assert ledger.filter(sub_kind="submitted").count() == leads


def test_seed_scale_reset_removes_the_proposals_too(unscoped):
    scale()
    summary = scale("--reset")
    assert summary["proposals"] == Proposal.objects.count()
    assert Committee.objects.filter(code__startswith="SCALE-").count() == 3


# The demo county ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(ZHENGXIE_DEMO=True),
        transaction.atomic(),
    ):
        seed_demo(opinions=False, meetings=False)
        with scopes_disabled():
            county = Committee.objects.get(code="330000-DEMO-01")
        yield county
        transaction.set_rollback(True)


def acting(username, county):
    user = User.objects.get(username=username)
    user.active_role = RoleAssignment.objects.get(user=user, committee=county)
    return user


def test_the_demo_has_proposals_in_every_state(demo, unscoped):
    states = set(Proposal.objects.filter(committee=demo).values_list("state", flat=True))
    assert states == set(ProposalState.values)


def test_the_demo_has_assignments_in_every_state(demo, unscoped):
    states = set(Assignment.objects.filter(committee=demo).values_list("state", flat=True))
    assert states == set(AssignmentState.values)


def test_the_review_outcomes_follow_the_county_report_shares(demo, unscoped):
    for year in (2025, 2026):
        proposals = Proposal.objects.filter(committee=demo, session__opens_on__year=year)
        states = Counter(proposals.values_list("state", flat=True))
        outcomes = {
            "registered": sum(states[s] for s in REGISTERED_STATES),
            "merged": states[ProposalState.MERGED],
            "to_opinion": states[ProposalState.TO_OPINION_LETTER],
            "not_registered": states[ProposalState.NOT_REGISTERED]
            + states[ProposalState.TO_PUBLIC_OPINION],
        }
        total = sum(outcomes.values())
        shares = {key: round(100 * n / total) for key, n in outcomes.items()}
        intended = {"registered": 54, "merged": 14, "to_opinion": 18, "not_registered": 14}
        assert all(abs(shares[k] - intended[k]) <= 2 for k in intended), (year, shares)
        assert 150 <= proposals.count() <= 230


def test_registered_proposals_are_numbered_in_the_order_they_were_registered(demo, unscoped):
    for year in (2025, 2026):
        rows = list(
            Proposal.objects.filter(
                committee=demo, session__opens_on__year=year, number__isnull=False
            )
            .order_by("number")
            .values_list("number", "registered_on")
        )
        assert [n for n, _d in rows] == list(range(1, len(rows) + 1))
        assert [d for _n, d in rows] == sorted(d for _n, d in rows)


def test_events_are_dated_in_the_past_within_their_session(demo, unscoped):
    now = timezone.now()
    proposals = Proposal.objects.filter(committee=demo).select_related("session")
    assert not ProposalHistory.objects.filter(committee=demo, created__gt=now).exists()
    plenary_2025 = [
        timezone.localtime(p.submitted_at).date()
        for p in proposals
        if p.is_plenary and p.session.opens_on.year == 2025
    ]
    assert min(plenary_2025) == datetime.date(2025, 2, 17)
    assert max(plenary_2025) <= datetime.date(2025, 2, 20)
    between = [p for p in proposals if p.submitted_at and not p.is_plenary]
    assert all(timezone.localtime(p.submitted_at).date() > p.session.closes_on for p in between)


def test_the_demo_member_has_proposals_in_several_states(demo, unscoped):
    member = acting("member", demo)
    mine = Counter(proposal_list(member, view="mine").values_list("state", flat=True))
    assert mine == {
        "closed": 2,
        "to_opinion_letter": 1,
        "replied": 1,
        "assigned": 1,
        "returned": 1,
        "draft": 2,
        "submitted": 1,
        "collecting_signatures": 1,
    }
    awaiting_rating = Assignment.objects.filter(
        proposal__lead__person__user=member, state=AssignmentState.REPLIED
    )
    assert awaiting_rating.count() == 1
    assert pending_signatures(member).count() == 1
    assert (
        Award.objects.filter(
            kind=AwardKind.OUTSTANDING_PROPOSAL, proposal__lead__person__user=member
        ).count()
        == 1
    )


def test_the_demo_unit_has_a_case_in_every_assignment_state(demo, unscoped):
    unit = acting("unit", demo)
    mine = Assignment.objects.filter(unit_id=unit.active_role.handling_unit_id)
    assert set(mine.values_list("state", flat=True)) == set(AssignmentState.values)
    listed = proposal_list(unit, view="unit")
    expected = mine.exclude(state=AssignmentState.RETURNED).values("proposal").distinct()
    assert listed.count() == expected.count()
    overdue = mine.filter(state=AssignmentState.CONTACTED, deadline__lt=timezone.localdate())
    assert overdue.count() == 1


def test_the_demo_staff_have_a_review_queue(demo, unscoped):
    staff = acting("staff", demo)
    queue = Counter(proposal_list(staff, view="review").values_list("state", flat=True))
    assert queue == {"submitted": 5, "under_review": 3}
    assert proposal_list(staff, view="overdue").count() >= 4


def test_key_proposals_are_about_eight_percent_and_supervised(demo, unscoped):
    registered = Proposal.objects.filter(committee=demo, state__in=REGISTERED_STATES)
    key = registered.filter(key_state=KeyState.DECIDED)
    assert 0.05 <= key.count() / registered.count() <= 0.10
    assert all(p.key_leader or p.key_supervisor for p in key)
    assert all(p.supervision_records.count() == 2 for p in key)
    leader = User.objects.get(username="leader")
    assert key.filter(key_leader_user=leader).exists()


def test_replies_and_ratings_have_the_intended_mix(demo, unscoped):
    categories = Counter(
        Reply.objects.filter(committee=demo).exclude(category="").values_list("category", flat=True)
    )
    total = sum(categories.values())
    assert 0.45 <= categories["A"] / total <= 0.65
    assert 0.25 <= categories["B"] / total <= 0.45
    assert 0.04 <= categories["C"] / total <= 0.16
    results = Counter(Rating.objects.filter(committee=demo).values_list("result", flat=True))
    assert results["satisfied"] > results["basically"] > results["unsatisfied"] > 0
    assert Assignment.objects.filter(committee=demo, round=2).exists()


def test_proposers_get_duty_ledger_rows(demo, unscoped):
    registered = Proposal.objects.filter(
        committee=demo, state__in=REGISTERED_STATES, lead__isnull=False
    )
    rows = DutyRecord.objects.filter(committee=demo, kind="proposal", sub_kind="registered")
    assert set(rows.filter(role="lead").values_list("source_id", flat=True)) == set(
        registered.values_list("pk", flat=True)
    )


def test_a_second_demo_run_adds_no_proposals(demo, unscoped):
    def counts():
        return [
            m.objects.count()
            for m in (Proposal, Assignment, Reply, Rating, User, DutyRecord, ProposalHistory)
        ]

    before = counts()
    with override_settings(ZHENGXIE_DEMO=True):
        seed_demo(opinions=False, meetings=False)
    assert counts() == before


def test_proposal_texts_read_like_proposals():
    import random

    title, situation, suggestions, topic = compose(random.Random(1), "乡村振兴")
    assert title.startswith("关于") and title.endswith("的建议") and topic in title
    assert 250 <= len(situation) <= 800
    assert 250 <= len(suggestions) <= 800
    assert suggestions.startswith("为此,建议:一是")


def test_demo_users_can_act_in_their_roles(demo, unscoped):
    member = acting("member", demo)
    assert member.active_role.role == Role.MEMBER
    reply = Assignment.objects.get(
        proposal__lead__person__user=member, state=AssignmentState.REPLIED
    )
    assert member.has_perm("proposals.rate", reply)
