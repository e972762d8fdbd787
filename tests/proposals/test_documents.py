"""Word documents: the assignment letter (交办函) a unit downloads and the compilation
(提案汇编)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from docx import Document

from tests.factories import (
    AssignmentFactory,
    CommitteeFactory,
    HandlingUnitFactory,
    ProposalFactory,
    ReplyFactory,
    SessionFactory,
    user_with_role,
)
from zhengxie.core.models import AuditEntry, Role
from zhengxie.proposals.models import (
    AssignmentRole,
    AssignmentState,
    CoSigner,
    ProposalState,
    SignatureState,
    SubmitterType,
)


def _texts(content):
    document = Document(io.BytesIO(content))
    return [p.text for p in document.paragraphs]


def _table(content):
    document = Document(io.BytesIO(content))
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]


def _date(day):
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture
def letters(county):
    """Unit 0 handles proposal 1 alone and leads proposal 2; unit 1 is co-unit on proposal 2."""
    c, s = county.committee, county.session
    (_u0, unit0), (_u1, unit1), (_u2, unit2) = county.units
    p1 = ProposalFactory(
        committee=c,
        session=s,
        lead=county.members[0][1],
        number=1,
        title="关于推进城乡义务教育优质均衡发展的建议",
        state=ProposalState.ASSIGNED,
    )
    p2 = ProposalFactory(
        committee=c,
        session=s,
        submitter_type=SubmitterType.PARTY_GROUP,
        lead=None,
        submitting_body="民盟县委会",
        number=2,
        title="关于加快县域医共体建设的建议",
        state=ProposalState.ASSIGNED,
    )
    a1 = AssignmentFactory(
        proposal=p1, unit=unit0, role=AssignmentRole.SINGLE, deadline=datetime.date(2026, 6, 15)
    )
    a2 = AssignmentFactory(
        proposal=p2, unit=unit0, role=AssignmentRole.MAIN, deadline=datetime.date(2026, 6, 16)
    )
    AssignmentFactory(
        proposal=p2, unit=unit1, role=AssignmentRole.CO, deadline=datetime.date(2026, 6, 16)
    )
    # A case unit 0 sent back is not in its letter.
    p3 = ProposalFactory(
        committee=c,
        session=s,
        lead=county.members[2][1],
        number=3,
        title="关于改善农村道路交通的建议",
        state=ProposalState.ASSIGNED,
    )
    AssignmentFactory(proposal=p3, unit=unit0, state=AssignmentState.RETURNED)
    return {"p1": p1, "p2": p2, "p3": p3, "a1": a1, "a2": a2, "unit0": unit0, "unit1": unit1}


def _letter_url(unit, session=None):
    url = reverse("proposals:assignment_letter", args=[unit.pk])
    return f"{url}?session={session.pk}" if session is not None else url


def test_the_letter_lists_the_units_proposals_with_numbers_roles_and_deadlines(
    county, letters, login
):
    response = login(county.staff).get(_letter_url(letters["unit0"], county.session))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert _table(response.content) == [
        ["序号", "案号", "案由", "提案者", "办理方式", "答复期限"],
        [
            "1",
            "十届五次会议第001号",
            "关于推进城乡义务教育优质均衡发展的建议",
            "李明",
            "单办",
            "2026年6月15日",
        ],
        [
            "2",
            "十届五次会议第002号",
            "关于加快县域医共体建设的建议",
            "民盟县委会",
            "主办",
            "2026年6月16日",
        ],
    ]
    texts = _texts(response.content)
    assert texts[:4] == [
        county.committee.name,
        "提案交办函",
        "县教育局:",
        "经政协提案委员会审查立案,现将十届五次会议提案共2件交由你单位办理(见下表),请按以下要求认真办理。",
    ]
    assert texts[4].startswith("一、办理期限。请自交办之日起3个月内办结")
    assert (
        texts[6] == "三、答复类别。答复函须注明答复类别:"
        "A类:已解决或采纳;B类:列入计划逐步解决;C类:因条件限制留作参考。"
    )
    assert texts[7].startswith("四、退回。认为不属于本单位职责的,请于交办之日起5个工作日内")
    assert texts[-2:] == [f"{county.committee.name}提案委员会", _date(timezone.localdate())]
    audit = AuditEntry.objects.get(action="export")
    assert (audit.object_id, audit.note) == (str(letters["unit0"].pk), "下载交办函(2件)")


def test_the_letter_names_an_east_asian_font_so_word_renders_chinese(county, letters, login):
    response = login(county.staff).get(_letter_url(letters["unit0"], county.session))
    document = Document(io.BytesIO(response.content))
    run = document.paragraphs[2].runs[0]
    fonts = run._element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == (
        "仿宋"
    )


def test_a_unit_downloads_its_own_letter_with_its_open_cases(county, letters, login):
    unit_user, unit1 = county.units[1]
    response = login(unit_user).get(_letter_url(unit1))
    assert response.status_code == 200
    assert _table(response.content)[1:] == [
        [
            "1",
            "十届五次会议第002号",
            "关于加快县域医共体建设的建议",
            "民盟县委会",
            "会办",
            "2026年6月16日",
        ]
    ]


def test_a_unit_cannot_download_another_units_letter(county, letters, login):
    unit_user, _unit1 = county.units[1]
    response = login(unit_user).get(_letter_url(letters["unit0"]))
    assert response.status_code == 404
    assert AuditEntry.objects.filter(action="export").count() == 0


def test_a_member_may_not_download_a_letter(county, letters, login):
    response = login(county.members[0][0]).get(_letter_url(letters["unit0"]))
    assert response.status_code == 403


def test_another_committees_unit_answers_404(county, letters, login):
    other = CommitteeFactory()
    with scope(committee=other):
        foreign_unit = HandlingUnitFactory(committee=other)
    response = login(county.staff).get(_letter_url(foreign_unit))
    assert response.status_code == 404


# 提案汇编 ------------------------------------------------------------------------------------


@pytest.fixture
def compiled(county, letters):
    """Proposal 1 answered B, corrected to A; proposal 2 registered, not answered yet; one
    not-registered proposal and one of another session that must stay out."""
    c, s = county.committee, county.session
    CoSigner.objects.create(
        committee=c,
        proposal=letters["p1"],
        membership=county.members[1][1],
        order=2,
        state=SignatureState.CONFIRMED,
    )
    CoSigner.objects.create(
        committee=c, proposal=letters["p1"], membership=county.members[2][1], order=3
    )
    letters["p1"].category = county.category
    letters["p1"].save(update_fields=["category"])
    ReplyFactory(
        assignment=letters["a1"],
        text="我局已将集团化办学列入年度重点工作。",
        category="B",
        corrected_category="A",
    )
    ProposalFactory(
        committee=c, session=s, title="不予立案的提案", state=ProposalState.NOT_REGISTERED
    )
    earlier = SessionFactory(committee=c, term=county.term, number=4, name="十届四次会议")
    ProposalFactory(
        committee=c, session=earlier, number=9, title="上次会议的提案", state=ProposalState.CLOSED
    )
    return letters


def test_the_compilation_holds_registered_proposals_and_final_replies(county, compiled, login):
    url = reverse("proposals:compilation") + f"?session={county.session.pk}"
    response = login(county.staff).get(url)
    assert response.status_code == 200
    p1, p2, p3 = compiled["p1"], compiled["p2"], compiled["p3"]
    assert _texts(response.content) == [
        county.committee.name,
        "十届五次会议提案汇编",
        "共3件",
        "十届五次会议第001号 关于推进城乡义务教育优质均衡发展的建议",
        "提案者:李明、王芳",
        "类别:教育",
        "情况与分析",
        p1.situation,
        "具体建议",
        p1.suggestions,
        "县教育局答复(单办,答复类别:A类(已解决或采纳))",
        "我局已将集团化办学列入年度重点工作。",
        "十届五次会议第002号 关于加快县域医共体建设的建议",
        "提案者:民盟县委会",
        "情况与分析",
        p2.situation,
        "具体建议",
        p2.suggestions,
        "十届五次会议第003号 关于改善农村道路交通的建议",
        "提案者:赵强",
        "情况与分析",
        p3.situation,
        "具体建议",
        p3.suggestions,
    ]
    audit = AuditEntry.objects.get(action="export")
    assert audit.note == "导出提案汇编(3件)"


def test_units_and_members_may_not_export_the_compilation(county, compiled, login):
    url = reverse("proposals:compilation") + f"?session={county.session.pk}"
    assert login(county.units[0][0]).get(url).status_code == 403
    assert login(county.members[0][0]).get(url).status_code == 403


def test_a_chair_may_export_the_compilation_by_year(county, compiled, login):
    chair = user_with_role(county.committee, Role.CHAIR)
    year = county.session.opens_on.year
    response = login(chair).get(reverse("proposals:compilation") + f"?year={year}")
    assert response.status_code == 200
    assert _texts(response.content)[1:3] == [f"{year}年度提案汇编", "共3件"]
