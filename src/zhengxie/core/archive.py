"""Archiving old audit rows to a file: the only way audit rows ever leave the table."""

import datetime
import gzip
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core.audit import audit_record
from zhengxie.core.models import AuditAction, AuditEntry


class ArchiveError(Exception):
    pass


def retention_cutoff():
    """The latest ``before`` date archiving may use: rows stay AUDIT_RETENTION_DAYS at least."""
    return timezone.localdate() - datetime.timedelta(days=settings.AUDIT_RETENTION_DAYS)


def _set_gate(*, open_):
    """Open the database's append-only gate for this transaction's archive delete only."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditarchivegate SET open = %s WHERE id = 1", [open_])


def audit_archive(*, before, output: Path, actor=None):
    """Write every audit row created before ``before`` (a date) to gzipped JSON lines at
    ``output``, then remove exactly those rows, and audit the archiving itself.
    Returns (count, sha256 of the file)."""
    output = Path(output)
    earliest = retention_cutoff()
    if before > earliest:
        raise ArchiveError(
            _("审计记录至少保存 %(days)s 天:只能归档 %(date)s 之前的记录。")
            % {"days": settings.AUDIT_RETENTION_DAYS, "date": earliest}
        )
    if output.exists():
        raise ArchiveError(_("归档文件已存在:%(path)s") % {"path": output})
    output.parent.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        rows = (
            AuditEntry._base_manager.select_for_update()
            .filter(created__date__lt=before)
            .order_by("pk")
        )
        ids = []
        with gzip.open(output, "wt", encoding="utf-8") as fh:
            for row in rows.values().iterator(chunk_size=2000):
                ids.append(row["id"])
                fh.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False) + "\n")
        digest = hashlib.sha256(output.read_bytes()).hexdigest()
        _set_gate(open_=True)
        for start in range(0, len(ids), 2000):
            # The one deliberate bypass of ImmutableQuerySet: rows are safely in the file.
            AuditEntry._base_manager.filter(pk__in=ids[start : start + 2000])._raw_delete(
                AuditEntry._base_manager.db
            )
        _set_gate(open_=False)
        audit_record(
            actor=actor,
            action=AuditAction.ARCHIVE,
            object_type="core.AuditEntry",
            object_label=str(output.name),
            after={"count": len(ids), "before": str(before), "file": str(output), "sha256": digest},
        )
    return len(ids), digest
