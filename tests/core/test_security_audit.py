"""Audit retention and export: rows stay at least AUDIT_RETENTION_DAYS (≥ 180) before
`audit-archive` may move them to a file; admins export the filtered audit log as .xlsx, and
the export is itself audited."""

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from zhengxie.core.audit import audit_record
from zhengxie.core.models import AuditAction, AuditEntry

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["时间", "操作人", "操作", "对象类型", "对象编号", "对象", "IP", "说明", "之前", "之后"]


def _days_ago(days):
    return str(timezone.localdate() - datetime.timedelta(days=days))


def test_archiving_refuses_rows_younger_than_180_days(tmp_path, db):
    output = tmp_path / "a.jsonl.gz"
    with pytest.raises(CommandError) as exc:
        call_command("audit-archive", before=_days_ago(179), output=str(output))
    assert str(exc.value) == (f"审计记录至少保存 180 天:只能归档 {_days_ago(180)} 之前的记录。")
    assert not output.exists()
    call_command("audit-archive", before=_days_ago(180), output=str(output), stdout=io.StringIO())
    assert output.exists()


def test_a_longer_retention_setting_is_honoured(tmp_path, db, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    with pytest.raises(CommandError, match="审计记录至少保存 365 天"):
        call_command("audit-archive", before=_days_ago(300), output=str(tmp_path / "a.gz"))


def test_a_retention_under_180_days_is_refused_at_start():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(
        {"PYTHONPATH": str(ROOT / "src"), "ZHENGXIE_DEMO": "1", "AUDIT_RETENTION_DAYS": "90"}
    )
    result = subprocess.run(
        [sys.executable, "-c", "import zhengxie.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "AUDIT_RETENTION_DAYS 不能小于 180" in result.stderr


@pytest.fixture
def rows(committee, staff_user):
    made = [
        audit_record(actor=staff_user, action=AuditAction.UPDATE, obj=committee, after={"a": 1}),
        audit_record(
            actor=staff_user,
            action=AuditAction.CREATE,
            obj=committee,
            object_label='=HYPERLINK("http://evil","点我")',
        ),
    ]
    return made


def _sheet(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return [[cell.value for cell in row] for row in workbook.active.iter_rows()]


def test_admin_exports_the_filtered_audit_log(login, admin_user, committee, rows, staff_user):
    client = login(admin_user)
    response = client.get(reverse("core:audit_export"), {"action": AuditAction.UPDATE})
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    sheet = _sheet(response)
    assert sheet[0] == HEADER
    created = timezone.localtime(rows[0].created).strftime("%Y-%m-%d %H:%M:%S")
    assert sheet[1:] == [
        [
            created,
            str(staff_user),
            "修改",
            "organisation.Committee",
            str(committee.pk),
            str(committee),
            None,
            None,
            None,
            '{"a": 1}',
        ]
    ]
    export = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (export.actor_id, export.committee_id, export.after) == (
        admin_user.pk,
        committee.pk,
        {"count": 1, "action": "update"},
    )


def test_exported_labels_stay_text_not_formulas(login, admin_user, rows):
    response = login(admin_user).get(reverse("core:audit_export"), {"action": "create"})
    workbook = load_workbook(io.BytesIO(response.content))
    cell = workbook.active["F2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://evil","点我")', "s")


def test_the_audit_page_links_the_export_with_its_filters(login, admin_user, rows):
    page = login(admin_user).get(reverse("core:audit"), {"action": "update", "page": "1"})
    html = page.content.decode()
    assert f'href="{reverse("core:audit_export")}?action=update"' in html


def test_staff_may_not_export_the_audit_log(login, staff_user, rows):
    assert login(staff_user).get(reverse("core:audit_export")).status_code == 403
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


def test_an_inverted_date_range_exports_nothing(login, admin_user, rows):
    response = login(admin_user).get(
        reverse("core:audit_export"), {"since": "2026-02-01", "until": "2026-01-01"}
    )
    assert response.status_code == 400
    assert "起始日期不能晚于截止日期。" in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()
