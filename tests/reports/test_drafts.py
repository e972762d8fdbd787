"""The work-report drafts: the prose for a fixed report (exact sentences), absent areas and
figures left out, the .md and .docx stating the same numbers, the charts, the appendix, and the
drafts page."""

import datetime
import io
import re
from types import SimpleNamespace

import docx
import pytest
from django.urls import reverse

from tests.factories import SessionFactory, TermFactory, user_with_role
from zhengxie.core.models import AuditEntry, Role
from zhengxie.core.periods import Period
from zhengxie.reports.catalogue import AREAS, BY_NAME, CATALOGUE
from zhengxie.reports.drafts import DOCX, draft_content, draft_docx, draft_markdown
from zhengxie.reports.figures import Report

COMMITTEE = SimpleNamespace(name="政协示范县委员会", short_name="示范县政协")

VALUES = {
    "proposals_received": 10,
    "proposals_registered": 8,
    "registration_rate": 0.8,
    "proposals_merged": 1,
    "proposals_to_opinion_letters": 1,
    "proposals_to_public_opinion": 0,
    "proposals_not_registered": 0,
    "key_proposals": 2,
    "proposals_replied": 7,
    "reply_rate": 0.875,
    "replies_a": 4,
    "replies_b": 2,
    "replies_c": 1,
    "proposals_adopted": 6,
    "adoption_rate": 0.75,
    "satisfaction_attitude_rate": 1.0,
    "satisfaction_result_rate": 0.8571,
    "livelihood_proposals": 5,
    "livelihood_share": 0.625,
    "members_submitting_rate": 0.5986,
    "by_category": [{"label": "社会事业", "value": 5}, {"label": "经济建设", "value": 3}],
    "by_submitter_type": [{"label": "委员", "value": 6}, {"label": "党派团体", "value": 2}],
    "by_main_unit": [{"label": "县教育局", "value": 3}, {"label": "县卫健局", "value": 5}],
    "outstanding_proposals": 0,
    "outstanding_units": 0,
    "opinions_received": 62,
    "opinions_used": 40,
    "bulletin_issues": 24,
    "bulletin_items": 62,
    "opinions_forwarded": 15,
    "opinions_adopted_city": 9,
    "opinions_adopted_province": 3,
    "opinions_adopted_national": 0,
    "instructions_by_level": {"county": 12, "city": 2},
    "plenary_meetings": 1,
    "standing_meetings": 4,
    "chairs_meetings": 10,
    "special_committee_meetings": 0,
    "attendance_rate": 0.9524,
    "attendance_rate_by_category": {
        "plenary": 0.98,
        "standing": 0.9,
        "chairs": 1.0,
        "special_committee": None,
        "other": None,
    },
    "members_added": 3,
    "members_resigned": 1,
    "standing_members_added": 0,
    "standing_members_resigned": 0,
    "inspections": 4,
    "research_activities": 5,
    "research_reports": 3,
}


def make_report(values=None, present=None, period=None):
    """A report as ``figures.committee_report`` returns it: every catalogue figure, None for
    the absent areas (here consultations and the areas without values)."""
    values = {**VALUES, **(values or {})}
    present = {code: code in values_areas(values) for code in AREAS} | (present or {})
    full = {f.name: (values.get(f.name) if present[f.area] else None) for f in CATALOGUE}
    return Report(
        committee=COMMITTEE,
        period=period or Period(year=2026),
        aggregate=False,
        committees=[COMMITTEE],
        values=full,
        present=present,
    )


def values_areas(values):
    return {BY_NAME[name].area for name, v in values.items() if name in BY_NAME}


def paragraphs(draft):
    return [text for section in draft.sections for text in section.paragraphs]


def test_the_annual_draft_states_the_figures_in_report_prose():
    draft = draft_content(make_report(), "annual")

    assert draft.title == "政协示范县委员会常务委员会工作报告(统计数据部分)"
    assert [s.heading for s in draft.sections] == [
        "一、提案工作",
        "二、社情民意信息工作",
        "三、会议与委员队伍",
        "四、视察调研",
    ]
    assert paragraphs(draft) == [
        "全年共收到提案10件,经审查立案8件,立案率80.0%,确定重点提案2件。"
        "民生类提案5件,占立案总数62.5%。从类别看,社会事业5件、经济建设3件。",
        "承办单位已答复提案7件,答复率87.5%,其中A类4件、B类2件、C类1件。"
        "所提意见建议被采纳或部分采纳的6件,采纳率75.0%。"
        "提案者对办理工作的评价中,办理态度满意率100.0%,办理结果满意率85.7%。",
        "全年共收到社情民意信息62篇,本级采用40篇。共编发《政协社情民意》24期,刊发信息62篇。"
        "向上级政协报送信息15篇次,被市级采用9篇、省级采用3篇。"
        "获得领导批示:县级12件次、市级2件次。",
        "全年召开全体会议1次、常委会议4次、主席会议10次,委员出席率95.2%。"
        "其中全体会议出席率98.0%、常委会议出席率90.0%、主席会议出席率100.0%。",
        "委员队伍方面,增补委员3名,辞去或撤销委员1名。",
        "全年开展视察4次、调研5次,形成调研报告3篇。",
    ]


