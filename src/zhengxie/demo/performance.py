"""The demo county's duty performance work for this year, through the performance services: the
year's point table, a duty report (with its draft) for every standing member — five submitted,
three scheduled at the upcoming standing-committee meeting and two assessed there — and the
political self-check of twenty members. Does nothing when the county already has reports."""

from django.db import transaction
from django.utils import timezone

from zhengxie.core.models import Role, User
from zhengxie.core.scoping import scope, scopes_disabled
from zhengxie.demo.proposals import _acting, ensure_accounts
from zhengxie.meetings.models import Meeting, MeetingCategory, MeetingState
from zhengxie.organisation.models import Membership
from zhengxie.organisation.queries import members_by_audience
from zhengxie.performance import exits, reports, tables
from zhengxie.performance.models import Assessment, DutyReport, PoliticalCheck

SUBMITTED, SCHEDULED, ASSESSED = 5, 3, 2
CHECKS = 20
ADDENDUM = "\n本人将在新的一年里继续加强学习,密切联系界别群众,积极建言献策。"
CHECK_TEXT = {
    "political_stance": "始终坚持党的领导,在大是大非面前立场坚定,未发表不当言论。",
    "theory_study": "按要求参加政协组织的集体学习,坚持自学,撰写学习体会。",
    "duty": "按时出席会议、参加视察调研,积极提交提案和社情民意信息。",
    "discipline": "自觉遵守宪法法律和政协章程,无违法违纪情况。",
    "integrity": "严格自律,未利用委员身份谋取任何私利。",
    "conduct": "注重个人品行,在工作单位和社会生活中发挥表率作用。",
}


def _members_with_accounts(county, memberships, created):
    """(membership, acting member user) for seats whose login may act as a member."""
    users, _units = ensure_accounts(
        committee=county,
        memberships=memberships,
        units=[],
        starts_on=timezone.localdate(),
        created=created,
    )
    acting = []
    for m in memberships:
        user = users[m.pk]
        if getattr(user, "active_role", None) is None:  # a login made by an earlier seeder
            user = _acting(user, county, Role.MEMBER)
        if user.active_role is not None:
            acting.append((m, user))
    return acting


def seed_demo_performance(*, county, created):
    with scopes_disabled():
        if DutyReport.objects.filter(committee=county).exists():
            return
    with scopes_disabled(), transaction.atomic():
        year = timezone.localdate().year
        staff = _acting(User.objects.get(username="staff"), county, Role.STAFF)
        tables.table_ensure(committee=county, year=year, actor=staff)
        made = reports.reports_assign(actor=staff, committee=county, year=year, by="standing")
        created["dutyreport"] += len(made)
        by_member = {r.membership_id: r for r in made}
        seats = list(
            members_by_audience(committee=county, by="standing")
            .select_related("person")
            .order_by("pk")
        )
        wanted = SUBMITTED + SCHEDULED + ASSESSED
        writers = _members_with_accounts(county, seats, created)[:wanted]
        submitted = []
        for membership, user in writers:
            report = by_member[membership.pk]
            submitted.append(
                reports.report_submit(actor=user, report=report, text=report.draft + ADDENDUM)
            )
        meeting = (
            Meeting.objects.filter(
                committee=county,
                category=MeetingCategory.STANDING,
                state=MeetingState.NOTIFIED,
                starts_at__gte=timezone.now(),
            )
            .order_by("starts_at")
            .first()
        )
        if meeting is not None:
            to_schedule = submitted[SUBMITTED:]
            scheduled = reports.reports_schedule(actor=staff, reports=to_schedule, meeting=meeting)
            for report, (result, score) in zip(
                scheduled[SCHEDULED:],
                [(Assessment.EXCELLENT, "95"), (Assessment.COMPETENT, "86")],
                strict=True,
            ):
                reports.report_assess(
                    actor=staff,
                    report=report,
                    assessment=result,
                    score=score,
                    note="常委会议测评",
                )
        _checks(county=county, year=year, created=created)
        with scope(committee=county):
            created["exitflag"] += exits.raise_flags(committee=county, actor=staff)


def _checks(*, county, year, created):
    seats = list(
        Membership.objects.filter(committee=county)
        .in_office()
        .select_related("person")
        .order_by("pk")[: CHECKS + 10]
    )
    for membership, user in _members_with_accounts(county, seats, created)[:CHECKS]:
        reports.check_save(
            actor=user,
            membership=membership,
            year=year,
            answers={k: {"text": t, "problem": "no"} for k, t in CHECK_TEXT.items()},
            submit=True,
        )
    created["politicalcheck"] += PoliticalCheck.objects.filter(committee=county, year=year).count()
