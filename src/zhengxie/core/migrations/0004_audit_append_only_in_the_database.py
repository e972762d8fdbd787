"""Audit rows are append-only in the database too, not only in the ORM.

PostgreSQL: a trigger refuses UPDATE and DELETE on core_auditentry unless the archive gate is
open — ``core.archive.audit_archive`` opens it inside its own transaction. SQLite: a trigger
refuses UPDATE (DELETE stays guarded by the ORM, since test flushes on SQLite delete rows).
"""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE TABLE core_auditarchivegate (id integer PRIMARY KEY, open boolean NOT NULL);
INSERT INTO core_auditarchivegate (id, open) VALUES (1, false);
CREATE FUNCTION core_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND (SELECT open FROM core_auditarchivegate WHERE id = 1) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit rows are append-only (core_auditentry)';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_audit_append_only BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION core_audit_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER core_audit_append_only ON core_auditentry;
DROP FUNCTION core_audit_append_only();
DROP TABLE core_auditarchivegate;
"""
SQLITE_FORWARD = [
    "CREATE TABLE core_auditarchivegate (id integer PRIMARY KEY, open boolean NOT NULL)",
    "INSERT INTO core_auditarchivegate (id, open) VALUES (1, 0)",
    "CREATE TRIGGER core_audit_no_update BEFORE UPDATE ON core_auditentry BEGIN "
    "SELECT RAISE(ABORT, 'audit rows are append-only (core_auditentry)'); END",
]
SQLITE_BACKWARD = ["DROP TRIGGER core_audit_no_update", "DROP TABLE core_auditarchivegate"]


def forward(apps, schema_editor):
    sql = POSTGRES_FORWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_FORWARD
    _run(schema_editor, sql)


def backward(apps, schema_editor):
    sql = POSTGRES_BACKWARD if schema_editor.connection.vendor == "postgresql" else SQLITE_BACKWARD
    _run(schema_editor, sql)


def _run(schema_editor, sql):
    for statement in [sql] if isinstance(sql, str) else sql:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_calendar_per_committee_and_moderation_flag")]

    operations = [migrations.RunPython(forward, backward)]
