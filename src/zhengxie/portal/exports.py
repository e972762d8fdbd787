"""Excel export (.xlsx) of the media coverage log, with the same filters as its page."""

import io

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from zhengxie.core.audit import audit_record
from zhengxie.core.models import AuditAction
from zhengxie.core.spreadsheets import Column, template_workbook
from zhengxie.portal.queries import media_list

COLUMNS = [
    Column("刊发日期", "published_on", width=12),
    Column("媒体名称", "outlet", width=18),
    Column("媒体级别", "level", width=10),
    Column("报道标题", "title", width=48),
    Column("链接", "link", width=40),
    Column("备注", "note", width=24),
]


def export_rows(*, year, filters: dict):
    return [
        [
            r.published_on,
            r.outlet,
            r.get_level_display(),
            r.title,
            r.link,
            r.note,
        ]
        for r in media_list(year=year, **filters)
    ]


@transaction.atomic
def media_reports_export(*, actor, committee, year: int, filters: dict) -> bytes:
    """The year's media reports (filtered as on the page) as .xlsx; one EXPORT audit row."""
    if not actor.has_perm("portal.view_media"):
        raise PermissionDenied(_("您没有导出媒体报道的权限。"))
    rows = export_rows(year=year, filters=filters)
    wb, ws, _letters = template_workbook(_("媒体报道"), COLUMNS)
    for row in rows:
        ws.append(row)
    for cell in ws["A"][1:]:
        cell.number_format = "yyyy-mm-dd"
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        committee=committee,
        object_type="portal.MediaReport",
        object_label=_("媒体报道"),
        after={"year": year, "filters": filters, "rows": len(rows)},
        note=_("导出%(y)s年媒体报道(%(n)s条)") % {"y": year, "n": len(rows)},
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
