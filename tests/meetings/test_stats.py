import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from tests.factories import (
    CommitteeFactory,
    MembershipFactory,
    ProposalCategoryFactory,
    SectorFactory,
    SessionFactory,
    TermFactory,
    user_with_role,
)
from zhengxie.core.models import Role
from zhengxie.meetings.models import (
    AttendanceState,
    Invitation,
    Meeting,
    MeetingState,
    Speech,
    SpeechState,
)
from zhengxie.meetings.speech_stats import speech_figures, speech_figures_for
from zhengxie.meetings.stats import meeting_figures, meeting_figures_for
from zhengxie.organisation.models import (
    MembershipStatusChange,
    Position,
    PositionEndReason,
    PositionKind,
    StatusChangeKind,
)

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def _meeting(committee, category, when, state=MeetingState.CLOSED, **extra):
    return Meeting.objects.create(
        committee=committee,
        category=category,
        title=f"{category} {when:%Y-%m-%d %H:%M}",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=3),
        place="会议室",
        state=state,
        **extra,
    )


def _invite(meeting, states, members):
    for membership, state in zip(members, states, strict=False):
        Invitation.objects.create(
            committee=meeting.committee, meeting=meeting, membership=membership, state=state
        )


def _change(membership, kind, on):
    MembershipStatusChange.objects.create(
        subject=membership,
        committee=membership.committee,
        kind=kind,
        effective_on=on,
        action=kind,
        to_state="in_office",
    )


def _standing(membership, starts_on, ends_on=None, reason=""):
    Position.objects.create(
        committee=membership.committee,
        membership=membership,
        kind=PositionKind.STANDING,
        starts_on=starts_on,
        ends_on=ends_on,
        end_reason=reason,
    )


@pytest.fixture
def world(committee_scope, other_committee):
    return _build(committee_scope, other_committee)


def _build(committee, other_committee):
    term = TermFactory(committee=committee, starts_on=datetime.date(2022, 1, 1))
    session = SessionFactory(
        committee=committee,
        term=term,
        number=1,
        opens_on=datetime.date(2022, 1, 10),
        closes_on=datetime.date(2022, 1, 13),
    )
    sector = SectorFactory(committee=committee)
    members = [MembershipFactory(committee=committee, term=term, sector=sector) for _i in range(4)]
    a, b, c, d = members
    S, L, X, C, R = (
        AttendanceState.SIGNED_IN,
        AttendanceState.LEAVE_APPROVED,
        AttendanceState.ABSENT,
        AttendanceState.CANCELLED,
        AttendanceState.LEAVE_REQUESTED,
    )
    plenary = _meeting(
        committee, "plenary", datetime.datetime(2025, 1, 15, 9, tzinfo=TZ), session=session
    )
    _invite(plenary, [S, S, L, C], members)
    _invite(
        _meeting(committee, "standing", datetime.datetime(2025, 3, 1, 9, tzinfo=TZ)),
        [S, X],
        members,
    )
    _invite(
        _meeting(committee, "standing", datetime.datetime(2025, 6, 1, 9, tzinfo=TZ)),
        [S, S],
        members,
    )
    # Late on 31 December, Beijing time (still 2025), without invitations.
    _meeting(committee, "chairs", datetime.datetime(2025, 12, 31, 23, 30, tzinfo=TZ))
    _invite(_meeting(committee, "other", datetime.datetime(2025, 7, 1, 9, tzinfo=TZ)), [R], members)
    # Not counted: cancelled, not yet held, the next year, another committee.
    _invite(
        _meeting(
            committee,
            "special_committee",
            datetime.datetime(2025, 4, 1, 9, tzinfo=TZ),
            state=MeetingState.CANCELLED,
        ),
        [X],
        members,
    )
    _meeting(
        committee, "standing", datetime.datetime(2025, 9, 1, 9, tzinfo=TZ), MeetingState.NOTIFIED
    )
    _meeting(committee, "other", datetime.datetime(2026, 1, 1, 0, 30, tzinfo=TZ))
    _meeting(other_committee, "plenary", datetime.datetime(2025, 1, 15, 9, tzinfo=TZ))

    _change(a, StatusChangeKind.ADDED, datetime.date(2025, 2, 1))
    _change(b, StatusChangeKind.ADDED, datetime.date(2025, 2, 1))
    _change(c, StatusChangeKind.RESIGNED, datetime.date(2025, 5, 1))
    _change(d, StatusChangeKind.REMOVED, datetime.date(2025, 8, 1))
    _change(a, StatusChangeKind.ADDED, datetime.date(2024, 12, 31))
    _change(b, StatusChangeKind.ELECTED, datetime.date(2025, 1, 1))

    _standing(a, datetime.date(2022, 1, 12))  # elected at the term's first session
    _standing(b, datetime.date(2025, 4, 1))
    _standing(c, datetime.date(2022, 1, 12), datetime.date(2025, 9, 1), PositionEndReason.RESIGNED)
    _standing(d, datetime.date(2022, 1, 12), datetime.date(2025, 10, 1), PositionEndReason.ENDED)
    return {"committee": committee, "term": term, "session": session}


