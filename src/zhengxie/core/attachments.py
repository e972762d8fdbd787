"""Attachments: a file is kept only when its content is an allowed kind and its name agrees.

The kind is read from the file's first bytes (``filetype``), never from the name or the browser's
Content-Type; the name's extension must match that kind; the size limit and the allowed kinds
are the committee's settings (``attachment_max_size_mb``, ``attachment_types``).
"""

import hashlib
from pathlib import PurePath

import filetype
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengxie.core.audit import audit_record, snapshot
from zhengxie.core.config import ATTACHMENT_TYPES, get_settings
from zhengxie.core.models import Attachment, AuditAction

# Extensions a file of each kind may carry.
EXTENSIONS = {
    "pdf": {"pdf"},
    "jpg": {"jpg", "jpeg"},
    "png": {"png"},
    "docx": {"docx"},
    "doc": {"doc"},
    "xlsx": {"xlsx"},
    "xls": {"xls"},
    "zip": {"zip"},
    "mp3": {"mp3"},
    "m4a": {"m4a"},
    "wav": {"wav"},
}
MIME_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
    "zip": "application/zip",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/x-wav",
}


def _allowed_label(kinds):
    return "、".join(str(ATTACHMENT_TYPES[k]) for k in kinds if k in ATTACHMENT_TYPES)


def detect_kind(upload) -> str | None:
    """The kind of the upload's content (a key of ``EXTENSIONS``), or None."""
    upload.seek(0)
    guess = filetype.guess(upload.read(8192))
    upload.seek(0)
    if guess is None:
        return None
    kind = guess.extension
    return kind if kind in EXTENSIONS else None


def check_upload(*, committee, upload) -> str:
    """Return the upload's kind, or raise ValidationError with the reason in Chinese."""
    settings = get_settings(committee)
    max_bytes = settings["attachment_max_size_mb"] * 1024 * 1024
    allowed = settings["attachment_types"]
    name = PurePath(upload.name or "").name
    if not name:
        raise ValidationError(_("文件名不能为空。"))
    if len(name) > 255:
        raise ValidationError(_("文件名过长(最多255个字符)。"))
    if upload.size == 0:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name})
    if upload.size > max_bytes:
        raise ValidationError(
            _("文件“%(name)s”超过大小上限 %(mb)s MB。")
            % {"name": name, "mb": settings["attachment_max_size_mb"]}
        )
    kind = detect_kind(upload)
    if kind is None or kind not in allowed:
        raise ValidationError(
            _("文件“%(name)s”的实际内容不是允许的类型(允许:%(allowed)s)。")
            % {"name": name, "allowed": _allowed_label(allowed)}
        )
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in EXTENSIONS[kind]:
        raise ValidationError(
            _("文件“%(name)s”的扩展名与实际内容(%(kind)s)不符。")
            % {"name": name, "kind": ATTACHMENT_TYPES[kind]}
        )
    return kind


def _sha256(upload):
    h = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        h.update(chunk)
    upload.seek(0)
    return h.hexdigest()


@transaction.atomic
def attachment_create(*, committee, upload, actor, target=None) -> Attachment:
    """Check and store ``upload`` (a Django UploadedFile) for ``committee``, optionally on a
    record. Raises ValidationError (Chinese message) when the file is refused; nothing is kept."""
    kind = check_upload(committee=committee, upload=upload)
    attachment = Attachment(
        committee=committee,
        original_name=PurePath(upload.name).name,
        content_type=MIME_TYPES[kind],
        size=upload.size,
        sha256=_sha256(upload),
        uploaded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    if target is not None:
        attachment.target_type = ContentType.objects.get_for_model(target)
        attachment.target_id = target.pk
    attachment.file.save(attachment.sha256, upload, save=False)
    # A failed transaction must not leave the stored file behind.
    stored_name = attachment.file.name
    storage = attachment.file.storage
    try:
        attachment.save()
    except Exception:
        storage.delete(stored_name)
        raise
    audit_record(actor=actor, action=AuditAction.CREATE, obj=attachment, after=snapshot(attachment))
    return attachment


def attachments_for(target):
    """The attachments on ``target`` (a record of the active committee), oldest first."""
    return Attachment.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).order_by("created", "pk")
