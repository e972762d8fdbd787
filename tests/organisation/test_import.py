import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from tests.factories import MemberGroupFactory, SectorFactory, SpecialCommitteeFactory
from tests.organisation.roster_files import HEADERS, id_number, roster_row, roster_xlsx
from zhengxie.core.models import AuditAction, AuditEntry, Role
from zhengxie.organisation.models import (
    Membership,
    MembershipStatusChange,
    Person,
    Position,
    PositionKind,
)

URL = reverse("organisation:roster_import")


@pytest.fixture
def structure(committee, term):
    return {
        "sector": SectorFactory(committee=committee, name="医药卫生界"),
        "group": MemberGroupFactory(committee=committee, name="城关镇小组"),
        "special": SpecialCommitteeFactory(committee=committee, name="提案委员会"),
        "term": term,
    }


@pytest.fixture
def staff_client(login, staff_user):
    return login(staff_user)


def upload(client, content, term, name="roster.xlsx", **headers):
    file = SimpleUploadedFile(name, content)
    return client.post(URL, {"term": term.pk, "file": file}, **headers)


def counts(committee):
    with scope(committee=committee):
        return Person.objects.count(), Membership.objects.count(), Position.objects.count()


def test_the_template_has_chinese_headers_and_lists_the_sectors(staff_client, structure):
    response = staff_client.get(reverse("organisation:roster_template"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["委员名册"][1]] == HEADERS
    assert [c.value for c in wb["填写说明"][7]] == ["医药卫生界", "城关镇小组", "提案委员会"]


def test_a_file_with_bad_rows_lists_each_error_and_imports_nothing(
    staff_client, committee, structure
):
    rows = [
        roster_row(1, "医药卫生界"),
        roster_row(2, "医药卫生界", 性别="男性"),
        roster_row(3, "不存在界", 活动小组="无此小组"),
        roster_row(4, "医药卫生界", 身份证号=id_number(1), 出生年份="七五"),
        roster_row(5, "医药卫生界", 身份证号="330102197501010000", 手机号码="12345"),
        roster_row(6, "医药卫生界", 姓名="", 任职日期="明年", 是否常委="对"),
    ]
    response = upload(staff_client, roster_xlsx(rows), structure["term"])

    assert response.status_code == 200
    assert [e["message"] for e in response.context["errors"]] == [
        "第3行「性别」:应为“男”或“女”",
        "第4行「界别」:“不存在界”不存在,请先在组织机构中添加",
        "第4行「活动小组」:“无此小组”不存在,请先在组织机构中添加",
        "第5行「出生年份」:应为 1900–2026 之间的四位年份".replace(
            "2026", str(__import__("datetime").date.today().year)
        ),
        "第5行「身份证号」:与第2行重复",
        "第6行「身份证号」:不是有效的18位身份证号",
        "第6行「手机号码」:应为11位手机号码",
        "第7行「姓名」:必须填写",
        "第7行「是否常委」:应为“是”或“否”",
        "第7行「任职日期」:日期格式不正确,应如 2022-01-10",
    ]
    assert "第3行「性别」:应为“男”或“女”" in response.content.decode()
    assert counts(committee) == (0, 0, 0)
    assert AuditEntry.objects.filter(action=AuditAction.IMPORT).count() == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("roster.csv", b"a,b", "请上传 Excel 文件(.xlsx 格式)。"),
        ("roster.xlsx", b"not a zip", "无法读取该文件,请使用下载的模板(.xlsx 格式)。"),
        ("roster.xlsx", roster_xlsx([], headers=["姓名", "手机号码"]), None),
        ("roster.xlsx", roster_xlsx([]), "文件中没有委员数据(第2行起填写)。"),
    ],
)
def test_an_unreadable_file_gets_a_clear_message(
    staff_client, committee, structure, name, content, message
):
    response = upload(staff_client, content, structure["term"], name=name)
    expected = message or "文件缺少必填列:性别、身份证号、界别。请使用下载的模板。"
    assert response.context["form"].errors == {"file": [expected]}
    assert counts(committee) == (0, 0, 0)


def test_an_empty_upload_says_so(staff_client, structure):
    response = upload(staff_client, b"", structure["term"])
    assert response.context["form"].errors == {"file": ["上传的文件是空的。"]}


def test_a_valid_file_is_imported_with_a_summary_and_an_audit_row(
    staff_client, committee, structure
):
    rows = [
        roster_row(1, "医药卫生界", 是否常委="是", 专门委员会="提案委员会", 活动小组="城关镇小组"),
        roster_row(2, "医药卫生界", 性别="女", 宗教信仰="佛教"),
        roster_row(3, "医药卫生界", 身份证号=id_number(3).replace("X", "x")),
    ]
    response = upload(staff_client, roster_xlsx(rows), structure["term"], HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="import-added">3<' in html
    assert 'id="import-updated">0<' in html
    assert 'id="import-unchanged">0<' in html
    assert "<html" not in html  # the htmx partial only
    with scope(committee=committee):
        first = Membership.objects.select_related("person", "group").get(person__name="委员1")
        assert (first.person.gender, first.person.phone, first.group.name, first.number) == (
            "male",
            "13900000001",
            "城关镇小组",
            "0001",
        )
        assert sorted(first.positions.values_list("kind", flat=True)) == [
            PositionKind.SPECIAL_COMMITTEE,
            PositionKind.STANDING,
        ]
        assert MembershipStatusChange.objects.filter(kind="elected").count() == 3
    audit = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert (audit.after["added"], audit.after["updated"], audit.after["unchanged"]) == (3, 0, 0)
    assert [r["row"] for r in audit.after["rows"]] == [2, 3, 4]
    assert audit.note == "新增 3 人,更新 0 人,未变化 0 人"


def test_reimporting_matches_by_id_number_and_counts_unchanged_and_updated(
    staff_client, committee, structure
):
    rows = [roster_row(n, "医药卫生界", 是否常委="是" if n == 1 else "否") for n in (1, 2, 3)]
    upload(staff_client, roster_xlsx(rows), structure["term"])
    rows[1]["工作单位"] = "县教育局"
    rows[2]["是否常委"] = "是"
    rows.append(roster_row(4, "医药卫生界"))

    response = upload(staff_client, roster_xlsx(rows), structure["term"])

    summary = response.context["summary"]
    assert (summary["added"], summary["updated"], summary["unchanged"]) == (1, 2, 1)
    with scope(committee=committee):
        assert Person.objects.count() == 4
        assert Membership.objects.get(person__name="委员2").work_unit == "县教育局"
        assert Position.objects.filter(kind=PositionKind.STANDING).count() == 2

    again = upload(staff_client, roster_xlsx(rows), structure["term"])
    assert (again.context["summary"]["added"], again.context["summary"]["unchanged"]) == (0, 4)


def test_three_hundred_rows_import_in_a_few_seconds(
    staff_client, committee, structure, django_assert_max_num_queries
):
    rows = [roster_row(n, "医药卫生界", 活动小组="城关镇小组") for n in range(1, 301)]
    content = roster_xlsx(rows)
    started = time.monotonic()
    response = upload(staff_client, content, structure["term"])
    elapsed = time.monotonic() - started

    assert response.context["summary"]["added"] == 300
    assert elapsed < 5
    assert counts(committee) == (300, 300, 0)


def test_a_member_cannot_import(login, make_user, committee, structure):
    client = login(make_user(committee, Role.MEMBER))
    assert client.get(URL).status_code == 403
    response = upload(client, roster_xlsx([roster_row(1, "医药卫生界")]), structure["term"])
    assert response.status_code == 403
    assert counts(committee) == (0, 0, 0)
