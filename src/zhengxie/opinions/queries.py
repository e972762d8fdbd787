"""Reads of public-opinion reports, scoped to the active committee and the user's role.
Nothing here is public."""

import difflib

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


# Appended for the report pages --------------------------------------------------------------

CONTENT_LABELS = (
    ("title", "标题"),
    ("situation", "基本情况"),
    ("analysis", "分析"),
    ("suggestion", "建议"),
)


def report_differences(report):
    """For an edited report, each content field's difference between the submitted original
    and the current text, as segments ``(kind, text)`` with kind "same", "insert" or "delete";
    only the fields that changed. Empty when the report was never edited."""
    if not report.original:
        return []
    rows = []
    for name, label in CONTENT_LABELS:
        before, after = report.original.get(name, "") or "", getattr(report, name) or ""
        if before == after:
            continue
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        segments = []
        for op, a1, a2, b1, b2 in matcher.get_opcodes():
            if op == "equal":
                segments.append(("same", before[a1:a2]))
                continue
            if op in ("delete", "replace"):
                segments.append(("delete", before[a1:a2]))
            if op in ("insert", "replace"):
                segments.append(("insert", after[b1:b2]))
        rows.append({"name": name, "label": label, "segments": segments})
    return rows


def home_summary(user):
    """Counts for the home page, each ``(view, label, n)`` linking to its list tab."""
    from zhengxie.opinions.rules import is_opinion_staff

    role = active_role(user)
    if role is None:
        return []
    if is_opinion_staff(user):
        return [
            (view, LIST_VIEWS[view], report_list(user, view=view).count())
            for view in ("review", "approve", "received")
        ]
    if user.has_perm("opinions.sign_off") or user.has_perm("opinions.approve"):
        return [("approve", LIST_VIEWS["approve"], report_list(user, view="approve").count())]
    if role.role == Role.MEMBER or hasattr(user, "person"):
        return [("mine", LIST_VIEWS["mine"], report_list(user, view="mine").count())]
    return []