def test_the_proposal_work_draft_has_the_detailed_sections():
    draft = draft_content(make_report(), "proposals")

    assert draft.title == "政协示范县委员会关于提案工作情况的报告(统计数据部分)"
    assert [s.heading for s in draft.sections] == [
        "一、提案提交和立案情况",
        "二、提案内容分布",
        "三、提案办理情况",
    ]
    assert draft.sections[0].paragraphs == [
        "全年共收到提案10件,经审查立案8件,立案率80.0%,确定重点提案2件。"
        "未立案的提案中,并案处理1件,转为意见建议1件。"
    ]
    assert draft.sections[1].paragraphs == [
        "民生类提案5件,占立案总数62.5%。从类别看,社会事业5件、经济建设3件。"
        "从提案者看,委员提案6件、党派团体提案2件,在任委员提交或联名提案的比例为59.9%。"
    ]
    assert (
        draft.sections[2]
        .paragraphs[0]
        .startswith("交办承办单位办理的提案中,县教育局3件、县卫健局5件。承办单位已答复提案7件")
    )
    assert all("社情民意信息62" not in text for text in paragraphs(draft))


def test_a_session_and_a_term_open_the_paragraphs_with_their_names():
    session = Period(session=SimpleNamespace(name="十届五次会议"))
    term = Period(term=SimpleNamespace(name="第十届"))

    by_session = draft_content(make_report(period=session), "annual")
    by_term = draft_content(make_report(period=term), "term")

    assert paragraphs(by_session)[0].startswith("十届五次会议以来,共收到提案10件,经审查立案8件")
    assert paragraphs(by_term)[0].startswith("第十届任期内,共收到提案10件")
    assert by_term.title == "政协示范县委员会常务委员会届内工作报告(统计数据部分)"
    assert by_term.appendix[0].period == "第十届"


def test_an_absent_area_has_no_paragraph_and_no_zero():
    report = make_report(present={"opinions": False, "meetings": False, "activities": False})

    text = draft_markdown(report, "annual")

    assert "社情民意" not in text
    assert "会议" not in text
    assert "视察" not in text
    assert "协商" not in text  # never built
    body = text.split("## 附录")[0]
    assert re.findall(r"(?<![\d.])0(?:件|篇|次|期|个|名)", body) == []
    assert "全年共收到提案10件" in body


def test_a_figure_that_is_none_is_left_out_of_its_sentence():
    report = make_report(
        {"key_proposals": None, "registration_rate": None, "attendance_rate": None}
    )

    texts = paragraphs(draft_content(report, "annual"))

    assert texts[0].startswith("全年共收到提案10件,经审查立案8件。民生类提案5件")
    assert texts[3].startswith("全年召开全体会议1次、常委会议4次、主席会议10次。")
    names = [row.name for row in draft_content(report, "annual").appendix]
    assert "key_proposals" not in names and "registration_rate" not in names


def test_the_headline_counts_are_stated_even_when_zero():
    report = make_report(
        {
            **{name: 0 for name in VALUES if BY_NAME[name].area == "proposals"},
            "by_category": [],
            "by_submitter_type": [],
            "by_main_unit": [],
            "registration_rate": None,
            "reply_rate": None,
            "adoption_rate": None,
            "livelihood_share": None,
            "satisfaction_attitude_rate": None,
            "satisfaction_result_rate": None,
            "members_submitting_rate": None,
        }
    )

    assert paragraphs(draft_content(report, "annual"))[0] == "全年共收到提案0件,经审查立案0件。"


