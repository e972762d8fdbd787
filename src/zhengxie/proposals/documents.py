"""Word documents (.docx): the assignment letter (交办函) to a unit and the compilation (提案汇编).

Both read through ``queries`` (what the actor may see) and write one EXPORT audit row. Runs carry
an East Asian font name so that Word renders the Chinese text in 仿宋/黑体 as official documents do.
"""

import io

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from zhengxie.core.audit import audit_record
from zhengxie.core.config import get_setting
from zhengxie.core.models import AuditAction
from zhengxie.proposals.models import (
    ANSWERING_ROLES,
    OPEN_ASSIGNMENT_STATES,
    REGISTERED_STATES,
    Assignment,
    AssignmentState,
    CoSigner,
    Reply,
    SignatureState,
)
from zhengxie.proposals.queries import visible_proposals

BODY_FONT = "仿宋"
TITLE_FONT = "黑体"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def _font(run, name=BODY_FONT, size=14, bold=False):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    return run


def _new_document():
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return document


def _para(document, text, *, font=BODY_FONT, size=14, bold=False, align=None):
    paragraph = document.add_paragraph()
    _font(paragraph.add_run(text), font, size, bold)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _title(document, text, size=20):
    return _para(document, text, font=TITLE_FONT, size=size, align=WD_ALIGN_PARAGRAPH.CENTER)


def _table(document, headers, rows):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(header), TITLE_FONT, 12)
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(str(value)), BODY_FONT, 12)
    return table


def _date_label(day):
    return _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day}


def _save(document):
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _proposers(proposal):
    """Lead and confirmed co-signers (prefetched as ``confirmed``), or the submitting body."""
    if not proposal.lead_id:
        return proposal.submitting_body
    names = [proposal.lead.person.name]
    names += [c.membership.person.name for c in getattr(proposal, "confirmed", [])]
    return "、".join(names)


def _confirmed(lookup="cosigners"):
    """Prefetch the confirmed co-signers as ``confirmed`` (built per query, inside the scope)."""
    queryset = CoSigner.objects.filter(state=SignatureState.CONFIRMED).select_related(
        "membership__person"
    )
    return Prefetch(lookup, queryset=queryset, to_attr="confirmed")


# 交办函 --------------------------------------------------------------------------------------


def letter_assignments(*, unit, session=None):
    """The assignments a unit's letter lists: those of ``session`` (all but returned ones), or
    without a session the unit's open ones."""
    qs = Assignment.objects.filter(unit=unit).select_related(
        "proposal__session", "proposal__lead__person"
    )
    if session is not None:
        qs = qs.filter(proposal__session=session).exclude(state=AssignmentState.RETURNED)
    else:
        qs = qs.filter(state__in=OPEN_ASSIGNMENT_STATES)
    return qs.prefetch_related(_confirmed("proposal__cosigners")).order_by(
        "proposal__session__opens_on", "proposal__number", "pk"
    )


def _handling_rules(committee):
    months = get_setting(committee, "proposal_reply_deadline_months")
    return_days = get_setting(committee, "return_request_working_days")
    categories = get_setting(committee, "reply_categories")
    listed = ";".join(
        _("%(code)s类:%(name)s") % {"code": code, "name": name} for code, name in categories.items()
    )
    return [
        _(
            "一、办理期限。请自交办之日起%(m)s个月内办结并书面答复提案者,"
            "同时将答复函报送政协提案委员会;确有困难需延期的,应在期限内提出申请并说明理由。"
        )
        % {"m": months},
        _(
            "二、办前沟通。答复前须与提案者联系沟通(面谈、座谈会、电话、邮件、书信等),"
            "听取意见,并在系统中登记沟通情况。"
        ),
        _("三、答复类别。答复函须注明答复类别:%(list)s。") % {"list": listed},
        _(
            "四、退回。认为不属于本单位职责的,请于交办之日起%(n)s个工作日内在系统中申请退回并说明理由,"
            "不得自行转办。"
        )
        % {"n": return_days},
        _(
            "五、主办与会办。会办提案由主办单位负责答复,会办单位应主动配合并及时向主办单位提供会办意见;"
            "分办提案由各承办单位分别答复。"
        ),
    ]


