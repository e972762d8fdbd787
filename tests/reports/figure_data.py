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
- activities: an inspection held 2025-05-12, a research activity 2025-06-01 still planned;
- study: a collective study closed 2025-03-05 (m1, m2 attended, m3 absent), a training held
  2025-07-01, a study session 2025-11-01 still planned; 40 copies of a material handed out
  2025-03-05 and 25 on 2024-12-30;
- archives: materials accepted 2025-02-01 (m1, 1,200 words) and 2025-04-01 (an outsider, 300
  photos), one still submitted 2025-05-01 (800 words); a volume published 2025-10-01, one in
  editing; periodical issues 2025-01 and 2025-02, and one of 2024;
- publicity: media reports 2025 at county, city, city, province and national level, one county
  report of 2024; news first published 2025-06-01 (withdrawn since), one published 2025-08-01,
  one in review.
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
    UserFactory,
)
from zhengxie.activities.models import Activity
from zhengxie.archives.models import Material as ArchiveMaterial
from zhengxie.archives.models import Periodical, PeriodicalIssue, Volume
from zhengxie.core.models.ledger import Level
from zhengxie.core.scoping import scope
from zhengxie.meetings.models import Invitation, Meeting
from zhengxie.opinions.models import OpinionReport
from zhengxie.portal.models import MediaReport, NewsItem
from zhengxie.proposals.models import CategoryGroup
from zhengxie.study.models import Attendance as StudyAttendance
from zhengxie.study.models import Distribution, StudyMaterial, StudySession

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
    _study(c, [m1, m2, m3])
    _archives(c, m1)
    _publicity(c)
    return {"term": term, "s3": s3, "s4": s4}


def _study(c, members):
    closed = StudySession.objects.create(
        committee=c, kind="study", title="集体学习", date=datetime.date(2025, 3, 5),
        half_days=1, state="closed",
    )  # fmt: skip
    for membership, state in zip(members, ("attended", "attended", "absent"), strict=True):
        StudyAttendance.objects.create(
            committee=c, session=closed, membership=membership, state=state
        )
    StudySession.objects.create(
        committee=c, kind="training", title="履职培训", date=datetime.date(2025, 7, 1),
        half_days=2, state="held",
    )  # fmt: skip
    StudySession.objects.create(
        committee=c, kind="study", title="专题学习", date=datetime.date(2025, 11, 1),
        half_days=1, state="planned",
    )  # fmt: skip
    material = StudyMaterial.objects.create(committee=c, title="学习读本", kind="book")
    for day, copies in ((datetime.date(2025, 3, 5), 40), (datetime.date(2024, 12, 30), 25)):
        Distribution.objects.create(committee=c, material=material, date=day, copies=copies)


def _archives(c, member):
    for day, state, extra in (
        (datetime.date(2025, 2, 1), "accepted", {"membership": member, "word_count": 1200}),
        (datetime.date(2025, 4, 1), "accepted", {"contributor_name": "陈老伯", "image_count": 300,
                                                 "kind": "photos"}),
        (datetime.date(2025, 5, 1), "submitted", {"contributor_name": "李阿姨", "word_count": 800}),
    ):  # fmt: skip
        ArchiveMaterial.objects.create(
            committee=c, title=f"史料{day:%m%d}", received_on=day, state=state,
            **{"kind": "text", **extra},
        )  # fmt: skip
    Volume.objects.create(
        committee=c, title="文史资料", number="第1辑", state="published",
        published_on=datetime.date(2025, 10, 1), print_run=500,
    )  # fmt: skip
    Volume.objects.create(committee=c, title="文史资料", number="第2辑", state="editing")
    periodical = Periodical.objects.create(committee=c, name="政协之声")
    for year, number, day in ((2025, 1, (2025, 3, 1)), (2025, 2, (2025, 6, 1)),
                              (2024, 4, (2024, 12, 1))):  # fmt: skip
        PeriodicalIssue.objects.create(
            committee=c,
            periodical=periodical,
            year=year,
            number=number,
            published_on=datetime.date(*day),
        )


def _publicity(c):
    for level, day in (
        ("county", (2025, 2, 1)), ("city", (2025, 3, 1)), ("city", (2025, 4, 1)),
        ("province", (2025, 5, 1)), ("national", (2025, 6, 1)), ("county", (2024, 12, 1)),
    ):  # fmt: skip
        MediaReport.objects.create(
            committee=c, outlet="媒体", level=level, published_on=datetime.date(*day),
            title=f"报道{day}",
        )  # fmt: skip
    author = UserFactory()
    for state, first in (
        ("withdrawn", at(2025, 6, 1)), ("published", at(2025, 8, 1)), ("in_review", None),
    ):  # fmt: skip
        NewsItem.objects.create(
            committee=c, title="新闻", body="正文", author=author, state=state,
            first_published_at=first, published_at=first,
        )  # fmt: skip


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