def test_the_appendix_ties_every_stated_figure_to_its_definition_and_period():
    report = make_report()
    draft = draft_content(report, "annual")
    rows = {row.name: row for row in draft.appendix}

    assert rows["registration_rate"].value == "80.0%"
    assert rows["registration_rate"].definition == "立案数 / 收到提案数"
    assert rows["registration_rate"].label == "立案率"
    assert rows["registration_rate"].period == "2026年"
    assert rows["by_category"].value == "社会事业 5;经济建设 3"
    assert rows["attendance_rate_by_category"].value == (
        "全体会议 98.0%;常委会议 90.0%;主席会议 100.0%"
    )
    assert rows["instructions_by_level"].value == "县级 12;市级 2"
    assert "outstanding_proposals" not in rows  # 0: not stated
    assert "proposals_to_public_opinion" not in rows
    md = draft_markdown(report, "annual")
    assert "| 立案率 | registration\\_rate | 80.0% | 立案数 / 收到提案数 | 2026年 |" in md
    for row in draft.appendix:
        assert str(BY_NAME[row.name].definition) in md


NUMBER = re.compile(r"\d+(?:\.\d+)?%?")


def docx_text(content):
    document = docx.Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        lines += [cell.text for row in table.rows for cell in row.cells]
    return document, "\n".join(lines)


@pytest.mark.parametrize("kind", ["annual", "term", "proposals"])
def test_the_markdown_and_the_word_draft_state_the_same_numbers(kind):
    report = make_report()

    md = draft_markdown(report, kind)
    document, text = docx_text(draft_docx(report, kind))

    assert sorted(NUMBER.findall(md)) == sorted(NUMBER.findall(text))
    assert "立案率80.0%" in md and "立案率80.0%" in text
    assert "办理结果满意率85.7%" in md and "办理结果满意率85.7%" in text


def test_the_word_draft_carries_the_charts():
    document, _text = docx_text(draft_docx(make_report(), "annual"))

    # proposals by category, reply categories, attendance by kind of meeting
    assert len(document.inline_shapes) == 3
    assert document.paragraphs[0].runs[0].font.name == "方正小标宋简体"


def test_the_word_draft_has_no_chart_without_breakdowns():
    report = make_report(
        {"by_category": [], "replies_a": 0, "replies_b": 0, "replies_c": 0},
        present={"meetings": False},
    )

    document, _text = docx_text(draft_docx(report, "annual"))

    assert len(document.inline_shapes) == 0


def test_the_charts_are_png_images():
    from zhengxie.reports import charts

    image = charts.bar_chart([("社会事业", 5), ("经济建设", 3)], title="立案提案按类别")
    pie = charts.pie_chart([("A类", 4), ("B类", 0)], title="答复类别")

    assert image.startswith(b"\x89PNG") and pie.startswith(b"\x89PNG")
    assert charts.bar_chart([("A", 0)], title="x") is None
    assert charts.chinese_font() is not None  # Debian's fonts-noto-cjk is installed


# The page ----------------------------------------------------------------------------------------


@pytest.fixture
def staff(committee):
    return user_with_role(committee, Role.STAFF)


def test_the_page_shows_the_draft_for_staff(client, committee, staff):
    client.force_login(staff)

    response = client.get(reverse("reports:drafts"), {"year": 2026})

    assert response.status_code == 200
    draft = response.context["draft"]
    assert draft.kind == "annual"
    assert paragraphs(draft)[0] == "全年共收到提案0件,经审查立案0件。"
    assert response.context["period_query"] == "year=2026"
    content = response.content.decode()
    assert "全年共收到提案0件,经审查立案0件。" in content
    assert "?kind=annual&amp;format=docx&amp;year=2026" in content


def test_the_page_keeps_the_kind_in_its_path(client, committee, staff):
    client.force_login(staff)
    with_scope_term = TermFactory(committee=committee)
    session = SessionFactory(term=with_scope_term, committee=committee, name="十届一次会议")

    response = client.get(
        reverse("reports:drafts_kind", args=["proposals"]), {"session": session.pk}
    )

    assert response.status_code == 200
    assert response.context["kind"] == "proposals"
    assert (
        response.context["draft"]
        .sections[0]
        .paragraphs[0]
        .startswith("十届一次会议以来,共收到提案0件")
    )


def test_a_member_cannot_open_the_page(client, committee):
    client.force_login(user_with_role(committee, Role.MEMBER))

    assert client.get(reverse("reports:drafts")).status_code == 403
    url = reverse("reports:draft_download")
    assert client.get(url, {"kind": "annual", "format": "md"}).status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "年度应为四位数字。"),
        ({"year": 2026, "term": 1}, "请只选择一个统计期间:会议、年度或届。"),
        ({"session": 999999}, "所选会议或届次不存在。"),
        ({"kind": "weekly"}, "报告类型无效。"),
    ],
)
def test_a_bad_period_or_kind_is_refused(client, committee, staff, query, message):
    client.force_login(staff)

    response = client.get(reverse("reports:drafts"), query)

    assert response.status_code == 400
    assert response.context["errors"] == [message]
    assert "draft" not in response.context


