"""Reads of public-opinion reports, scoped to the active committee and the user's role.
Nothing here is public."""

from django.db.models import Exists, OuterRef, Q

from zhengxie.core.models import Role
from zhengxie.core.rules import active_role
from zhengxie.opinions.models import CoSubmitter, OpinionReport, ReportState


def visible_reports(user):
    """Submitters see their own reports (lead, co-submitter, information officer); staff,
    chairs, admins and leaders every report but others' drafts; units and the public none."""
    role = active_role(user)
    qs = OpinionReport.objects.all()
    if role is None:
        return qs.none()
    own = (
        Q(lead__person__user=user)
        | Q(person__user=user)
        | Q(
            Exists(CoSubmitter.objects.filter(report=OuterRef("pk"), membership__person__user=user))
        )
        | Q(created_by=user, lead__isnull=True, person__isnull=True)
    )
    if role.role in (Role.STAFF, Role.CHAIR, Role.ADMIN, Role.LEADER):
        return qs.filter(~Q(state=ReportState.DRAFT) | own)
    if role.role in (Role.MEMBER, Role.PUBLIC) or hasattr(user, "person"):
        return qs.filter(own)
    return qs.none()


LIST_VIEWS = {
    "mine": "我的信息",
    "review": "待编审",
    "approve": "待审核签发",
    "received": "下级报送",
    "all": "全部信息",
}


def report_list(user, *, view="all", year=None, state=None, source_kind=None, q=None):
    qs = visible_reports(user).select_related("lead__person", "person", "session")
    if view == "mine":
        qs = qs.filter(
            Q(lead__person__user=user)
            | Q(person__user=user)
            | Q(cosubmitters__membership__person__user=user)
            | Q(created_by=user, lead__isnull=True, person__isnull=True)
        ).distinct()
    elif view == "review":
        qs = qs.filter(state__in=(ReportState.SUBMITTED, ReportState.UNDER_REVIEW))
    elif view == "approve":
        qs = qs.filter(state__in=(ReportState.USED, ReportState.APPROVED))
    elif view == "received":
        qs = qs.filter(origin__isnull=False)
    if year:
        qs = qs.filter(submitted_at__year=year)
    if state:
        qs = qs.filter(state=state)
    if source_kind:
        qs = qs.filter(source_kind=source_kind)
    if q:
        qs = qs.filter(Q(title__contains=q.strip()) | Q(lead__person__name=q.strip()))
    return qs.order_by("-submitted_at", "-pk")