def test_year_figures_count_held_meetings_attendance_and_changes(world):
    figures = meeting_figures(committee=world["committee"], year=2025)
    assert figures == {
        "meetings_held": 5,
        "plenary_meetings": 1,
        "standing_meetings": 2,
        "chairs_meetings": 1,
        "special_committee_meetings": 0,
        "other_meetings": 1,
        "attendance_rate": 0.625,
        "leave_approved_rate": 0.125,
        "attendance_rate_by_category": {
            "plenary": 0.6667,
            "standing": 0.75,
            "chairs": None,
            "special_committee": None,
            "other": 0.0,
        },
        "invitations": 8,
        "attended": 5,
        "leave_approved": 1,
        "members_added": 2,
        "members_resigned": 2,
        "members_removed": 1,
        "standing_members_added": 1,
        "standing_members_resigned": 1,
    }


def test_term_figures_leave_out_the_standing_members_elected_at_its_start(world):
    figures = meeting_figures(committee=world["committee"], term=world["term"])
    assert figures["standing_members_added"] == 1
    assert figures["standing_members_resigned"] == 1
    assert figures["meetings_held"] == 6  # the term runs on: 2026's meeting counts too
    assert figures["members_added"] == 3


def test_a_year_without_meetings_has_no_rates(world):
    figures = meeting_figures(committee=world["committee"], year=2020)
    assert figures["meetings_held"] == 0
    assert figures["attendance_rate"] is None
    assert figures["leave_approved_rate"] is None


# Several committees at once (aggregate reports) --------------------------------------------


@pytest.fixture
def two_worlds(world, other_committee):
    """The same data for a second committee, in its own scope."""
    second = CommitteeFactory()
    with scope(committee=second):
        _build(second, other_committee)
    return world["committee"], second


def _singles(function, committees, **period):
    figures = {}
    for committee in committees:
        with scope(committee=committee):
            figures[committee.pk] = function(committee=committee, **period)
    return figures


@pytest.mark.parametrize("period", [{"year": 2025}, {"year": 2026}, {"year": 2022}])
def test_the_batch_equals_one_call_per_committee(two_worlds, other_committee, period):
    committees = [*two_worlds, other_committee]
    batch = meeting_figures_for(committees=committees, **period)
    assert batch == _singles(meeting_figures, committees, **period)
    assert batch[two_worlds[0].pk] == batch[two_worlds[1].pk]


def test_the_batch_of_a_term_equals_the_single_call(world):
    committee, term = world["committee"], world["term"]
    assert meeting_figures_for(committees=[committee], term=term) == {
        committee.pk: meeting_figures(committee=committee, term=term)
    }


def test_more_committees_take_no_more_queries(
    two_worlds, other_committee, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6), CaptureQueriesContext(connection) as one:
        meeting_figures_for(committees=two_worlds[:1], year=2025)
    with django_assert_max_num_queries(len(one)):
        meeting_figures_for(committees=[*two_worlds, other_committee], year=2025)


