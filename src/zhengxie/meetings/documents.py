"""The plenary speech material (《十届五次会议大会发言材料》) as a Word document, in the house
style of ``opinions.documents``: title in 方正小标宋, headings in 黑体, speaker lines in 楷体,
text in 仿宋 with a two-character first-line indent. Oral speeches come first in their order,
then the written ones grouped by category group (经济建设、社会建设……) and category.

Runs carry an East Asian font name so that Word renders the Chinese text in the right face.
"""

import io
from itertools import groupby

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from zhengxie.core.audit import audit_record
from zhengxie.core.documents import (
    HEADING_FONT,
    SCRIPT_FONT,
    TITLE_FONT,
)
from zhengxie.core.documents import add_para as _para
from zhengxie.core.documents import official_document as _new_document
from zhengxie.core.models import AuditAction
from zhengxie.meetings.speeches import oral_speeches, speaker_label, written_speeches
from zhengxie.proposals.models import CategoryGroup

SPEAKER_FONT = SCRIPT_FONT
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHINESE_NUMERALS = "一二三四五六七八九十"


def document_title(session):
    return _("%(s)s大会发言材料") % {"s": session.name}


def _speech(document, speech, number):
    _para(
        document,
        f"{number}. {speech.title}" if number else speech.title,
        font=TITLE_FONT,
        size=18,
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    _para(document, speaker_label(speech), font=SPEAKER_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    for block in speech.body.split("\n"):
        if block.strip():
            _para(document, block.strip(), indent=True)


def _heading(document, number, text, *, page_break=False):
    _para(
        document,
        f"{CHINESE_NUMERALS[number - 1]}、{text}",
        font=HEADING_FONT,
        page_break=page_break,
    )


def build_document(session) -> Document:
    """The document object (tests read it back); ``speech_material`` is the download."""
    document = _new_document()
    _para(document, session.committee.name, font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(
        document, document_title(session), font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    day = timezone.localdate()
    _para(
        document,
        _("%(y)s年%(m)s月%(d)s日") % {"y": day.year, "m": day.month, "d": day.day},
        align=WD_ALIGN_PARAGRAPH.CENTER,
    )
    section = 0
    oral = list(oral_speeches(session))
    if oral:
        section += 1
        _heading(document, section, _("大会口头发言"))
        for i, speech in enumerate(oral, start=1):
            _speech(document, speech, i)
    rank = {value: i for i, value in enumerate(CategoryGroup.values)}
    written = sorted(written_speeches(session), key=lambda s: rank.get(s.category.group, 99))
    if written:
        section += 1
        _heading(document, section, _("书面发言"), page_break=bool(oral))
        groups = dict(CategoryGroup.choices)
        number = 0
        for group, items in groupby(written, key=lambda s: s.category.group):
            _para(document, f"({groups.get(group, group)})", font=HEADING_FONT)
            for speech in items:
                number += 1
                _speech(document, speech, number)
    if not (oral or written):
        _para(document, _("本次会议尚无安排的大会发言。"), align=WD_ALIGN_PARAGRAPH.CENTER)
    return document


@transaction.atomic
def speech_material(*, actor, session) -> bytes:
    """The session's speech material as .docx; one EXPORT audit row."""
    if not actor.has_perm("meetings.compile_speeches"):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    document = build_document(session)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=session,
        note=_("下载%(t)s") % {"t": document_title(session)},
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
