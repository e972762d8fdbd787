"""A volume's table of contents (目录) as a Word document in the house style: the series and
number, the title, the editors, then each chapter with its materials and their contributors,
and the totals (字数, 图片) computed from the materials."""

import io

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from zhengxie.archives.models import EditorRole
from zhengxie.archives.queries import volume_contents, volume_totals
from zhengxie.core.audit import audit_record
from zhengxie.core.documents import (
    HEADING_FONT,
    SCRIPT_FONT,
    TITLE_FONT,
    add_para,
    official_document,
)
from zhengxie.core.models import AuditAction

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _editor_line(volume):
    editors = list(volume.editors.select_related("membership__person", "user"))
    chief = [str(e) for e in editors if e.role == EditorRole.CHIEF]
    others = [str(e) for e in editors if e.role == EditorRole.EDITOR]
    parts = []
    if chief:
        parts.append(_("主编:%(n)s") % {"n": "、".join(chief)})
    if others:
        parts.append(_("编辑:%(n)s") % {"n": "、".join(others)})
    return "  ".join(parts)


def volume_toc_document(*, actor, volume) -> bytes:
    """The table of contents as .docx; one EXPORT audit row."""
    if not actor.has_perm("archives.view_all", volume):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    document = official_document()
    if volume.series or volume.number:
        add_para(
            document,
            " ".join(p for p in (volume.series, volume.number) if p),
            font=SCRIPT_FONT,
            align=WD_ALIGN_PARAGRAPH.CENTER,
        )
    add_para(document, volume.title, font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    editors = _editor_line(volume)
    if editors:
        add_para(document, editors, font=SCRIPT_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_para(document, _("目  录"), font=HEADING_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    for chapter in volume_contents(volume):
        add_para(document, chapter.title, font=HEADING_FONT)
        for entry in chapter.entries.all():
            material = entry.material
            add_para(
                document,
                _("%(t)s  %(who)s") % {"t": material.title, "who": material.contributor_label},
                indent=True,
            )
    totals = volume_totals(volume)
    add_para(
        document,
        _("共收录史料%(n)s篇(件),计%(w)s字,图片%(i)s幅。")
        % {"n": totals["materials"], "w": totals["word_count"], "i": totals["image_count"]},
        font=SCRIPT_FONT,
        size=14,
    )
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        obj=volume,
        note=_("下载书目目录(%(v)s)") % {"v": volume},
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
