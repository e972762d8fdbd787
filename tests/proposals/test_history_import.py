"""History import: template, row checks (nothing written on any error), the rows a valid file
creates, the figures over imported years, and a second import of the same file refused."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from tests.factories import (
    HandlingUnitFactory,
    MembershipFactory,
    PersonFactory,
    ProposalCategoryFactory,
    SessionFactory,
    TermFactory,
    user_with_role,
)
from zhengxie.core.models import AuditAction, AuditEntry, DutyRecord, Role, StaffOffice
from zhengxie.core.spreadsheets import SpreadsheetError
from zhengxie.proposals import importers
from zhengxie.proposals.models import (
    Assignment,
    Award,
    CoSigner,
    Proposal,
    ProposalHistory,
    Rating,
    Reply,
)
from zhengxie.proposals.stats import proposal_figures

HEADERS = [c.header for c in importers.COLUMNS]


def xlsx(rows, headers=HEADERS, name="history.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def row(**values):
    base = {
        "会议": "十届四次会议",
        "大会提案": "是",
        "提交日期": "2025-01-11",
        "提案者类型": "委员个人",
        "审查结果": "立案",
    }
    return {**base, **values}


VALID = [
    row(
        第一提案人="王一",
        案号=1,
        案由="关于加快城乡供水一体化的建议",
        类别="教育",
        承办单位="县教育局(主办);县财政局(会办)",
        答复类别="县教育局:A",
        态度评价="满意",
        结果评价="基本满意",
        重点提案="是",
        获奖="优秀提案",
    ),
    row(
        提案者类型="委员联名",
        第一提案人="李二",
        联名人="赵三、张伟(102)",
        案号=2,
        案由="关于支持小微企业融资的建议",
        类别="经济",
        承办单位="县教育局(分办);县财政局(分办)",
        答复类别="县教育局:C;县财政局:B",
    ),
    row(
        提案者类型="党派团体",
        提案单位="民盟县委会",
        案号=3,
        案由="关于发展县域医疗共同体的建议",
        类别="经济",
        承办单位="县卫健局",
    ),
    row(第一提案人="赵三", 案号=4, 案由="关于农村供水的建议", 审查结果="并案", 并入案号=1),
    row(
        第一提案人="王一",
        案由="关于某学术问题的探讨",
        审查结果="不予立案",
        不立案理由="属于学术探讨的",
        大会提案="否",
        提交日期=datetime.date(2025, 3, 1),
    ),
    row(第一提案人="张伟", 第一提案人编号="101", 案号=5, 案由="关于校园安全的建议", 类别="教育"),
]


@pytest.fixture
def county(committee_scope):
    committee = committee_scope
    term = TermFactory(committee=committee, starts_on=datetime.date(2022, 1, 1))
    session = SessionFactory(
        committee=committee,
        term=term,
        number=4,
        name="十届四次会议",
        opens_on=datetime.date(2025, 1, 10),
        closes_on=datetime.date(2025, 1, 14),
    )
    members = {}
    for name, number in [("王一", "001"), ("李二", "002"), ("赵三", "003")]:
        members[name] = MembershipFactory(
            committee=committee,
            term=term,
            number=number,
            person=PersonFactory(committee=committee, name=name),
        )
    for number in ("101", "102"):
        members[f"张伟{number}"] = MembershipFactory(
            committee=committee,
            term=term,
            number=number,
            person=PersonFactory(committee=committee, name="张伟"),
        )
    ProposalCategoryFactory(committee=committee, name="教育", is_livelihood=True)
    ProposalCategoryFactory(committee=committee, name="经济")
    for name in ("县教育局", "县财政局", "县卫健局"):
        HandlingUnitFactory(committee=committee, name=name)
    staff = user_with_role(committee, Role.STAFF, username="pst", office=StaffOffice.PROPOSALS)
    return {"committee": committee, "session": session, "members": members, "staff": staff}


def run_import(county, upload):
    check = importers.read_history(upload)
    assert check.errors == []
    return importers.history_import(
        actor=county["staff"], committee=county["committee"], rows=check.rows, filename=upload.name
    )


def counts():
    return [
        m.objects.count()
        for m in (Proposal, CoSigner, Assignment, Reply, Rating, Award, ProposalHistory)
    ]


def test_the_template_has_the_columns_and_the_instructions(county):
    wb = load_workbook(io.BytesIO(importers.history_template()))
    assert wb.sheetnames == ["历史提案", "填写说明"]
    assert [c.value for c in wb["历史提案"][1]] == HEADERS
    notes = [r[0] for r in wb["填写说明"].iter_rows(values_only=True)]
    assert "承办单位:单位(办理方式)" in "".join(str(n) for n in notes)
    listed = list(wb["填写说明"].iter_rows(values_only=True))
    start = listed.index(("会议", "提案类别", "承办单位"))
    columns = [sorted(filter(None, column)) for column in zip(*listed[start + 1 :], strict=True)]
    assert columns == [["十届四次会议"], ["教育", "经济"], ["县卫健局", "县教育局", "县财政局"]]


def test_a_valid_file_creates_exactly_the_expected_rows(county):
    summary = run_import(county, xlsx(VALID))
    assert summary == {
        "proposals": 6,
        "cosigners": 2,
        "assignments": 5,
        "replies": 3,
        "ratings": 1,
        "awards": 1,
    }
    states = dict(Proposal.objects.values_list("title", "state"))
    assert states == {
        "关于加快城乡供水一体化的建议": "closed",
        "关于支持小微企业融资的建议": "replied",
        "关于发展县域医疗共同体的建议": "assigned",
        "关于农村供水的建议": "merged",
        "关于某学术问题的探讨": "not_registered",
        "关于校园安全的建议": "registered",
    }
    merged = Proposal.objects.get(number=4)
    assert (merged.merged_into.number, merged.imported) == (1, True)
    assert set(CoSigner.objects.values_list("membership__number", "state")) == {
        ("003", "confirmed"),
        ("102", "confirmed"),
    }
    assert sorted(Assignment.objects.values_list("unit__name", "role", "state")) == sorted(
        [
            ("县教育局", "main", "done"),
            ("县财政局", "co", "done"),
            ("县教育局", "split", "replied"),
            ("县财政局", "split", "replied"),
            ("县卫健局", "single", "accepted"),
        ]
    )
    assert list(Rating.objects.values_list("attitude", "result")) == [("satisfied", "basically")]
    assert set(ProposalHistory.objects.values_list("action", flat=True)) == {"import"}
    assert ProposalHistory.objects.count() == 6
    award = Award.objects.get()
    assert (award.proposal.number, award.year, award.awarded_on) == (
        1,
        2025,
        datetime.date(2025, 12, 31),
    )
    duty = sorted(
        DutyRecord.objects.values_list("membership__number", "sub_kind", "role", "occurred_on")
    )
    day, march = datetime.date(2025, 1, 11), datetime.date(2025, 3, 1)
    assert duty == sorted(
        [
            ("001", "submitted", "lead", day),
            ("001", "registered", "lead", day),
            ("001", "key", "lead", day),
            ("001", "outstanding", "lead", day),
            ("002", "submitted", "lead", day),
            ("002", "registered", "lead", day),
            ("003", "co_signed", "co_signer", day),
            ("003", "registered", "co_signer", day),
            ("102", "co_signed", "co_signer", day),
            ("102", "registered", "co_signer", day),
            ("003", "submitted", "lead", day),
            ("003", "merged", "lead", day),
            ("001", "submitted", "lead", march),
            ("101", "submitted", "lead", day),
            ("101", "registered", "lead", day),
        ]
    )
    audit = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert (audit.object_label, audit.after["proposals"]) == ("历史提案导入:history.xlsx", 6)


def test_figures_over_the_imported_session_equal_the_hand_counts(county):
    run_import(county, xlsx(VALID))
    figures = proposal_figures(committee=county["committee"], session=county["session"])
    main_units = {r["label"]: r["value"] for r in figures.pop("by_main_unit")}
    assert figures == {
        "proposals_received": 6,
        "proposals_registered": 4,
        "registration_rate": 4 / 6,
        "proposals_merged": 1,
        "proposals_to_opinion_letters": 0,
        "proposals_to_public_opinion": 0,
        "proposals_not_registered": 1,
        "key_proposals": 1,
        "proposals_replied": 2,
        "reply_rate": 0.5,
        "replies_by_category": {"A": 1, "B": 1, "C": 1},
        "replies_a": 1,
        "replies_b": 1,
        "replies_c": 1,
        "proposals_adopted": 2,
        "adoption_rate": 0.5,
        "satisfaction_attitude_rate": 1.0,
        "ratings_rated": 1,
        "ratings_attitude_satisfied": 1,
        "ratings_result_satisfied": 1,
        "satisfaction_result_rate": 1.0,
        "livelihood_proposals": 2,
        "livelihood_share": 0.5,
        "members_in_office": 5,
        "members_submitting": 5,
        "members_submitting_rate": 1.0,
        # a tie is shown in the committee's order of categories
        "by_category": [{"label": "教育", "value": 2}, {"label": "经济", "value": 2}],
        "by_submitter_type": [
            {"label": "委员个人", "value": 2},
            {"label": "委员联名", "value": 1},
            {"label": "党派团体", "value": 1},
        ],
        "outstanding_proposals": 1,
        "outstanding_units": 0,
    }
    assert main_units == {"县教育局": 2, "县财政局": 1, "县卫健局": 1}


def test_every_bad_row_is_listed_and_nothing_is_written(county):
    bad = [
        row(会议="九届一次会议", 第一提案人="王一", 案号=1, 案由="甲"),
        row(第一提案人="张伟", 案号=2, 案由="乙"),
        row(第一提案人="王一", 案号=3, 案由="丙", 类别="旅游", 审查结果="同意"),
        row(第一提案人="王一", 案号=4, 案由="丁", 承办单位="县交通局(主办)"),
        row(第一提案人="王一", 案号=5, 案由="戊", 审查结果="并案"),
        row(
            第一提案人="王一",
            案号=6,
            案由="己",
            承办单位="县教育局(主办);县财政局(会办)",
            答复类别="县财政局:A",
        ),
        row(第一提案人="王一", 案号=7, 案由="庚", 提交日期="去年"),
        row(第一提案人="孙七", 案号=7, 案由="辛"),
        row(第一提案人="王一", 案由="壬"),
        row(提案者类型="党派团体", 案号=8, 案由="癸"),
        row(第一提案人="王一", 案号=9, 案由="子", 审查结果="并案", 并入案号=99),
    ]
    check = importers.read_history(xlsx(bad))
    assert [(e["row"], e["column"]) for e in check.errors] == [
        (2, "会议"),
        (3, "第一提案人"),
        (4, "类别"),
        (4, "审查结果"),
        (5, "承办单位"),
        (6, "并入案号"),
        (7, "答复类别"),
        (8, "提交日期"),
        (9, "第一提案人"),
        (10, "案号"),
        (11, "提案单位"),
        (12, "并入案号"),
    ]
    assert check.errors[1]["message"] == "第3行「第一提案人」:有多名委员叫“张伟”,请注明委员编号"
    assert counts() == [0] * 7


def test_a_file_without_the_required_columns_is_refused(county):
    with pytest.raises(SpreadsheetError, match="会议"):
        importers.read_history(xlsx([{"案由": "甲"}], headers=["案由"]))


def test_importing_the_same_file_again_is_refused_row_by_row(county):
    run_import(county, xlsx(VALID))
    before = counts()
    check = importers.read_history(xlsx(VALID))
    assert [(e["row"], e["column"]) for e in check.errors] == [
        (2, "案号"),
        (3, "案号"),
        (4, "案号"),
        (5, "案号"),
        (6, "案由"),
        (7, "案号"),
    ]
    assert all("已存在" in e["message"] for e in check.errors)
    assert counts() == before


def test_rows_repeated_within_one_file_are_refused(county):
    check = importers.read_history(xlsx([VALID[0], {**VALID[0], "案由": "另一件"}]))
    assert [(e["row"], e["column"], e["message"]) for e in check.errors] == [
        (3, "案号", "第3行「案号」:与第2行重复")
    ]


def test_only_staff_of_the_proposals_office_may_import(county):
    member = user_with_role(county["committee"], Role.MEMBER)
    check = importers.read_history(xlsx(VALID))
    with pytest.raises(importers.PermissionDenied):
        importers.history_import(
            actor=member, committee=county["committee"], rows=check.rows, filename="x.xlsx"
        )
    assert counts() == [0] * 7


# --- page -------------------------------------------------------------------------------------


def test_the_page_imports_a_file_and_shows_the_counts(county, login):
    client = login(county["staff"])
    assert client.get("/proposals/history-import/").status_code == 200
    response = client.post("/proposals/history-import/", {"file": xlsx(VALID)})
    html = response.content.decode()
    assert (response.status_code, 'id="import-proposals">6<' in html) == (200, True)
    assert Proposal.objects.count() == 6


def test_the_page_lists_the_errors_of_a_bad_file(county, login):
    client = login(county["staff"])
    response = client.post("/proposals/history-import/", {"file": xlsx([row(案由="甲")])})
    assert 'id="import-errors"' in response.content.decode()
    assert Proposal.objects.count() == 0


def test_the_template_download_is_an_xlsx_file(county, login):
    response = login(county["staff"]).get("/proposals/history-import/template.xlsx")
    assert (response.status_code, response["Content-Type"]) == (
        200,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_a_member_may_not_open_the_import_page(county, login):
    member = user_with_role(county["committee"], Role.MEMBER)
    assert login(member).get("/proposals/history-import/").status_code == 403


def test_a_file_that_is_not_xlsx_is_refused_on_the_page(county, login):
    upload = SimpleUploadedFile("history.txt", b"not a workbook")
    response = login(county["staff"]).post("/proposals/history-import/", {"file": upload})
    html = response.content.decode()
    assert ('id="import-form-errors"' in html, "请上传 Excel 文件(.xlsx 格式)。" in html) == (
        True,
        True,
    )
    assert Proposal.objects.count() == 0
