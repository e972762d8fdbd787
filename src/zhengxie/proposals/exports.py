"""Excel export (.xlsx) of the proposal list, with the same filters as the list page."""

import io

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from zhengxie.core.audit import audit_record
from zhengxie.core.models import AuditAction
from zhengxie.proposals.models import (
    ANSWERING_ROLES,
    Assignment,
    AssignmentState,
    CoSigner,
    Reply,
    SignatureState,
)
from zhengxie.proposals.queries import proposal_list

HEADERS = [
    "案号",
    "案由",
    "提案者",
    "类型",
    "界别",
    "类别",
    "状态",
    "大会/平时",
    "提交日期",
    "承办单位(办理方式)",
    "答复类别",
    "满意度(态度/结果)",
    "重点",
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_rows(actor, filters: dict):
    """The rows of the export, one list of cell values per proposal."""
    assignments = (
        Assignment.objects.exclude(state=AssignmentState.RETURNED)
        .select_related("unit")
        .prefetch_related(
            Prefetch("replies", queryset=Reply.objects.select_related("rating").order_by("round"))
        )
        .order_by("pk")
    )
    confirmed = CoSigner.objects.filter(state=SignatureState.CONFIRMED).select_related(
        "membership__person"
    )
    proposals = proposal_list(actor, **filters).prefetch_related(
        Prefetch("assignments", queryset=assignments, to_attr="active_assignments"),
        Prefetch("cosigners", queryset=confirmed, to_attr="confirmed"),
    )
    return [_row(p) for p in proposals]


def _row(p):
    if p.lead_id:
        proposers = "、".join(
            [p.lead.person.name, *(c.membership.person.name for c in p.confirmed)]
        )
    else:
        proposers = p.submitting_body
    units, categories, satisfaction = [], [], []
    for a in p.active_assignments:
        units.append(f"{a.unit.name}({a.get_role_display()})")
        if a.role not in ANSWERING_ROLES:
            continue
        replies = list(a.replies.all())
        if not replies:
            continue
        reply = replies[-1]
        if reply.final_category:
            categories.append(reply.final_category)
        rating = getattr(reply, "rating", None)
        if rating is not None:
            satisfaction.append(f"{rating.get_attitude_display()}/{rating.get_result_display()}")
    submitted = timezone.localtime(p.submitted_at).date().isoformat() if p.submitted_at else ""
    return [
        p.number_label,
        p.title,
        proposers,
        p.get_submitter_type_display(),
        p.lead.sector.name if p.lead_id and p.lead.sector_id else "",
        p.category.name if p.category_id else "",
        p.get_state_display(),
        _("大会") if p.is_plenary else _("平时"),
        submitted,
        "、".join(units),
        "、".join(categories),
        "、".join(satisfaction),
        p.get_key_state_display() if p.key_state else "",
    ]


@transaction.atomic
def proposal_list_export(*, actor, committee, filters: dict) -> bytes:
    """The filtered list as .xlsx; writes one EXPORT audit row naming the filters and count."""
    if not actor.has_perm("proposals.export"):
        raise PermissionDenied(_("您没有导出提案的权限。"))
    rows = export_rows(actor, filters)
    wb = Workbook()
    ws = wb.active
    ws.title = "提案"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        committee=committee,
        object_type="proposals.Proposal",
        object_label=_("提案列表"),
        after={"filters": {k: str(v) for k, v in filters.items()}, "rows": len(rows)},
        note=_("导出提案列表(%(n)s件)") % {"n": len(rows)},
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