def test_a_session_of_another_committee_is_not_found(client, committee, other_committee, staff):
    client.force_login(staff)
    foreign = SessionFactory(term=TermFactory(committee=other_committee))

    response = client.get(reverse("reports:drafts"), {"session": foreign.pk})

    assert response.status_code == 400
    assert response.context["errors"] == ["所选会议或届次不存在。"]


def test_the_drafts_download_as_markdown_and_word(client, committee, staff):
    client.force_login(staff)
    url = reverse("reports:draft_download")

    md = client.get(url, {"kind": "proposals", "format": "md", "year": 2026})
    word = client.get(url, {"kind": "annual", "format": "docx", "year": 2026})

    assert md.status_code == 200
    assert md["Content-Type"] == "text/markdown; charset=utf-8"
    assert "attachment" in md["Content-Disposition"]
    assert md.content.decode().startswith("# ")
    assert "全年共收到提案0件,经审查立案0件。" in md.content.decode()
    assert word.status_code == 200
    assert word["Content-Type"] == DOCX
    _document, text = docx_text(word.content)
    assert "全年共收到提案0件,经审查立案0件。" in text
    assert AuditEntry.objects.filter(object_type="reports.Draft").count() == 2


def test_a_bad_download_format_is_refused(client, committee, staff):
    client.force_login(staff)

    response = client.get(reverse("reports:draft_download"), {"format": "pdf", "year": 2026})

    assert response.status_code == 400
    assert response.content.decode() == "下载格式无效,应为 md 或 docx。"


def test_a_draft_from_records_states_the_figures_service_numbers(committee, committee_scope):
    from tests.factories import ProposalCategoryFactory, ProposalFactory
    from zhengxie.proposals.models import ProposalState
    from zhengxie.reports.figures import committee_report

    session = SessionFactory(term=TermFactory(committee=committee), name="十届一次会议")
    education = ProposalCategoryFactory(committee=committee, name="教育")
    for state in [ProposalState.REGISTERED] * 3 + [ProposalState.NOT_REGISTERED]:
        ProposalFactory(committee=committee, session=session, state=state, category=education)

    report = committee_report(committee=committee, session=session.pk)
    texts = paragraphs(draft_content(report, "annual"))
    document, text = docx_text(draft_docx(report, "annual"))

    assert report.rate_text("registration_rate") == "75.0%"
    assert texts[0] == (
        "十届一次会议以来,共收到提案4件,经审查立案3件,立案率75.0%。从类别看,教育3件。"
    )
    assert texts[0] in text
    assert len(document.inline_shapes) == 1  # proposals by category


def test_a_term_report_counts_the_current_term_by_default(client, committee, staff):
    client.force_login(staff)
    TermFactory(committee=committee, number=9, name="第九届", starts_on=datetime.date(2017, 1, 5))
    current = TermFactory(committee=committee, number=10, name="第十届")

    response = client.get(reverse("reports:drafts_kind", args=["term"]))

    assert response.status_code == 200
    assert response.context["period"].term == current
    assert response.context["period_query"] == f"term={current.pk}"
    assert paragraphs(response.context["draft"])[0].startswith("第十届任期内,共收到提案0件")


def test_study_archives_and_publicity_have_their_own_paragraphs():
    report = make_report(
        {
            "study_sessions": 6,
            "training_materials": 670,
            "archive_volumes": 1,
            "archive_words": 125000,
            "archive_images": 320,
            "periodical_issues": 4,
            "media_news_items": 23,
            "higher_media_reports": 7,
            "portal_news_items": 8,
        }
    )

    text = draft_markdown(report, "annual")

    assert "举办集体学习6次,发放培训资料670册。" in text
    assert "出版文史资料1辑,征集文史资料文字125000字,图片320幅,编印会刊4期。" in text
    assert "县、市媒体刊播本会新闻23条,省级以上媒体报道7篇,门户网站发布新闻8条。" in text
    headings = re.findall(r"^## \S+、(\S+)$", text, flags=re.M)
    assert headings[-3:] == ["学习培训", "文史资料", "宣传报道"]
