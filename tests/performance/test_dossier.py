"""The dossier (一届一人一档): exact content for a hand-built ledger, who may read it (a member
only their own; staff and chairs anyone, with the exact rank), the .docx, the staff list and the
duty report's draft prose."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from docx import Document

from tests.factories import MembershipFactory, PersonFactory, user_with_role
from zhengxie.core.ledger import correct_duty, record_duty
from zhengxie.core.models import AuditEntry, Role
from zhengxie.performance import dossier, tables
from zhengxie.performance.models import ExitFlag, PointTable

DAY = datetime.date(2026, 3, 10)
RULES = [
    ("attendance", "plenary.attended", "", "出席全体会议", "50", "time", None, "full", None),
    ("attendance", "standing.attended", "", "出席常委会议", "10", "time", None, "full", None),
    ("proposal", "submitted", "", "提交提案", "5", "item", None, "full", None),
    ("proposal", "registered", "", "提案立案", "15", "item", None, "role", "5"),
    ("opinion", "submitted", "", "报送信息", "2", "item", None, "full", None),
    ("opinion", "used", "", "本级采用", "5", "item", None, "full", None),
    ("inspection", "", "", "视察", "3", "time", None, "full", None),
    ("research", "participant", "", "参加调研", "3", "time", None, "full", None),
]
# 50 + 3×10 + 2×5 + 2×15 + 3×2 + 5 + 2×3 + 2×3 (leave has no rule) = 143
TOTAL = D("143.00")
DRAFT = (
    "本人2026年度认真履行委员职责:出席全体会议1次、常委会议3次,请假1次;"
    "提交提案2件,其中立案2件;报送社情民意信息3篇,被采用1篇;参加视察调研4次。"
    "全年履职积分143.00分。\n"
    "(以上为根据履职档案自动生成的初稿,请结合本人实际补充履职情况、体会和不足。)"
)


def table_contents():
    return {
        "pass_mark": "60",
        "commendation_threshold": "100",
        "commendation_share": 10,
        "rules": [dict(zip(tables.RULE_FIELDS, row, strict=True)) for row in RULES],
        "exit_rules": [],
    }


def member_with_user(committee, name, **extra):
    user = user_with_role(committee, Role.MEMBER)
    person = PersonFactory(committee=committee, user=user, name=name)
    membership = MembershipFactory(committee=committee, person=person, **extra)
    return membership, user


def duty(membership, kind, sub_kind="", times=1, **extra):
    extra.setdefault("occurred_on", DAY)
    return [
        record_duty(membership=membership, kind=kind, sub_kind=sub_kind, **extra)
        for _ in range(times)
    ]


@pytest.fixture
def world(committee_scope):
    """李明 (the hand-built ledger) and 王芳 (one plenary), both with logins, and a table."""
    committee = committee_scope
    admin = user_with_role(committee, Role.ADMIN)
    table = PointTable.objects.create(committee=committee, year=2026)
    tables.table_save(actor=admin, table=table, contents=table_contents(), note="测试")
    li, li_user = member_with_user(committee, "李明")
    wang, wang_user = member_with_user(committee, "王芳", term=li.term, sector=li.sector)
    duty(li, "attendance", "plenary.attended")
    duty(li, "attendance", "standing.attended", times=3)
    duty(li, "attendance", "standing.leave_approved")
    duty(li, "proposal", "submitted", times=2, role="lead")
    duty(li, "proposal", "registered", times=2, role="lead")
    duty(li, "opinion", "submitted", times=3)
    duty(li, "opinion", "used")
    duty(li, "inspection", times=2)
    wrong = duty(li, "inspection")[0]
    correct_duty(record=wrong, actor=admin)  # taken back: still two inspections
    duty(li, "research", "participant", times=2)
    duty(li, "opinion", "submitted", occurred_on=datetime.date(2025, 5, 1))
    duty(wang, "attendance", "plenary.attended")
    return {"li": li, "li_user": li_user, "wang": wang, "wang_user": wang_user, "admin": admin}


def test_the_dossier_holds_the_ledger_by_kind_with_points_and_band(world):
    li = world["li"]
    content = dossier.compose(membership=li, viewer=world["li_user"])
    assert [e.year for e in content.years] == [2022, 2023, 2024, 2025, 2026]
    year = content.years[-1]
    assert [(g.kind, g.count) for g in year.groups] == [
        ("attendance", 5),
        ("proposal", 4),
        ("opinion", 4),
        ("inspection", 2),
        ("research", 2),
    ]
    assert year.total == TOTAL
    assert year.band == "前10%"
    assert year.rank is None  # a member sees the band only
    assert content.flags is None
    last = content.years[-2]
    assert [(g.kind, g.count) for g in last.groups] == [("opinion", 1)]
    assert (last.total, last.band) == (D("0"), "")  # no point table for 2025


def test_staff_see_the_exact_rank_and_the_exit_flags(world, staff_user):
    ExitFlag.objects.create(
        committee=world["li"].committee,
        membership=world["wang"],
        rule_kind="absences",
        key="absences:plenary",
        description="连续两次无故缺席全体会议",
        raised_on=DAY,
    )
    content = dossier.compose(membership=world["wang"], viewer=staff_user)
    year = content.years[-1]
    assert (year.rank.rank, year.rank.of, year.band) == (2, 2, "后30%")
    assert [f.description for f in content.flags] == ["连续两次无故缺席全体会议"]


def test_the_draft_is_written_from_the_ledger_counts(world):
    assert dossier.draft_text(membership=world["li"], year=2026) == DRAFT


def test_a_year_without_records_says_so(world):
    text = dossier.draft_text(membership=world["wang"], year=2024)
    assert text.startswith(
        "本人2024年度认真履行委员职责。本年度平台暂无履职记录。全年履职积分0.00分。"
    )


def test_the_member_reads_their_own_dossier_page(world, login):
    client = login(world["li_user"])
    response = client.get(reverse("performance:my_dossier"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "李明" in html
    assert "data-band>前10%<" in html
    assert "data-rank" not in html
    assert "dossier-flags" not in html
    assert response.context["dossier"].years[-1].total == TOTAL


def test_a_member_cannot_read_another_members_dossier_nor_its_docx(world, login):
    client = login(world["li_user"])
    wang = world["wang"]
    assert client.get(reverse("performance:dossier", args=[wang.pk])).status_code == 404
    assert client.get(reverse("performance:dossier_docx", args=[wang.pk])).status_code == 404
    own = client.get(reverse("performance:dossier", args=[world["li"].pk]))
    assert own.status_code == 200


def test_staff_read_any_dossier_with_rank(world, staff_user, login):
    client = login(staff_user)
    response = client.get(reverse("performance:dossier", args=[world["li"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "第 1 名 / 2 人" in html
    assert reverse("performance:score", args=[world["li"].pk, 2026]) in html
    assert "dossier-flags" in html


def _docx_text(content):
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("|".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def test_the_docx_holds_the_name_and_the_counts(world, login):
    client = login(world["li_user"])
    response = client.get(reverse("performance:dossier_docx", args=[world["li"].pk]))
    assert response.status_code == 200
    text = _docx_text(response.content)
    assert "委员履职档案" in text
    assert "姓名|李明" in text
    assert "会议出席|5|" in text
    assert "提案|4|提交提案2、提案立案2" in text
    assert "履职积分:143.00分;排名区间:前10%" in text
    assert "排名:第" not in text
    assert AuditEntry.objects.filter(action="export", object_id=str(world["li"].pk)).count() == 1


def test_staff_docx_has_the_rank(world, staff_user, login):
    client = login(staff_user)
    response = client.get(reverse("performance:dossier_docx", args=[world["li"].pk]))
    assert response.status_code == 200
    assert "排名:第1名(共2人)" in _docx_text(response.content)


def test_a_chair_reads_dossiers_but_cannot_export(world, login):
    chair = user_with_role(world["li"].committee, Role.CHAIR)
    client = login(chair)
    assert client.get(reverse("performance:dossier", args=[world["li"].pk])).status_code == 200
    assert client.get(reverse("performance:dossier_docx", args=[world["li"].pk])).status_code == 404


def test_the_staff_list_shows_scores_and_filters(world, staff_user, login):
    client = login(staff_user)
    response = client.get(reverse("performance:dossiers"), {"year": 2026})
    assert response.status_code == 200
    rows = [(m.person.name, m.score) for m in response.context["page"].object_list]
    assert rows == [("李明", TOTAL), ("王芳", D("50.00"))]
    response = client.get(reverse("performance:dossiers"), {"year": 2026, "name": "王"})
    assert [m.person.name for m in response.context["page"].object_list] == ["王芳"]


def test_the_staff_list_query_count_is_pinned(
    world, staff_user, login, django_assert_max_num_queries
):
    li = world["li"]
    for _n in range(15):
        MembershipFactory(committee=li.committee, term=li.term, sector=li.sector)
    client = login(staff_user)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("performance:dossiers"), {"year": 2026})
    assert len(response.context["page"].object_list) == 17


def test_a_member_may_not_open_the_staff_list(world, login):
    client = login(world["li_user"])
    assert client.get(reverse("performance:dossiers")).status_code == 403


def test_a_member_without_a_seat_is_told(committee_scope, login):
    user = user_with_role(committee_scope, Role.MEMBER)
    response = login(user).get(reverse("performance:my_dossier"))
    assert response.status_code == 404
    assert "暂无履职档案" in response.content.decode()


def test_the_list_filters_by_sector_and_answers_htmx(world, staff_user, login):
    client = login(staff_user)
    response = client.get(
        reverse("performance:dossiers"),
        {"year": 2026, "sector": world["li"].sector_id},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="dossier-results">')
    assert "李明" in html and "143.00" in html
