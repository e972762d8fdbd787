"""History import of public-opinion reports: the template, bad rows (nothing written), a valid
file and the figures it gives, duplicates, and who may import."""

import collections
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.factories import (
    MembershipFactory,
    PersonFactory,
    SessionFactory,
    TermFactory,
    user_with_role,
)
from zhengxie.core.models import AuditAction, AuditEntry, DutyRecord, Instruction, Role, StaffOffice
from zhengxie.opinions import importers
from zhengxie.opinions.models import (
    Adoption,
    Bulletin,
    BulletinState,
    Forwarding,
    OpinionReport,
    ReportHistory,
    ReportState,
)
from zhengxie.opinions.stats import opinion_figures

HEADERS = [c.header for c in importers.COLUMNS]
VALID = [
    {
        "报送日期": "2024-03-15",
        "标题": "关于加强农村饮水安全的建议",
        "来源": "委员",
        "报送人/单位": "李明",
        "是否采用": "是",
        "刊物期号": "2024年第1期",
        "市级上报单位": "台州市政协",
        "市级采用": "单独采用(2024-05-06)",
        "领导批示": "县级:县长张三:2024-04-02",
    },
    {
        "报送日期": "2024-04-01",
        "标题": "关于规范校外培训的建议",
        "来源": "委员联名",
        "报送人/单位": "王芳",
        "联名委员": "李明、赵强",
        "是否采用": "是",
        "刊物期号": "2024年第1期",
        "省级上报单位": "浙江省政协",
        "省级采用": "综合采用",
    },
    {
        "报送日期": "2024-05-01",
        "标题": "关于老旧小区加装电梯的建议",
        "来源": "党派团体",
        "报送人/单位": "民盟县委",
        "是否采用": "是",
        "市级上报单位": "台州市政协",
    },
    {
        "报送日期": "2024-06-01",
        "标题": "关于增设公交站点的建议",
        "来源": "信息员",
        "报送人/单位": "周信",
        "是否采用": "否",
        "未采用理由": "内容与已报信息重复",
    },
    {
        "报送日期": "2024-07-01",
        "标题": "关于集镇停车难的反映",
        "来源": "机关代群众反映",
        "报送人/单位": "城关镇委员会客室",
        "是否采用": "是",
        "刊物期号": "2024年第2期",
        "领导批示": "市级:副市长李四:2024-08-01;县级:县委书记王五:2024-07-15",
    },
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
    SessionFactory(committee=committee, term=term, number=3, opens_on=datetime.date(2024, 1, 10))
    members = {
        name: MembershipFactory(
            committee=committee, term=term, person=PersonFactory(committee=committee, name=name)
        )
        for name in ("李明", "王芳", "赵强")
    }
    PersonFactory(committee=committee, name="周信")
    staff = user_with_role(committee, Role.STAFF, office=StaffOffice.RESEARCH)
    return {"committee": committee, "term": term, "members": members, "staff": staff}


def _import(roster, rows):
    check = importers.read_history(workbook(rows), committee=roster["committee"])
    assert check.errors == []
    return importers.history_import(
        actor=roster["staff"], committee=roster["committee"], rows=check.rows, filename="h.xlsx"
    )


def test_a_valid_file_imports_everything(roster):
    counts = _import(roster, VALID)
    assert counts == {
        "reports": 5,
        "bulletins": 2,
        "items": 3,
        "forwardings": 3,
        "adoptions": 2,
        "instructions": 3,
    }
    states = dict(OpinionReport.objects.values_list("title", "state"))
    assert states == {
        "关于加强农村饮水安全的建议": ReportState.PUBLISHED,
        "关于规范校外培训的建议": ReportState.PUBLISHED,
        "关于老旧小区加装电梯的建议": ReportState.USED,
        "关于增设公交站点的建议": ReportState.NOT_USED,
        "关于集镇停车难的反映": ReportState.PUBLISHED,
    }
    assert list(
        Bulletin.objects.order_by("number").values_list("year", "number", "issued_on", "state")
    ) == [
        (2024, 1, datetime.date(2024, 4, 1), BulletinState.SENT),
        (2024, 2, datetime.date(2024, 7, 1), BulletinState.SENT),
    ]
    assert list(
        Adoption.objects.order_by("decided_on").values_list(
            "level", "by_name", "kind", "decided_on"
        )
    ) == [
        ("province", "浙江省政协", "combined", datetime.date(2024, 4, 1)),
        ("city", "台州市政协", "adopted", datetime.date(2024, 5, 6)),
    ]
    assert sorted(Forwarding.objects.values_list("to_level", "to_name", "forwarded_on")) == [
        ("city", "台州市政协", datetime.date(2024, 3, 15)),
        ("city", "台州市政协", datetime.date(2024, 5, 1)),
        ("province", "浙江省政协", datetime.date(2024, 4, 1)),
    ]
    assert sorted(Instruction.objects.values_list("level", "leader_name", "given_on")) == [
        ("city", "副市长李四", datetime.date(2024, 8, 1)),
        ("county", "县委书记王五", datetime.date(2024, 7, 15)),
        ("county", "县长张三", datetime.date(2024, 4, 2)),
    ]
    assert ReportHistory.objects.filter(action="import").count() == 5
    assert AuditEntry.objects.get(action=AuditAction.IMPORT).note == "导入社情民意信息 5 篇"


def test_the_imported_members_are_credited_at_the_events(roster):
    _import(roster, VALID)
    li = roster["members"]["李明"]
    rows = DutyRecord.objects.filter(kind="opinion", membership=li).order_by("occurred_on", "pk")
    assert [(r.sub_kind, r.occurred_on, r.role, r.level) for r in rows] == [
        ("submitted", datetime.date(2024, 3, 15), "lead", ""),
        ("used", datetime.date(2024, 3, 15), "lead", "county"),
        ("forwarded", datetime.date(2024, 3, 15), "lead", ""),
        ("published", datetime.date(2024, 4, 1), "lead", "county"),
        ("submitted", datetime.date(2024, 4, 1), "co_signer", ""),
        ("used", datetime.date(2024, 4, 1), "co_signer", "county"),
        ("published", datetime.date(2024, 4, 1), "co_signer", "county"),
        ("forwarded", datetime.date(2024, 4, 1), "co_signer", ""),
        ("adopted_province", datetime.date(2024, 4, 1), "co_signer", "province"),
        ("instructed", datetime.date(2024, 4, 2), "lead", "county"),
        ("adopted_city", datetime.date(2024, 5, 6), "lead", "city"),
    ]
    by_kind = collections.Counter(
        DutyRecord.objects.filter(kind="opinion").values_list("sub_kind", flat=True)
    )
    assert by_kind == {
        "submitted": 4,
        "used": 4,
        "published": 4,
        "forwarded": 4,
        "adopted_city": 1,
        "adopted_province": 3,
        "instructed": 1,
    }


def test_the_figures_of_the_imported_year_equal_the_hand_counts(roster):
    _import(roster, VALID)
    assert opinion_figures(committee=roster["committee"], year=2024) == {
        "opinions_received": 5,
        "opinions_received_own": 5,
        "opinions_received_from_lower": 0,
        "opinions_used": 4,
        "bulletin_issues": 2,
        "bulletin_items": 3,
        "opinions_forwarded": 3,
        "opinions_adopted_city": 1,
        "opinions_adopted_province": 1,
        "opinions_adopted_national": 0,
        "instructions_by_level": {"county": 2, "city": 1, "province": 0, "national": 0},
        "instructions": 3,
        "by_source": [
            {"label": "委员", "value": 1},
            {"label": "委员联名", "value": 1},
            {"label": "党派团体", "value": 1},
            {"label": "信息员", "value": 1},
            {"label": "机关代群众反映", "value": 1},
        ],
    }


BAD = [
    {**VALID[0], "报送日期": "2024-13-01"},
    {**VALID[1], "联名委员": "李明、钱六"},
    {**VALID[2], "刊物期号": "第5期"},
    {**VALID[3], "刊物期号": "2024年第3期", "省级采用": "单独采用"},
    {**VALID[4], "领导批示": "县级:县长张三"},
    {**VALID[0], "来源": "群众来信", "是否采用": "可能"},
]


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(roster):
    check = importers.read_history(workbook(BAD), committee=roster["committee"])
    assert [e["message"] for e in check.errors] == [
        "第2行「报送日期」:日期格式不正确,应如 2024-03-15",
        "第3行「联名委员」:“钱六”不是报送日期所在届次的委员",
        "第4行「刊物期号」:格式应如“2024年第5期”",
        "第5行「省级采用」:请先填写省级上报单位",
        "第5行「是否采用」:未采用的信息不能填写刊物期号、上报单位或采用情况",
        "第6行「领导批示」:“县级:县长张三”应写成 级别:领导:日期,如 县级:县长张三:2024-04-02",
        "第7行「来源」:应为委员、委员联名、委员活动小组、专门委员会、党派团体、信息员或机关代群众反映",
        "第7行「是否采用」:应为“是”或“否”",
    ]
    assert OpinionReport.objects.count() == 0


def test_a_second_import_of_the_same_file_reports_every_row_as_existing(roster):
    _import(roster, VALID)
    check = importers.read_history(workbook(VALID), committee=roster["committee"])
    assert [e["message"] for e in check.errors] == [
        f"第{n}行「标题」:已存在(相同标题、报送日期和报送人)" for n in range(2, 7)
    ]
    assert OpinionReport.objects.count() == 5


def test_rows_imported_meanwhile_by_someone_else_stop_the_import(roster):
    check = importers.read_history(workbook(VALID), committee=roster["committee"])
    _import(roster, VALID[4:])
    with pytest.raises(ValidationError) as error:
        importers.history_import(
            actor=roster["staff"], committee=roster["committee"], rows=check.rows
        )
    assert error.value.messages == ["部分信息已存在(可能刚被导入),请重新上传文件以查看详情。"]
    assert OpinionReport.objects.count() == 1


def test_only_opinion_staff_may_call_the_import(roster):
    check = importers.read_history(workbook(VALID), committee=roster["committee"])
    member = user_with_role(roster["committee"], Role.MEMBER)
    with pytest.raises(PermissionDenied):
        importers.history_import(actor=member, committee=roster["committee"], rows=check.rows)
    assert OpinionReport.objects.count() == 0


def test_the_same_row_twice_in_a_file_is_an_error(roster):
    check = importers.read_history(workbook([VALID[0], VALID[0]]), committee=roster["committee"])
    assert [e["message"] for e in check.errors] == ["第3行「标题」:与第2行重复"]


def test_an_issue_being_composed_cannot_take_imported_items(roster):
    Bulletin.objects.create(
        committee=roster["committee"],
        year=2024,
        number=1,
        title="政协社情民意",
        issued_on=datetime.date(2024, 3, 1),
    )
    check = importers.read_history(workbook(VALID[:1]), committee=roster["committee"])
    assert [e["message"] for e in check.errors] == ["第2行「刊物期号」:该期刊物正在编辑中,不能导入"]


def test_the_template_has_the_columns_and_instructions(roster):
    wb = load_workbook(io.BytesIO(importers.history_template()))
    assert [c.value for c in wb.worksheets[0][1]] == HEADERS
    assert wb.sheetnames == ["历史社情民意", "填写说明"]
    assert wb["填写说明"]["A1"].value == "填写说明"


# The page ------------------------------------------------------------------------------------


def test_staff_import_through_the_page(client, roster):
    client.force_login(roster["staff"])
    response = client.post(reverse("opinions:history_import"), {"file": workbook(VALID)})
    assert response.status_code == 200
    assert response.context["summary"]["reports"] == 5
    template = client.get(reverse("opinions:history_template"))
    assert template["Content-Disposition"] == "attachment; filename*=UTF-8''opinion-history.xlsx"


def test_the_page_shows_the_errors_and_imports_nothing(client, roster):
    client.force_login(roster["staff"])
    response = client.post(reverse("opinions:history_import"), {"file": workbook(BAD[:1])})
    assert [e["column"] for e in response.context["errors"]] == ["报送日期"]
    assert OpinionReport.objects.count() == 0


def test_members_may_not_import(client, roster):
    client.force_login(user_with_role(roster["committee"], Role.MEMBER))
    assert client.get(reverse("opinions:history_import")).status_code == 403
    assert client.get(reverse("opinions:history_template")).status_code == 403
