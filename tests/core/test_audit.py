import datetime
import gzip
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from zhengxie.core.audit import audit_record
from zhengxie.core.models import AuditAction, AuditEntry, ImmutableRowError


@pytest.fixture
def entry(committee, staff_user):
    return audit_record(
        actor=staff_user, action=AuditAction.UPDATE, obj=committee, before={"a": 1}, after={"a": 2}
    )


def test_it_refuses_to_change_a_saved_row(entry):
    entry.note = "changed"
    with pytest.raises(ImmutableRowError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_it_refuses_to_delete_a_row(entry):
    with pytest.raises(ImmutableRowError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).count() == 1


def test_it_refuses_queryset_update_and_delete(entry):
    with pytest.raises(ImmutableRowError):
        AuditEntry.objects.filter(pk=entry.pk).update(note="x")
    with pytest.raises(ImmutableRowError):
        AuditEntry.objects.all().delete()
    with pytest.raises(ImmutableRowError):
        AuditEntry.objects.bulk_update([entry], ["note"])
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_successful_and_failed_logins_are_audited(client, staff_user):
    client.post(reverse("core:login"), {"username": staff_user.username, "password": "wrong"})
    client.post(reverse("core:login"), {"username": staff_user.username, "password": PASSWORD})
    rows = list(
        AuditEntry.objects.order_by("pk").values_list("action", "actor_label", "object_label", "ip")
    )
    assert rows == [
        (AuditAction.LOGIN_FAILED, "", staff_user.username, "127.0.0.1"),
        (AuditAction.LOGIN, str(staff_user), str(staff_user), "127.0.0.1"),
    ]


def test_failed_login_shows_a_chinese_error(client, staff_user):
    response = client.post(
        reverse("core:login"), {"username": staff_user.username, "password": "wrong"}
    )
    assert "用户名或密码不正确。" in response.content.decode()


def test_admin_browses_and_filters_the_audit_log(login, admin_user, committee, entry):
    client = login(admin_user)
    response = client.get(reverse("core:audit"), {"action": AuditAction.UPDATE})
    assert response.status_code == 200
    assert [e.pk for e in response.context["page"]] == [entry.pk]
    response = client.get(reverse("core:audit"), {"action": AuditAction.LOGIN})
    assert [e.action for e in response.context["page"]] == [AuditAction.LOGIN]


def test_admin_does_not_see_another_committees_audit_rows(
    login, admin_user, other_committee, staff_user
):
    foreign = audit_record(actor=staff_user, action=AuditAction.UPDATE, obj=other_committee)
    response = login(admin_user).get(reverse("core:audit"))
    assert foreign.pk not in [e.pk for e in response.context["page"]]


def test_staff_may_not_browse_the_audit_log(login, staff_user):
    assert login(staff_user).get(reverse("core:audit")).status_code == 403


def test_it_rejects_an_inverted_date_range(login, admin_user):
    response = login(admin_user).get(
        reverse("core:audit"), {"since": "2026-02-01", "until": "2026-01-01"}
    )
    assert "起始日期不能晚于截止日期。" in response.content.decode()


def test_archiving_moves_old_rows_to_a_file_and_is_itself_audited(entry, tmp_path):
    old = timezone.now() - datetime.timedelta(days=400)
    with connection.cursor() as cursor:  # a row written long ago (auto_now_add ignores a value)
        cursor.execute(
            "INSERT INTO core_auditentry (created, actor_label, ip, action, object_type, object_id,"
            " object_label, before, after, note) VALUES (%s, '', NULL, 'login', '', '', 'old',"
            " %s, %s, '')",
            [old, "{}", "{}"],
        )
    recent = audit_record(actor=None, action=AuditAction.LOGIN, object_label="recent")
    output = tmp_path / "audit.jsonl.gz"
    call_command(
        "audit-archive",
        before=str(timezone.localdate() - datetime.timedelta(days=200)),
        output=str(output),
    )
    with gzip.open(output, "rt", encoding="utf-8") as fh:
        lines = [json.loads(line) for line in fh]
    assert [row["object_label"] for row in lines] == ["old"]
    remaining = list(AuditEntry.objects.order_by("pk").values_list("object_label", "action"))
    assert remaining == [
        (str(entry.committee), AuditAction.UPDATE),
        ("recent", AuditAction.LOGIN),
        ("audit.jsonl.gz", AuditAction.ARCHIVE),
    ]
    assert recent.pk


def test_archiving_refuses_to_overwrite_a_file(tmp_path):
    output = tmp_path / "exists.jsonl.gz"
    output.write_bytes(b"")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="归档文件已存在"):
        call_command("audit-archive", before="2020-01-01", output=str(output))


def test_the_database_itself_refuses_to_edit_audit_rows(entry):
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET note = 'forged' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).note == ""


def test_on_postgresql_the_database_refuses_deletes_outside_archiving(entry):
    from django.db import DatabaseError, transaction

    if connection.vendor != "postgresql":
        pytest.skip("SQLite guards deletes in the ORM only (test flushes delete rows there)")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
