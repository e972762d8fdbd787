"""Proposal figures: a fixed data set counted by hand, for a session, a year and a term; the
statistics page and the API."""

import datetime
import zoneinfo

import pytest
from django_scopes import scope

from tests.factories import (
    AssignmentFactory,
    CommitteeFactory,
    HandlingUnitFactory,
    MembershipFactory,
    PersonFactory,
    ProposalCategoryFactory,
    ProposalFactory,
    RatingFactory,
    ReplyFactory,
    SessionFactory,
    TermFactory,
    user_with_role,
)
from zhengxie.core.models import Role, StaffOffice
from zhengxie.core.tokens import issue_token
from zhengxie.organisation.models import MembershipStatus
from zhengxie.proposals.models import (
    AssignmentRole,
    AssignmentState,
    Award,
    AwardKind,
    CoSigner,
    KeyState,
    ProposalState,
    SignatureState,
    SubmitterType,
)
from zhengxie.proposals.stats import format_rate, proposal_figures

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
S = ProposalState
R = AssignmentRole


def at(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def build_data(committee):
    """Term 10 with sessions 4 (opens 2025-01-10) and 5 (opens 2026-01-08); five members in
    office (m1–m5) and one who resigned in 2024 (m6). What each proposal is, and why, is noted
    next to it; the expected figures are counted by hand in the tests below."""
    term = TermFactory(committee=committee, starts_on=datetime.date(2022, 1, 1))
    s1 = SessionFactory(
        committee=committee,
        term=term,
        number=4,
        opens_on=datetime.date(2025, 1, 10),
        closes_on=datetime.date(2025, 1, 14),
    )
    s2 = SessionFactory(
        committee=committee,
        term=term,
        number=5,
        opens_on=datetime.date(2026, 1, 8),
        closes_on=datetime.date(2026, 1, 11),
    )
    m = {
        i: MembershipFactory(
            committee=committee,
            term=term,
            person=PersonFactory(committee=committee, name=f"委员{i}"),
        )
        for i in range(1, 7)
    }
    m[6].status, m[6].left_on = MembershipStatus.RESIGNED, datetime.date(2024, 6, 1)
    m[6].save(update_fields=["status", "left_on"])
    economy = ProposalCategoryFactory(committee=committee, name="经济发展")
    education = ProposalCategoryFactory(committee=committee, name="教育", is_livelihood=True)
    edu = HandlingUnitFactory(committee=committee, name="县教育局")
    fin = HandlingUnitFactory(committee=committee, name="县财政局")
    health = HandlingUnitFactory(committee=committee, name="县卫健局")

    def proposal(session, lead, state, submitted=None, plenary=True, **extra):
        return ProposalFactory(
            committee=committee,
            session=session,
            lead=lead,
            submitter_type=extra.pop("submitter_type", SubmitterType.MEMBER),
            state=state,
            is_plenary=plenary,
            submitted_at=submitted or at(2025, 1, 11),
            **extra,
        )

    def assign(p, unit, role, state=AssignmentState.DONE):
        return AssignmentFactory(proposal=p, committee=committee, unit=unit, role=role, state=state)

    def reply(a, category, round=1, corrected="", rating=None):
        r = ReplyFactory(assignment=a, round=round, category=category, corrected_category=corrected)
        if rating:
            RatingFactory(reply=r, attitude=rating[0], result=rating[1])
        return r

    sat, basic, unsat = "satisfied", "basically", "unsatisfied"
    # P1: single unit, replied B corrected to A, rated; key; livelihood.
    p1 = proposal(s1, m[1], S.CLOSED, category=education, key_state=KeyState.DECIDED)
    reply(assign(p1, edu, R.SINGLE), "B", corrected="A", rating=(sat, sat))
    # P2: joint (m3 confirmed, m4 only invited); split between two units: C and B → adopted.
    p2 = proposal(s1, m[2], S.CLOSED, category=economy, submitter_type=SubmitterType.JOINT)
    CoSigner.objects.create(
        committee=committee, proposal=p2, membership=m[3], order=1, state=SignatureState.CONFIRMED
    )
    CoSigner.objects.create(committee=committee, proposal=p2, membership=m[4], order=2)
    reply(assign(p2, edu, R.SPLIT), "C", rating=(basic, unsat))
    reply(assign(p2, fin, R.SPLIT), "B", rating=(sat, sat))
    # P3: main + co; the main unit re-handled it: round 1 C (unsatisfied), round 2 B.
    p3 = proposal(s1, m[1], S.CLOSED, category=education)
    main = assign(p3, fin, R.MAIN)
    reply(main, "C", rating=(unsat, unsat))
    reply(main, "B", round=2, rating=(sat, basic))
    reply(assign(p3, health, R.CO), "A")  # a co-unit's view: not a reply to the proposer
    # P4: a party's proposal; first unit returned it, the second has not replied yet.
    p4 = proposal(s1, None, S.ASSIGNED, category=economy, submitter_type=SubmitterType.PARTY_GROUP)
    assign(p4, edu, R.SINGLE, state=AssignmentState.RETURNED)
    assign(p4, health, R.SINGLE, state=AssignmentState.ACCEPTED)
    # P5–P7: merged, not registered, turned into an opinion letter (P7 outside the plenary).
    proposal(s1, m[5], S.MERGED, merged_into=p1)
    proposal(s1, m[5], S.NOT_REGISTERED)
    proposal(s1, m[5], S.TO_OPINION_LETTER, submitted=at(2025, 3, 1), plenary=False)
    # P8–P10: not received.
    proposal(s1, m[4], S.DRAFT)
    proposal(s1, m[4], S.WITHDRAWN)
    proposal(s1, m[4], S.COLLECTING_SIGNATURES)
    # P11: by the member who resigned; registered, not assigned; late on 31 Dec (local time).
    proposal(s1, m[6], S.REGISTERED, at(2025, 12, 31, 23, 30), plenary=False, category=economy)
    # P12: session 4, but submitted 00:30 on 1 Jan 2026 local time (still 2025 in UTC).
    proposal(s1, m[2], S.SUBMITTED, at(2026, 1, 1, 0, 30), plenary=False)
    # Session 5: Q1 replied A, not yet rated; Q2 a sector group's, to public opinion.
    q1 = proposal(s2, m[3], S.REPLIED, at(2026, 1, 9), category=economy)
    reply(assign(q1, edu, R.SINGLE, state=AssignmentState.REPLIED), "A")
    proposal(
        s2, None, S.TO_PUBLIC_OPINION, at(2026, 1, 9), submitter_type=SubmitterType.SECTOR_GROUP
    )
    Award.objects.create(
        committee=committee,
        kind=AwardKind.OUTSTANDING_PROPOSAL,
        year=2025,
        awarded_on=datetime.date(2025, 12, 20),
        proposal=p1,
    )
    Award.objects.create(
        committee=committee,
        kind=AwardKind.OUTSTANDING_UNIT,
        year=2026,
        awarded_on=datetime.date(2026, 3, 1),
        unit=edu,
    )
    return {"term": term, "s1": s1, "s2": s2, "members": m, "units": (edu, fin, health)}


@pytest.fixture
def data(committee_scope):
    return build_data(committee_scope)


@pytest.fixture
def foreign(db):
    """Another committee with one registered proposal of its own."""
    other = CommitteeFactory()
    with scope(committee=other):
        ProposalFactory(committee=other, state=S.REGISTERED)
    return other


def by_label(rows):
    return {row["label"]: row["value"] for row in rows}


SESSION_4 = {
    "proposals_received": 9,
    "proposals_registered": 5,
    "registration_rate": 5 / 9,
    "proposals_merged": 1,
    "proposals_to_opinion_letters": 1,
    "proposals_to_public_opinion": 0,
    "proposals_not_registered": 1,
    "key_proposals": 1,
    "proposals_replied": 3,
    "reply_rate": 0.6,
    "replies_by_category": {"A": 1, "B": 2, "C": 1},
    "replies_a": 1,
    "replies_b": 2,
    "replies_c": 1,
    "proposals_adopted": 3,
    "adoption_rate": 0.6,
    "satisfaction_attitude_rate": 1.0,
    "ratings_rated": 4,
    "ratings_attitude_satisfied": 4,
    "ratings_result_satisfied": 3,
    "satisfaction_result_rate": 0.75,
    "livelihood_proposals": 2,
    "livelihood_share": 0.4,
    "members_in_office": 5,
    "members_submitting": 4,
    "members_submitting_rate": 0.8,
    "by_category": [{"label": "经济发展", "value": 3}, {"label": "教育", "value": 2}],
    "by_submitter_type": [
        {"label": "委员个人", "value": 3},
        {"label": "委员联名", "value": 1},
        {"label": "党派团体", "value": 1},
    ],
    "outstanding_proposals": 1,
    "outstanding_units": 0,
}


def test_session_figures_equal_the_hand_counts(data, foreign):
    figures = proposal_figures(committee=data["term"].committee, session=data["s1"])
    main_units = figures.pop("by_main_unit")
    assert figures == SESSION_4
    assert by_label(main_units) == {"县教育局": 2, "县财政局": 2, "县卫健局": 1}


def test_plenary_only_keeps_the_proposals_submitted_as_plenary_proposals(data):
    figures = proposal_figures(
        committee=data["term"].committee, session=data["s1"], plenary_only=True
    )
    picked = {k: figures[k] for k in ("proposals_received", "proposals_registered")}
    picked |= {k: figures[k] for k in ("proposals_to_opinion_letters", "adoption_rate")}
    picked["members_submitting"] = figures["members_submitting"]
    assert picked == {
        "proposals_received": 6,
        "proposals_registered": 4,
        "proposals_to_opinion_letters": 0,
        "adoption_rate": 0.75,
        "members_submitting": 4,
    }


def test_year_figures_count_by_the_local_submission_date_and_awards_by_their_year(data):
    figures = proposal_figures(committee=data["term"].committee, year=2025)
    figures.pop("by_main_unit")
    assert figures == {
        **SESSION_4,
        "proposals_received": 8,
        "registration_rate": 5 / 8,
    }


def test_the_next_year_holds_the_proposal_submitted_just_after_midnight(data):
    figures = proposal_figures(committee=data["term"].committee, year=2026)
    picked = {k: figures[k] for k in ("proposals_received", "proposals_registered")}
    picked |= {k: figures[k] for k in ("outstanding_proposals", "outstanding_units")}
    assert picked == {
        "proposals_received": 3,  # P12, Q1, Q2
        "proposals_registered": 1,
        "outstanding_proposals": 0,
        "outstanding_units": 1,
    }


def test_term_figures_add_up_every_session_of_the_term(data):
    figures = proposal_figures(committee=data["term"].committee, term=data["term"])
    main_units = figures.pop("by_main_unit")
    assert figures == {
        **SESSION_4,
        "proposals_received": 11,
        "proposals_registered": 6,
        "registration_rate": 6 / 11,
        "proposals_to_public_opinion": 1,
        "proposals_replied": 4,
        "reply_rate": 4 / 6,
        "replies_by_category": {"A": 2, "B": 2, "C": 1},
        "replies_a": 2,
        "proposals_adopted": 4,
        "adoption_rate": 4 / 6,
        "livelihood_share": 2 / 6,
        "by_category": [{"label": "经济发展", "value": 4}, {"label": "教育", "value": 2}],
        "by_submitter_type": [
            {"label": "委员个人", "value": 4},
            {"label": "委员联名", "value": 1},
            {"label": "党派团体", "value": 1},
        ],
        "outstanding_units": 1,
    }
    assert by_label(main_units) == {"县教育局": 3, "县财政局": 2, "县卫健局": 1}


def test_the_figures_take_a_fixed_number_of_queries(data, django_assert_max_num_queries):
    """GROUP BY queries: more proposals do not mean more queries."""
    committee = data["term"].committee
    with django_assert_max_num_queries(16):
        proposal_figures(committee=committee, session=data["s1"])
    for _ in range(5):
        AssignmentFactory(
            proposal=ProposalFactory(committee=committee, session=data["s1"], state=S.ASSIGNED),
            committee=committee,
        )
    with django_assert_max_num_queries(16):
        proposal_figures(committee=committee, session=data["s1"])


def test_the_api_counts_a_year_and_a_term(data, proposal_staff, client):
    headers = bearer(proposal_staff)
    year = client.get("/api/v1/proposals/stats", {"year": 2025}, headers=headers).json()
    term = client.get("/api/v1/proposals/stats", {"term": data["term"].pk}, headers=headers).json()
    assert (year["period"], year["proposals_received"]) == (
        {"kind": "year", "id": None, "label": "2025年"},
        8,
    )
    assert (term["period"]["kind"], term["proposals_received"]) == ("term", 11)


def test_rates_are_none_when_there_is_nothing_to_divide(committee_scope):
    session = SessionFactory(committee=committee_scope, term=TermFactory(committee=committee_scope))
    figures = proposal_figures(committee=committee_scope, session=session)
    rates = {k: figures[k] for k in ("registration_rate", "reply_rate", "adoption_rate")}
    rates["members_submitting_rate"] = figures["members_submitting_rate"]
    assert rates == dict.fromkeys(rates, None)
    assert figures["proposals_received"] == 0


def test_figures_follow_the_committees_own_reply_categories(data, committee):
    from zhengxie.core.models import CommitteeSetting

    CommitteeSetting.objects.create(
        committee=committee, key="reply_categories", value={"A": "采纳", "B": "计划", "D": "说明"}
    )
    CommitteeSetting.objects.create(
        committee=committee, key="adopted_reply_categories", value=["A"]
    )
    figures = proposal_figures(committee=committee, session=data["s1"])
    assert (figures["replies_by_category"], figures["proposals_adopted"]) == (
        {"A": 1, "B": 2, "D": 0},
        1,
    )


def test_exactly_one_period_is_required(committee_scope):
    with pytest.raises(ValueError):
        proposal_figures(committee=committee_scope)
    with pytest.raises(ValueError):
        proposal_figures(committee=committee_scope, year=2025, term=object())


def test_format_rate_prints_a_percentage_with_one_decimal():
    assert [format_rate(x) for x in (0.5986, 1.0, 0, 2 / 3, None)] == [
        "59.9%",
        "100.0%",
        "0.0%",
        "66.7%",
        "—",
    ]


# --- page -------------------------------------------------------------------------------------


@pytest.fixture
def proposal_staff(committee):
    return user_with_role(committee, Role.STAFF, username="pstaff", office=StaffOffice.PROPOSALS)


def test_the_page_shows_every_figure_for_the_chosen_session(
    data, proposal_staff, login, django_assert_max_num_queries
):
    client = login(proposal_staff)
    with django_assert_max_num_queries(30):
        response = client.get("/proposals/stats/", {"session": data["s1"].pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="figure-proposals_received">9<' in html
    assert 'id="figure-registration_rate">55.6%<' in html
    assert 'data-chart="chart-by-category"' in html


def test_the_page_without_parameters_shows_the_latest_session(data, proposal_staff, login):
    response = login(proposal_staff).get("/proposals/stats/")
    assert (response.status_code, response.context["period_label"]) == (200, "十届5次会议")


@pytest.mark.parametrize(
    "params", [{"session": "987654"}, {"year": "1800"}, {"year": "abc"}, {"term": "-1"}]
)
def test_bad_parameters_answer_400_with_a_chinese_message(data, proposal_staff, login, params):
    response = login(proposal_staff).get("/proposals/stats/", params)
    assert response.status_code == 400
    assert 'id="stats-errors"' in response.content.decode()


def test_a_unit_user_may_not_open_the_statistics_page(data, committee, login):
    unit_user = user_with_role(committee, Role.UNIT)
    assert login(unit_user).get("/proposals/stats/").status_code == 403


# --- API --------------------------------------------------------------------------------------


def bearer(user):
    raw, _token = issue_token(user=user, role_assignment=user.active_role)
    return {"Authorization": f"Bearer {raw}"}


def test_the_api_answers_the_figures_of_one_session(data, proposal_staff, client):
    response = client.get(
        "/api/v1/proposals/stats", {"session": data["s1"].pk}, headers=bearer(proposal_staff)
    )
    body = response.json()
    main_units = body.pop("by_main_unit")
    period = body.pop("period")
    assert response.status_code == 200
    # The rating parts (for aggregates over committees) are not part of the API's answer.
    parts = ("ratings_rated", "ratings_attitude_satisfied", "ratings_result_satisfied")
    assert body == {k: v for k, v in SESSION_4.items() if k not in parts}
    assert by_label(main_units) == {"县教育局": 2, "县财政局": 2, "县卫健局": 1}
    assert period == {"kind": "session", "id": data["s1"].pk, "label": "十届4次会议"}


def test_the_api_requires_exactly_one_period(data, proposal_staff, client):
    headers = bearer(proposal_staff)
    none = client.get("/api/v1/proposals/stats", headers=headers)
    two = client.get("/api/v1/proposals/stats", {"year": 2025, "term": 1}, headers=headers)
    assert (none.status_code, none.json()["detail"]) == (
        422,
        "请指定且只指定一个统计期间:会议、年度或届。",
    )
    assert two.status_code == 422


def test_another_committees_session_answers_like_a_missing_one(data, proposal_staff, client):
    other = CommitteeFactory()
    with scope(committee=other):
        foreign_session = SessionFactory(committee=other, term=TermFactory(committee=other))
    response = client.get(
        "/api/v1/proposals/stats", {"session": foreign_session.pk}, headers=bearer(proposal_staff)
    )
    assert (response.status_code, response.json()) == (404, {"detail": "对象不存在。"})


def test_a_unit_user_gets_403_from_the_api(data, committee, client):
    unit_user = user_with_role(committee, Role.UNIT)
    response = client.get("/api/v1/proposals/stats", {"year": 2025}, headers=bearer(unit_user))
    assert response.status_code == 403
