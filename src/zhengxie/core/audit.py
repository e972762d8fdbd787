"""The audit trail: one append-only row per create, update, delete, transition, login, export."""

import io
import json

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

from zhengxie.core.context import current_ip
from zhengxie.core.models import AuditAction, AuditEntry


def snapshot(obj, fields=None):
    """A JSON-safe dict of an object's concrete field values (FKs by id)."""
    if obj is None:
        return {}
    data = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if getattr(field, "sensitive", False) or field.name in SENSITIVE_FIELDS:
            data[field.name] = "***" if getattr(obj, field.attname) else ""
            continue
        value = getattr(obj, field.attname)
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        elif value is not None and not isinstance(value, bool | int | float | str | list | dict):
            value = str(value)
        data[field.attname if field.is_relation else field.name] = value
    return data


# Never copy these into audit rows in clear text.
SENSITIVE_FIELDS = {"id_number", "phone", "password", "phone_digest", "id_number_digest", "digest"}


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    committee=None,
    before: dict | None = None,
    after: dict | None = None,
    note: str = "",
    object_type: str = "",
    object_label: str = "",
):
    if committee is None and obj is not None:
        is_committee = obj._meta.label == "organisation.Committee"
        committee = obj if is_committee else getattr(obj, "committee", None)
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_label = object_label or str(obj)[:255]
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=str(actor)[:150] if actor is not None and actor.is_authenticated else "",
        committee=committee,
        ip=current_ip.get(),
        action=action,
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=object_label,
        before=before or {},
        after=after or {},
        note=note,
    )


def audit_change(*, actor, obj, before: dict, note=""):
    """Record an update with only the fields that changed."""
    after = snapshot(obj)
    changed = {k for k in after if before.get(k) != after.get(k)}
    return audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=obj,
        before={k: before.get(k) for k in changed},
        after={k: after[k] for k in changed},
        note=note,
    )


EXPORT_COLUMNS = (
    (gettext_lazy("时间"), 20),
    (gettext_lazy("操作人"), 16),
    (gettext_lazy("操作"), 12),
    (gettext_lazy("对象类型"), 20),
    (gettext_lazy("对象编号"), 10),
    (gettext_lazy("对象"), 30),
    ("IP", 16),
    (gettext_lazy("说明"), 30),
    (gettext_lazy("之前"), 40),
    (gettext_lazy("之后"), 40),
)


def _text_cell(sheet, value):
    """A cell that always holds text: a label such as "=HYPERLINK(...)" must not become a
    formula in the reader's spreadsheet program."""
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def audit_workbook(entries) -> bytes:
    """The audit rows ``entries`` as an .xlsx file (one row each, values as text)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(gettext_lazy("审计日志")))
    for index, (_title, width) in enumerate(EXPORT_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.append([str(title) for title, _width in EXPORT_COLUMNS])
    for e in entries.iterator(chunk_size=2000):
        values = [
            timezone.localtime(e.created).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_label,
            e.get_action_display(),
            e.object_type,
            e.object_id,
            e.object_label,
            e.ip or "",
            e.note,
            json.dumps(e.before, ensure_ascii=False) if e.before else "",
            json.dumps(e.after, ensure_ascii=False) if e.after else "",
        ]
        sheet.append([_text_cell(sheet, str(v)) for v in values])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
