"""A fixed, hand-counted data set for the figures service: a city with two counties.

County A, term 10 (from 2022-01-01), sessions 3 (opens 2024-01-10) and 4 (opens 2025-01-10),
members m1..m4:
- session 4 proposals (submitted 2025-01-10): p1 assigned 民生 (reply A, rated satisfied /
  satisfied) by m1; p2 replied 经济 (reply C, rated satisfied / unsatisfied) by m2; p3 registered
  民生 by m1 (no unit yet); p4 merged by m3; p5 not registered by m1; p6 a draft by m4;
- session 3 proposal (2024-01-10): p7 registered 经济 by m4;
- opinion reports: 2025-03-01 submitted, 2025-04-01 used, 2024-03-01 submitted;
- meetings (closed): plenary 2025-01-10 (m1, m2 signed in, m3 on approved leave), standing
  2025-06-01 (m1 signed in, m2 absent); a standing meeting 2025-09-01 only notified;
- activities: an inspection held 2025-05-12, a research activity 2025-06-01 still planned.
County B, term 10, session 1 (opens 2025-01-12), members n1, n2: q1 registered 民生 by n1, q2 not
registered by n2; a closed plenary 2025-01-12 (n1, n2 signed in); an opinion report 2025-05-01
forwarded to the city, whose copy there (2025-05-02) the city used.
The city has a term and no other records but that copy.
"""

import datetime
import zoneinfo

from tests.factories import (
    AssignmentFactory,
    CommitteeFactory,
    MembershipFactory,
    ProposalCategoryFactory,
    ProposalFactory,
    RatingFactory,
    ReplyFactory,
    SessionFactory,
    TermFactory,
)
from zhengxie.activities.models import Activity
from zhengxie.core.models.ledger import Level
from zhengxie.core.scoping import scope
from zhengxie.meetings.models import Invitation, Meeting
from zhengxie.opinions.models import OpinionReport
from zhengxie.proposals.models import CategoryGroup

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10):
    return datetime.datetime(y, m, d, hh, tzinfo=TZ)


def _meeting(committee, category, when, invitations, state="closed"):
    meeting = Meeting.objects.create(
        committee=committee,
        category=category,
        title=f"{category}会议",
        starts_at=when,
        ends_at=when + datetime.timedelta(hours=3),
        place="会议室",
        state=state,
    )
    for membership, attendance in invitations:
        Invitation.objects.create(
            committee=committee, meeting=meeting, membership=membership, state=attendance
        )
    return meeting


def _opinion(committee, state, when, **extra):
    return OpinionReport.objects.create(
        committee=committee,
        source_kind="member",
        state=state,
        submitted_at=when,
        title=f"信息{when:%m%d}",
        situation="情况",
        suggestion="建议",
        **extra,
    )


def _proposal(committee, session, state, lead, category, when=None):
    return ProposalFactory(
        committee=committee,
        session=session,
        state=state,
        lead=lead,
        category=category,
        **({"submitted_at": when} if when else {}),
    )


def _county_a(c):
    term = TermFactory(committee=c, starts_on=datetime.date(2022, 1, 1))
    s3 = SessionFactory(
        committee=c, term=term, number=3, opens_on=datetime.date(2024, 1, 10),
        closes_on=datetime.date(2024, 1, 13),
    )  # fmt: skip
    s4 = SessionFactory(
        committee=c, term=term, number=4, opens_on=datetime.date(2025, 1, 10),
        closes_on=datetime.date(2025, 1, 13),
    )  # fmt: skip
    m1, m2, m3, m4 = (MembershipFactory(committee=c, term=term) for _ in range(4))
    livelihood = ProposalCategoryFactory(committee=c, name="民生", is_livelihood=True)
    economy = ProposalCategoryFactory(committee=c, name="经济", group=CategoryGroup.ECONOMY)

    p1 = _proposal(c, s4, "assigned", m1, livelihood)
    p2 = _proposal(c, s4, "replied", m2, economy)
    _proposal(c, s4, "registered", m1, livelihood)
    _proposal(c, s4, "merged", m3, None)
    _proposal(c, s4, "not_registered", m1, None)
    _proposal(c, s4, "draft", m4, None)
    _proposal(c, s3, "registered", m4, economy)
    reply_a = ReplyFactory(assignment=AssignmentFactory(proposal=p1), category="A")
    RatingFactory(reply=reply_a, attitude="satisfied", result="satisfied")
    reply_c = ReplyFactory(assignment=AssignmentFactory(proposal=p2), category="C")
    RatingFactory(reply=reply_c, attitude="satisfied", result="unsatisfied")

    _opinion(c, "submitted", at(2025, 3, 1))
    _opinion(c, "used", at(2025, 4, 1))
    _opinion(c, "submitted", at(2024, 3, 1))

    _meeting(
        c, "plenary", at(2025, 1, 10, 9),
        [(m1, "signed_in"), (m2, "signed_in"), (m3, "leave_approved")],
    )  # fmt: skip
    _meeting(c, "standing", at(2025, 6, 1, 9), [(m1, "signed_in"), (m2, "absent")])
    _meeting(c, "standing", at(2025, 9, 1, 9), [(m1, "invited")], state="notified")

    for category, state, day in (
        ("inspection", "held", datetime.date(2025, 5, 12)),
        ("research", "planned", datetime.date(2025, 6, 1)),
    ):
        Activity.objects.create(
            committee=c, title=f"{category}活动", category=category, kind="视察",
            starts_on=day, half_days=1, state=state,
        )  # fmt: skip
    return {"term": term, "s3": s3, "s4": s4}


def _county_b(c):
    term = TermFactory(committee=c, starts_on=datetime.date(2022, 1, 1))
    s1 = SessionFactory(
        committee=c, term=term, number=1, opens_on=datetime.date(2025, 1, 12),
        closes_on=datetime.date(2025, 1, 15),
    )  # fmt: skip
    n1, n2 = (MembershipFactory(committee=c, term=term) for _ in range(2))
    livelihood = ProposalCategoryFactory(committee=c, name="民生", is_livelihood=True)
    _proposal(c, s1, "registered", n1, livelihood)
    _proposal(c, s1, "not_registered", n2, None)
    _meeting(c, "plenary", at(2025, 1, 12, 9), [(n1, "signed_in"), (n2, "signed_in")])
    return {"term": term, "s1": s1, "opinion": _opinion(c, "submitted", at(2025, 5, 1))}


def build():
    """{"city", "a", "b", "a_data", "b_data"}; call with scopes disabled or inside a test db."""
    city = CommitteeFactory(code="330100", name="政协测试市委员会", short_name="测试市政协",
                            level=Level.CITY)  # fmt: skip
    a = CommitteeFactory(code="330101", short_name="甲县政协", parent=city)
    b = CommitteeFactory(code="330102", short_name="乙县政协", parent=city)
    with scope(committee=a):
        a_data = _county_a(a)
    with scope(committee=b):
        b_data = _county_b(b)
    with scope(committee=city):
        TermFactory(committee=city, starts_on=datetime.date(2022, 1, 1))
        _opinion(city, "used", at(2025, 5, 2), origin=b_data["opinion"])
    return {"city": city, "a": a, "b": b, "a_data": a_data, "b_data": b_data}
