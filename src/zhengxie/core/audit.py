"""The audit trail: one append-only row per create, update, delete, transition, login, export."""

from django.db import models

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
