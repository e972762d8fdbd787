"""The bulletin issue (《政协社情民意》第N期) as a Word document in the official layout, and the
reads it shares with the issue page (items with their credited submitters).

Layout: a red masthead (方正小标宋), the issue number, the committee and date line over a red
rule, each item with its title (方正小标宋), text (仿宋) and credit line, and at the end the
报送/抄送 recipients over a rule. Runs carry an East Asian font name so that Word renders the
Chinese text in the right face.
"""

import io

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import RGBColor

from zhengxie.core.audit import audit_record
from zhengxie.core.documents import (
    TITLE_FONT,
)
from zhengxie.core.documents import add_para as _para
from zhengxie.core.documents import official_document as _new_document
from zhengxie.core.documents import set_font as _font
from zhengxie.core.models import AuditAction
from zhengxie.opinions.models import (
    BulletinItem,
    CoSubmitter,
    ItemHandling,
    ItemKind,
    OpinionReport,
)

MASTHEAD_FONT = TITLE_FONT
RED = RGBColor(0xE6, 0x00, 0x12)
RED_HEX = "E60012"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# Reads shared with the pages -----------------------------------------------------------------


def bulletin_items(bulletin):
    """The issue's items in order, each with its reports (and their submitters) and the
    departments' handlings, in a fixed number of queries."""
    reports = OpinionReport.objects.select_related("lead__person", "person").prefetch_related(
        Prefetch(
            "cosubmitters",
            queryset=CoSubmitter.objects.select_related("membership__person").order_by("order"),
        )
    )
    handlings = ItemHandling.objects.select_related("unit").order_by("unit__name", "pk")
    return (
        BulletinItem.objects.filter(bulletin=bulletin)
        .prefetch_related(
            Prefetch("reports", queryset=reports.order_by("submitted_at", "pk")),
            Prefetch("handlings", queryset=handlings),
        )
        .order_by("position")
    )


def _credited(report):
    """(member names, other names) credited on one report: the lead and co-submitters, or the
    information officer, or the submitting body."""
    if report.lead_id:
        names = [report.lead.person.name]
        names += [c.membership.person.name for c in report.cosubmitters.all()]
        return names, []
    if report.person_id:
        return [], [report.person.name]
    return [], [report.submitting_body] if report.submitting_body else []


def credit_line(item):
    """「(李明委员报送)」 for a single item, 「(根据李明、王芳等委员报送的信息综合)」 for a
    combined one: every submitter of every report is credited, each once, in order."""
    members, others = [], []
    for report in item.reports.all():
        report_members, report_others = _credited(report)
        members += [n for n in report_members if n not in members]
        others += [n for n in report_others if n not in others]
    parts = []
    if members:
        parts.append(
            "、".join(members) + (_("等委员") if item.kind == ItemKind.COMBINED else _("委员"))
        )
    if others:
        parts.append("、".join(others))
    if not parts:
        return ""
    who = _("和").join(parts)
    if item.kind == ItemKind.COMBINED:
        return _("(根据%(who)s报送的信息综合)") % {"who": who}
    return _("(%(who)s报送)") % {"who": who}


def split_recipients(text):
    """The issue's recipients as (报送, 抄送): lines starting with 抄送 are copies, the rest
    (with or without a 报送 prefix) are the main recipients."""
    send, copy = [], []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        for prefix, target in ((_("抄送"), copy), (_("报送"), send)):
            if line.startswith(prefix):
                target.append(
                    line[len(prefix) :].lstrip().removeprefix(":").removeprefix(":").strip()
                )
                break
        else:
            send.append(line)
    return "、".join(p for p in send if p), "、".join(p for p in copy if p)


def join_recipients(send, copy):
    """The one ``recipients`` text stored on the issue, read back by ``split_recipients``."""
    lines = []
    if send.strip():
        lines.append(_("报送:%(r)s") % {"r": send.strip()})
    if copy.strip():
        lines.append(_("抄送:%(r)s") % {"r": copy.strip()})
    return "\n".join(lines)


def date_label(day):
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


# The document ---------------------------------------------------------------------------------


_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _rule(paragraph, *, color=RED_HEX, size=18):
    """A horizontal rule under the paragraph (its bottom border)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1")):
        bottom.set(qn(key), value)
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    # pBdr must precede these in <w:pPr> (schema order), or Word reports the file as damaged.
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_PBDR)
    return paragraph


def _masthead(document, bulletin):
    _para(
        document,
        bulletin.title,
        font=MASTHEAD_FONT,
        size=36,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=RED,
    )
    _para(
        document,
        _("第%(n)s期") % {"n": bulletin.number},
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    line = document.add_paragraph()
    width = document.sections[0].page_width
    width -= document.sections[0].left_margin + document.sections[0].right_margin
    line.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    _font(line.add_run(f"{bulletin.committee.name}\t{date_label(bulletin.issued_on)}"))
    _rule(line)


def _item(document, item):
    _para(document, item.title, font=MASTHEAD_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    for block in item.text.split("\n"):
        if block.strip():
            _para(document, block.strip(), indent=True)
    credit = credit_line(item)
    if credit:
        _para(document, credit, align=WD_ALIGN_PARAGRAPH.RIGHT)


def _recipients(document, bulletin):
    send, copy = split_recipients(bulletin.recipients)
    if not (send or copy):
        return
    _rule(document.add_paragraph(), color="000000", size=6)
    if send:
        _para(document, _("报送:%(r)s") % {"r": send}, size=14)
    if copy:
        _para(document, _("抄送:%(r)s") % {"r": copy}, size=14)


@transaction.atomic
def bulletin_document(*, actor, bulletin) -> bytes:
    """The issue as .docx; one EXPORT audit row."""
    if not actor.has_perm("opinions.view_bulletins", bulletin):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    document = _new_document()
    _masthead(document, bulletin)
    for item in bulletin_items(bulletin):
        _item(document, item)
    _recipients(document, bulletin)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=bulletin,
        note=_("下载刊物(%(b)s)") % {"b": bulletin},
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
