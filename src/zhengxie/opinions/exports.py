"""Excel export (.xlsx) of the public-opinion report list, with the same filters as the list."""

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
from zhengxie.opinions.models import BulletinItem, CoSubmitter
from zhengxie.opinions.queries import report_list
from zhengxie.opinions.stats import ADOPTED_KINDS

HEADERS = [
    "报送日期",
    "标题",
    "报送人/单位",
    "联名委员",
    "来源",
    "状态",
    "刊物期号",
    "报送上级",
    "上级采用情况",
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTER_KEYS = ("view", "year", "state", "source_kind", "q")


def export_rows(actor, filters: dict):
    """The rows of the export, one list of cell values per report."""
    items = BulletinItem.objects.select_related("bulletin").order_by("bulletin__issued_on", "pk")
    reports = report_list(actor, **filters).prefetch_related(
        Prefetch("cosubmitters", queryset=CoSubmitter.objects.select_related("membership__person")),
        Prefetch("bulletin_items", queryset=items),
        "forwardings",
        "adoptions",
    )
    return [_row(r) for r in reports]


def _row(r):
    submitted = timezone.localtime(r.submitted_at).date().isoformat() if r.submitted_at else ""
    adoptions = [
        f"{a.get_level_display()}:{a.by_name}{a.get_kind_display()}"
        for a in r.adoptions.all()
        if a.kind in ADOPTED_KINDS
    ]
    return [
        submitted,
        r.title,
        r.submitter_label,
        "、".join(c.membership.person.name for c in r.cosubmitters.all()),
        r.get_source_kind_display(),
        r.get_state_display(),
        "、".join(f"{i.bulletin.year}年第{i.bulletin.number}期" for i in r.bulletin_items.all()),
        "、".join(f.to_name for f in r.forwardings.all()),
        "、".join(adoptions),
    ]


@transaction.atomic
def report_list_export(*, actor, committee, filters: dict) -> bytes:
    """The filtered list as .xlsx; writes one EXPORT audit row naming the filters and count."""
    if not actor.has_perm("opinions.export"):
        raise PermissionDenied(_("您没有导出社情民意信息的权限。"))
    rows = export_rows(actor, filters)
    wb = Workbook()
    ws = wb.active
    ws.title = "社情民意信息"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHI", (12, 40, 16, 20, 14, 10, 16, 20, 28), strict=True):
        ws.column_dimensions[letter].width = width
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        committee=committee,
        object_type="opinions.OpinionReport",
        object_label=_("社情民意信息列表"),
        after={"filters": {k: str(v) for k, v in filters.items()}, "rows": len(rows)},
        note=_("导出社情民意信息列表(%(n)s篇)") % {"n": len(rows)},
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
