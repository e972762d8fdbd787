"""History import of activities: the template, bad rows (nothing written), a valid file with
its ledger rows and figures, duplicates, and who may import."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.factories import MembershipFactory, PersonFactory, TermFactory, user_with_role
from zhengxie.activities import importers
from zhengxie.activities.models import Activity, ActivityHistory, ActivityReport, Participation
from zhengxie.activities.stats import activity_figures
from zhengxie.core.models import AuditAction, AuditEntry, DutyRecord, Role

pytestmark = pytest.mark.django_db

HEADERS = [c.header for c in importers.COLUMNS]
VALID = [
    {
        "名称": "全县农村公路建设情况视察",
        "类别": "视察",
        "开始日期": "2024-03-15",
        "地点": "城关镇",
        "组织单位": "经济委员会",
        "参加委员": "李明、王芳",
        "报告标题": "关于农村公路建设情况的视察报告",
    },
    {
        "名称": "县域医共体建设调研",
        "类别": "调研",
        "开始日期": "2024-05-08",
        "结束日期": "2024-05-09",
        "参加委员": "赵强",
        "报告标题": "关于医共体建设的调研报告",
    },
    {"名称": "教育界别委员活动", "类别": "界别活动", "开始日期": "2024-09-10"},
]


def workbook(rows, headers=HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("history.xlsx", out.getvalue())


@pytest.fixture
def roster(committee_scope):
    committee = committee_scope
    term = TermFactory(committee=committee, starts_on=datetime.date(2022, 1, 1))
    members = {
        name: MembershipFactory(
            committee=committee, term=term, person=PersonFactory(committee=committee, name=name)
        )
        for name in ("李明", "王芳", "赵强")
    }
    staff = user_with_role(committee, Role.STAFF)
    return {"committee": committee, "members": members, "staff": staff}


def _import(roster, rows):
    check = importers.read_history(workbook(rows), committee=roster["committee"])
    assert check.errors == []
    return importers.history_import(
        actor=roster["staff"], committee=roster["committee"], rows=check.rows, filename="h.xlsx"
    )


def test_the_template_has_the_columns_and_notes():
    wb = load_workbook(io.BytesIO(importers.history_template()))
    assert [c.value for c in wb.worksheets[0][1]] == HEADERS
    assert wb.sheetnames == ["历史视察调研活动", "填写说明"]


def test_a_valid_file_imports_held_activities_with_ledger_rows(roster):
    counts = _import(roster, VALID)
    assert counts == {"activities": 3, "participations": 3, "reports": 2}
    assert list(
        Activity.objects.order_by("starts_on").values_list(
            "title", "category", "state", "half_days", "imported"
        )
    ) == [
        ("全县农村公路建设情况视察", "inspection", "held", Decimal("2.0"), True),
        ("县域医共体建设调研", "research", "held", Decimal("4.0"), True),
        ("教育界别委员活动", "sector", "held", Decimal("2.0"), True),
    ]
    m = roster["members"]
    assert list(
        DutyRecord.objects.order_by("pk").values_list(
            "membership", "kind", "sub_kind", "half_days", "occurred_on"
        )
    ) == [
        (m["李明"].pk, "inspection", "", Decimal("2.0"), datetime.date(2024, 3, 15)),
        (m["王芳"].pk, "inspection", "", Decimal("2.0"), datetime.date(2024, 3, 15)),
        (m["赵强"].pk, "research", "participant", Decimal("4.0"), datetime.date(2024, 5, 8)),
    ]
    assert set(Participation.objects.values_list("attendance", flat=True)) == {"attended"}
    assert list(ActivityReport.objects.order_by("pk").values_list("written_on", flat=True)) == [
        datetime.date(2024, 3, 15),
        datetime.date(2024, 5, 9),
    ]
    assert ActivityHistory.objects.filter(action="import").count() == 3
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 1
    figures = activity_figures(committee=roster["committee"], year=2024)
    assert figures == {
        "inspections": 1,
        "research_activities": 1,
        "research_reports": 1,
        "sector_activities": 1,
        "activities_total": 3,
        "activity_participations": 3,
        "plan_items": 0,
        "plan_items_held": 0,
    }


def test_bad_rows_are_all_reported_and_nothing_is_written(roster):
    rows = [
        {**VALID[0], "类别": "参观", "参加委员": "李明、钱七"},
        {**VALID[1], "开始日期": "2024/13/01"},
        {**VALID[2], "结束日期": "2024-09-01"},
        VALID[0] | {"名称": ""},
    ]
    check = importers.read_history(workbook(rows), committee=roster["committee"])
    assert [e["message"] for e in check.errors] == [
        "第2行「类别」:应为视察、调研、界别活动、民主监督或其他",
        "第2行「参加委员」:“钱七”不是开始日期所在届次的委员",
        "第3行「开始日期」:日期格式不正确,应如 2024-03-15",
        "第4行「结束日期」:结束日期不能早于开始日期",
        "第5行「名称」:必须填写",
    ]
    assert Activity.objects.count() == 0


def test_a_file_imported_twice_reports_existing_rows(roster):
    _import(roster, VALID)
    check = importers.read_history(workbook(VALID[:1]), committee=roster["committee"])
    assert [e["message"] for e in check.errors] == ["第2行「名称」:已存在(相同名称和开始日期)"]
    assert Activity.objects.count() == 3


def test_only_staff_may_import(roster, make_user):
    check = importers.read_history(workbook(VALID), committee=roster["committee"])
    member = make_user(roster["committee"], Role.MEMBER)
    with pytest.raises(PermissionDenied):
        importers.history_import(
            actor=member, committee=roster["committee"], rows=check.rows, filename="h.xlsx"
        )
    assert Activity.objects.count() == 0


def test_the_import_page(client, roster):
    client.force_login(roster["staff"])
    assert client.get(reverse("activities:history_template")).status_code == 200
    response = client.post(reverse("activities:history_import"), {"file": workbook(VALID)})
    assert response.context["summary"] == {"activities": 3, "participations": 3, "reports": 2}
    response = client.post(
        reverse("activities:history_import"), {"file": workbook([{**VALID[0], "类别": "x"}])}
    )
    assert [e["column"] for e in response.context["errors"]] == ["类别"]