@transaction.atomic
def assignment_letter(*, actor, committee, unit, session=None) -> bytes:
    """The one letter (交办函) a unit receives, listing every proposal assigned to it."""
    _require(actor, "proposals.download_letter", unit)
    assignments = list(letter_assignments(unit=unit, session=session))
    today = timezone.localdate()
    document = _new_document()
    _title(document, committee.name, size=16)
    _title(document, _("提案交办函"))
    _para(document, _("%(u)s:") % {"u": unit.name})
    intro = _(
        "经政协提案委员会审查立案,现将%(s)s提案共%(n)s件交由你单位办理(见下表),"
        "请按以下要求认真办理。"
    ) % {"s": session.name if session is not None else _("下列"), "n": len(assignments)}
    _para(document, intro)
    rows = [
        (
            index,
            a.proposal.number_label,
            a.proposal.title,
            _proposers(a.proposal),
            a.get_role_display(),
            _date_label(a.deadline),
        )
        for index, a in enumerate(assignments, start=1)
    ]
    _table(
        document, [_("序号"), _("案号"), _("案由"), _("提案者"), _("办理方式"), _("答复期限")], rows
    )
    for paragraph in _handling_rules(committee):
        _para(document, paragraph)
    _para(document, _("%(c)s提案委员会") % {"c": committee.name}, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(document, _date_label(today), align=WD_ALIGN_PARAGRAPH.RIGHT)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=unit,
        committee=committee,
        note=_("下载交办函(%(n)s件)") % {"n": len(assignments)},
    )
    return _save(document)


# 提案汇编 ------------------------------------------------------------------------------------


def compilation_proposals(actor, *, session=None, year=None):
    """Registered proposals the actor may see, in number order, with the answering units' final
    replies prefetched (``answering`` on each proposal, ``final_reply`` on each assignment)."""
    answering = (
        Assignment.objects.filter(role__in=ANSWERING_ROLES)
        .exclude(state=AssignmentState.RETURNED)
        .select_related("unit")
        .prefetch_related(Prefetch("replies", queryset=Reply.objects.order_by("round")))
        .order_by("pk")
    )
    qs = (
        visible_proposals(actor)
        .filter(state__in=REGISTERED_STATES)
        .select_related("session", "category", "lead__person")
        .prefetch_related(_confirmed(), Prefetch("assignments", answering, to_attr="answering"))
    )
    if session is not None:
        qs = qs.filter(session=session)
    if year is not None:
        qs = qs.filter(submitted_at__year=year)
    return qs.order_by("session__opens_on", "number", "pk")


@transaction.atomic
def compilation(*, actor, committee, session=None, year=None) -> bytes:
    """提案汇编: each registered proposal with its proposers, content and the final replies."""
    _require(actor, "proposals.export")
    proposals = list(compilation_proposals(actor, session=session, year=year))
    categories = get_setting(committee, "reply_categories")
    period = session.name if session is not None else _("%(y)s年度") % {"y": year}
    document = _new_document()
    _title(document, committee.name, size=16)
    _title(document, _("%(p)s提案汇编") % {"p": period})
    _para(document, _("共%(n)s件") % {"n": len(proposals)}, align=WD_ALIGN_PARAGRAPH.CENTER)
    for proposal in proposals:
        heading = f"{proposal.number_label} {proposal.title}".strip()
        _para(document, heading, font=TITLE_FONT, size=15)
        _para(document, _("提案者:%(p)s") % {"p": _proposers(proposal)})
        if proposal.category_id:
            _para(document, _("类别:%(c)s") % {"c": proposal.category.name})
        _para(document, _("情况与分析"), font=TITLE_FONT, size=14)
        _para(document, proposal.situation)
        _para(document, _("具体建议"), font=TITLE_FONT, size=14)
        _para(document, proposal.suggestions)
        for assignment in proposal.answering:
            replies = list(assignment.replies.all())
            if not replies:
                continue
            reply = replies[-1]
            code = reply.final_category
            label = f"{code}类({categories[code]})" if code in categories else code
            _para(
                document,
                _("%(u)s答复(%(r)s,答复类别:%(c)s)")
                % {"u": assignment.unit.name, "r": assignment.get_role_display(), "c": label},
                font=TITLE_FONT,
                size=14,
            )
            _para(document, reply.text)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        committee=committee,
        object_type="proposals.Compilation",
        object_label=_("%(p)s提案汇编") % {"p": period},
        note=_("导出提案汇编(%(n)s件)") % {"n": len(proposals)},
    )
    return _save(document)
