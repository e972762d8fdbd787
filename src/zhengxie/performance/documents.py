"""The dossier as a Word document (委员履职档案), in the house style of ``opinions/documents.py``:
a 方正小标宋 title, 黑体 headings, 仿宋 text, every run with its East Asian font name. It shows
what the dossier page shows to the same viewer (a member: the rank band only)."""

import io

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from zhengxie.core.audit import audit_record
from zhengxie.core.documents import BODY_FONT, HEADING_FONT
from zhengxie.core.documents import TITLE_FONT as MASTHEAD_FONT
from zhengxie.core.documents import add_para as _para
from zhengxie.core.documents import official_document as _new_document
from zhengxie.core.documents import set_font as _font
from zhengxie.core.models import AuditAction
from zhengxie.opinions.documents import DOCX, date_label
from zhengxie.performance import dossier as dossiers

__all__ = ["DOCX", "dossier_document"]


def _heading(document, text, size=16):
    return _para(document, text, font=HEADING_FONT, size=size)


def _table(document, header, rows):
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(str(text)), HEADING_FONT, 12)
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(text)), BODY_FONT, 12)
    return table


def _basics(document, membership):
    m = membership
    lines = [
        (_("姓名"), m.person.name),
        (_("届次"), m.term.name),
        (_("界别"), m.sector.name),
        (_("活动小组"), m.group.name if m.group_id else "—"),
        (_("工作单位及职务"), f"{m.work_unit}{m.job_title}" or "—"),
        (_("任职日期"), date_label(m.joined_on)),
        (_("状态"), m.get_status_display()),
    ]
    _table(document, [_("项目"), _("内容")], lines)


def _year(document, entry, show_rank):
    _heading(document, _("%(year)s年度") % {"year": entry.year})
    if not entry.scored:
        summary = _("该年度未制定积分表,不计积分。")
    else:
        summary = _("履职积分:%(total)s分;排名区间:%(band)s") % {
            "total": entry.total,
            "band": entry.band or "—",
        }
    if show_rank and entry.rank is not None:
        summary += _(";排名:第%(rank)s名(共%(of)s人)") % {
            "rank": entry.rank.rank,
            "of": entry.rank.of,
        }
    _para(document, summary, size=14)
    if entry.groups:
        _table(
            document,
            [_("履职事项"), _("次数/件数"), _("明细")],
            [
                (
                    g.label,
                    g.count,
                    "、".join(
                        f"{dossiers.sub_kind_label(g.kind, s) or _('其他')}{n}"
                        for s, n in g.sub_counts.items()
                        if n
                    )
                    or "—",
                )
                for g in entry.groups
            ],
        )
    else:
        _para(document, _("本年度暂无履职记录。"), size=14)
    report = entry.report
    if report is not None:
        text = _("年度述职:%(state)s") % {"state": report.get_state_display()}
        if report.assessment:
            text += _(";测评结果:%(a)s") % {"a": report.get_assessment_display()}
            if report.assessment_score is not None:
                text += _("(%(s)s分)") % {"s": report.assessment_score}
        _para(document, text, size=14)
    check = entry.check
    if check is not None:
        if check.submitted_at:
            text = _("政治体检:已于%(d)s提交") % {
                "d": date_label(timezone.localdate(check.submitted_at))
            }
        else:
            text = _("政治体检:未提交")
        if check.review_note:
            text += _(";审阅意见:%(n)s") % {"n": check.review_note}
        _para(document, text, size=14)


@transaction.atomic
def dossier_document(*, actor, membership) -> bytes:
    """The dossier of ``membership`` as .docx, as ``actor`` may see it; one EXPORT audit row."""
    if not actor.has_perm("performance.export_dossier", membership):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    content = dossiers.compose(membership=membership, viewer=actor)
    document = _new_document()
    _para(
        document,
        _("委员履职档案"),
        font=MASTHEAD_FONT,
        size=26,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _para(
        document,
        f"{membership.committee.name} · {membership.term.name}",
        size=14,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _heading(document, _("一、基本情况"))
    _basics(document, membership)
    _heading(document, _("二、职务与变动"))
    rows = [
        (
            dossiers.position_label(p),
            date_label(p.starts_on),
            date_label(p.ends_on) if p.ends_on else _("至今"),
        )
        for p in content.positions
    ]
    rows += [
        (c.get_kind_display(), date_label(c.effective_on), c.decided_by or "—")
        for c in content.status_changes
    ]
    if rows:
        _table(document, [_("职务/变动"), _("日期"), _("结束/决定会议")], rows)
    else:
        _para(document, _("无"), size=14)
    _heading(document, _("三、年度履职情况"))
    for entry in content.years:
        _year(document, entry, content.show_rank)
    if content.flags is not None:
        _heading(document, _("四、退出情形"))
        if content.flags:
            _table(
                document,
                [_("情形"), _("发现日期"), _("处理情况")],
                [
                    (f.description, date_label(f.raised_on), f.get_state_display())
                    for f in content.flags
                ],
            )
        else:
            _para(document, _("无"), size=14)
    _para(
        document,
        _("生成日期:%(d)s") % {"d": date_label(timezone.localdate())},
        size=12,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=membership,
        note=_("导出履职档案(%(name)s)") % {"name": membership.person.name},
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