def _speeches(committee):
    """Speeches of 2025: 2 submitted (1 民生), 1 oral, 1 written, 1 not used (民生), and a draft,
    a withdrawn one and one of 2024 that do not count in 2025."""
    session = SessionFactory(
        committee=committee,
        term=TermFactory(committee=committee),
        opens_on=datetime.date(2025, 1, 10),
    )
    livelihood = ProposalCategoryFactory(committee=committee, is_livelihood=True)
    economy = ProposalCategoryFactory(committee=committee, is_livelihood=False)
    S = SpeechState
    for state, category, year in (
        (S.SUBMITTED, livelihood, 2025),
        (S.SUBMITTED, economy, 2025),
        (S.ORAL, economy, 2025),
        (S.WRITTEN, economy, 2025),
        (S.NOT_USED, livelihood, 2025),
        (S.DRAFT, livelihood, 2025),
        (S.WITHDRAWN, livelihood, 2025),
        (S.ORAL, livelihood, 2024),
    ):
        Speech.objects.create(
            committee=committee,
            session=session,
            category=category,
            title="发言",
            body="内容",
            state=state,
            submitted_at=None if state == S.DRAFT else datetime.datetime(year, 1, 11, 9, tzinfo=TZ),
        )
    return session


def test_speech_figures_of_several_committees_at_once(
    committee, other_committee, django_assert_max_num_queries
):
    second = CommitteeFactory()
    for c in (committee, second):
        with scope(committee=c):
            session = _speeches(c)
    committees = [committee, second, other_committee]
    expected = {
        "plenary_speeches": 5,
        "livelihood_speeches": 2,
        "livelihood_speech_share": 0.4,
        "oral_speeches": 1,
        "written_speeches": 1,
    }
    batch = speech_figures_for(committees=committees, year=2025)
    assert batch == _singles(speech_figures, committees, year=2025)
    assert (batch[committee.pk], batch[second.pk]) == (expected, expected)
    assert batch[other_committee.pk]["plenary_speeches"] == 0
    with scope(committee=second):
        assert speech_figures_for(committees=[second], session=session) == {
            second.pk: {
                **expected,
                "plenary_speeches": 6,
                "livelihood_speeches": 3,
                "oral_speeches": 2,
                "livelihood_speech_share": 0.5,
            }
        }
    with django_assert_max_num_queries(1):
        speech_figures_for(committees=committees, year=2025)


# Page -------------------------------------------------------------------------------------


def test_staff_see_the_statistics_page(world, client):
    staff = user_with_role(world["committee"], Role.STAFF)
    client.force_login(staff)
    response = client.get(reverse("meetings:stats"), {"year": 2025})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="figure-standing_meetings">2<' in text
    assert 'id="figure-attendance_rate">62.5%<' in text
    assert 'id="figure-members_resigned">2<' in text
    assert 'data-chart="chart-attendance"' in text
    for area in ("speeches", "activities", "supervision", "places"):
        assert f'id="area-{area}"' in text
    assert response.context["attendance_chart"] == [
        {"label": "全体会议", "value": 66.7},
        {"label": "常委会议", "value": 75.0},
        {"label": "其他会议", "value": 0.0},
    ]


def test_the_page_counts_a_session(world, client):
    client.force_login(user_with_role(world["committee"], Role.CHAIR))
    response = client.get(reverse("meetings:stats"), {"session": world["session"].pk})
    assert response.status_code == 200
    assert response.context["figures"]["meetings_held"] == 6


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year": "abc"}, "年度应为四位数字。"),
        ({"year": "2025", "term": "1"}, "请只选择一个统计期间:会议、年度或届。"),
        ({"session": "999999"}, "所选会议或届次不存在。"),
    ],
)
def test_a_bad_period_answers_400_in_chinese(world, client, params, message):
    client.force_login(user_with_role(world["committee"], Role.STAFF))
    response = client.get(reverse("meetings:stats"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_members_may_not_see_the_statistics(world, client):
    client.force_login(user_with_role(world["committee"], Role.MEMBER))
    assert client.get(reverse("meetings:stats")).status_code == 403
