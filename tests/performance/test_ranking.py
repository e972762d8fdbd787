"""Rankings and scores that explain themselves: exact order with shared ranks, grouping,
commendation candidates and below-pass flags, rank bands, the .xlsx export, a constant number of
queries, and the score page (own only for members; ``?version`` re-scores)."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import (
    MemberGroupFactory,
    MembershipFactory,
    PersonFactory,
    SectorFactory,
    TermFactory,
    user_with_role,
)
from zhengxie.core.ledger import record_duty
from zhengxie.core.models import AuditEntry, Role
from zhengxie.performance import queries, tables
from zhengxie.performance.models import PointTable

YEAR = 2026
DAY = datetime.date(YEAR, 3, 10)
pytestmark = pytest.mark.usefixtures("unscoped")


def rules(inspection_points):
    rows = [
        ("attendance", "plenary.attended", "", "出席全体会议", "50", "time", None, "full", None),
        ("inspection", "", "", "参加视察", inspection_points, "time", None, "full", None),
        ("speech", "oral", "", "大会口头发言", "5", "item", "5", "full", None),
    ]
    return {
        "pass_mark": "60",
        "commendation_threshold": "85",
        "commendation_share": 30,
        "rules": [dict(zip(tables.RULE_FIELDS, r, strict=True)) for r in rows],
        "exit_rules": [],
    }


def duty(membership, kind, sub_kind="", times=1, **extra):
    for _ in range(times):
        record_duty(membership=membership, kind=kind, sub_kind=sub_kind, occurred_on=DAY, **extra)


@pytest.fixture
def world(committee):
    """Five ranked members (A 100, B 90, C 90, D 80, E 0 with version 1; version 2 pays 5 for
    an inspection instead of 10: A 100, B 70, C 70, D 65, E 0), one resigned and one of an
    earlier term."""
    admin = user_with_role(committee, Role.ADMIN)
    table = PointTable.objects.create(committee=committee, year=YEAR)
    v1 = tables.table_save(actor=admin, table=table, contents=rules("10"), note="一")
    v2 = tables.table_save(actor=admin, table=table, contents=rules("5"), note="二")
    term = TermFactory(committee=committee)
    old_term = TermFactory(committee=committee, number=9, starts_on=datetime.date(2017, 1, 10))
    s1 = SectorFactory(committee=committee, name="界别一")
    s2 = SectorFactory(committee=committee, name="界别二")
    g1 = MemberGroupFactory(committee=committee, name="第一小组")
    member_user = user_with_role(committee, Role.MEMBER)

    def seat(name, sector, group=None, **extra):
        extra.setdefault("term", term)
        person = PersonFactory(committee=committee, name=name, user=extra.pop("user", None))
        return MembershipFactory(
            committee=committee, person=person, sector=sector, group=group, **extra
        )

    a = seat("委员A", s1, g1, user=member_user)
    b = seat("委员B", s2, g1)
    c = seat("委员C", s1)
    d = seat("委员D", s2)
    e = seat("委员E", s1)
    f = seat("委员F", s2, status="resigned")
    g = seat("委员G", s2, term=old_term)
    duty(a, "attendance", "plenary.attended", times=2)
    for m in (b, c):
        duty(m, "attendance", "plenary.attended")
        duty(m, "inspection", times=4)
    duty(d, "attendance", "plenary.attended")
    duty(d, "inspection", times=3)
    duty(f, "attendance", "plenary.attended")
    duty(g, "attendance", "plenary.attended", times=3)
    return {
        **dict(zip("abcdefg", (a, b, c, d, e, f, g), strict=True)),
        "v1": v1,
        "v2": v2,
        "member_user": member_user,
        "s1": s1,
        "term": term,
    }


def shown(rows):
    return [(r.membership.person.name, r.score, r.rank, r.candidate, r.below_pass) for r in rows]


def test_the_ranking_shares_ranks_and_flags_candidates_and_low_scores(committee, world):
    rows = queries.ranking(committee=committee, year=YEAR, version=world["v1"])
    # 5 ranked, share 30 % → quota ⌈1.5⌉ = 2: A, and B and C tied at rank 2, all ≥ 85.
    assert shown(rows) == [
        ("委员A", D("100.00"), 1, True, False),
        ("委员B", D("90.00"), 2, True, False),
        ("委员C", D("90.00"), 2, True, False),
        ("委员D", D("80.00"), 4, False, False),
        ("委员E", D("0.00"), 5, False, True),
    ]
    assert [
        r.membership.person.name
        for r in queries.commendation_candidates(
            committee=committee, year=YEAR, version=world["v1"]
        )
    ] == ["委员A", "委员B", "委员C"]


def test_the_latest_version_is_used_by_default(committee, world):
    rows = queries.ranking(committee=committee, year=YEAR)
    # quota 2: A (100) and B, C (70, rank 2) but B and C are below the threshold 85.
    assert shown(rows) == [
        ("委员A", D("100.00"), 1, True, False),
        ("委员B", D("70.00"), 2, False, False),
        ("委员C", D("70.00"), 2, False, False),
        ("委员D", D("65.00"), 4, False, False),
        ("委员E", D("0.00"), 5, False, True),
    ]


def test_grouping_by_sector_ranks_within_each_sector(committee, world):
    rows = queries.ranking(committee=committee, year=YEAR, version=world["v1"], by="sector")
    assert [(r.group_label, r.membership.person.name, r.rank, r.group_rank) for r in rows] == [
        ("界别一", "委员A", 1, 1),
        ("界别一", "委员C", 2, 2),
        ("界别一", "委员E", 5, 3),
        ("界别二", "委员B", 2, 1),
        ("界别二", "委员D", 4, 2),
    ]


def test_grouping_by_group_puts_the_ungrouped_last(committee, world):
    rows = queries.ranking(committee=committee, year=YEAR, version=world["v1"], by="group")
    assert [(r.group_label, r.membership.person.name, r.group_rank) for r in rows] == [
        ("第一小组", "委员A", 1),
        ("第一小组", "委员B", 2),
        ("未分组", "委员C", 1),
        ("未分组", "委员D", 2),
        ("未分组", "委员E", 3),
    ]


def test_rank_bands(committee, world):
    band = {
        k: queries.rank_band(committee=committee, year=YEAR, membership=world[k]) for k in "abcdef"
    }
    # Latest version: A 100, B 70, C 70, D 65, E 0 → ⌈0.5⌉ = 1, ⌈1.5⌉ = 2, bottom: rank > 3.
    # F (resigned, 50) is placed among the five: rank 5 of 6 → bottom (rank > 6 − 2).
    assert band == {
        "a": "前10%",
        "b": "前30%",
        "c": "前30%",
        "d": "后30%",
        "e": "后30%",
        "f": "后30%",
    }
    assert [queries.band_of(r, 10) for r in range(1, 11)] == [
        "前10%", "前30%", "前30%", "中间", "中间", "中间", "中间", "后30%", "后30%", "后30%",
    ]  # fmt: skip


def test_the_ranking_page_shows_flags_and_groups(committee, world, login, staff_user):
    client = login(staff_user)
    response = client.get(reverse("performance:ranking"), {"year": YEAR, "version": 1})
    assert response.status_code == 200
    assert shown(response.context["rows"])[1] == ("委员B", D("90.00"), 2, True, False)
    html = response.content.decode()
    assert html.count("优秀委员候选人</span>") == 3
    assert html.count("低于合格分</span>") == 1
    grouped = client.get(reverse("performance:ranking"), {"year": YEAR, "by": "group"})
    assert [r.group_label for r in grouped.context["rows"]][:2] == ["第一小组", "第一小组"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.UNIT])
def test_members_do_not_see_the_ranking(committee, login, role):
    client = login(user_with_role(committee, role))
    assert client.get(reverse("performance:ranking")).status_code == 403
    assert client.get(reverse("performance:ranking_export")).status_code == 403


def test_the_ranking_exports_as_xlsx(committee, world, login, staff_user):
    client = login(staff_user)
    response = client.get(reverse("performance:ranking_export"), {"year": YEAR, "version": 1})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["名次", "姓名", "界别", "活动小组", "年度积分", "优秀委员候选人", "低于合格分"],
        [1, "委员A", "界别一", "第一小组", 100, "是", None],
        [2, "委员B", "界别二", "第一小组", 90, "是", None],
        [2, "委员C", "界别一", None, 90, "是", None],
        [4, "委员D", "界别二", None, 80, None, None],
        [5, "委员E", "界别一", None, 0, None, "是"],
    ]
    entry = AuditEntry.objects.get(action="export")
    assert entry.after == {"year": YEAR, "version": 1, "by": "", "rows": 5}


# Session, user, role, notifications, permissions (6) + table, version check, version, term,
# members, rules, grouped ledger scores, version numbers (8) + the user's roles for the menu.
QUERIES = 15


def test_the_ranking_page_queries_do_not_grow_with_members(
    committee, world, login, staff_user, django_assert_max_num_queries
):
    client = login(staff_user)
    url = reverse("performance:ranking")
    client.get(url, {"year": YEAR})  # warm the session and content types
    for _ in range(20):
        m = MembershipFactory(committee=committee, term=world["term"], sector=world["s1"])
        duty(m, "inspection", times=2)
    with django_assert_max_num_queries(QUERIES):
        response = client.get(url, {"year": YEAR, "by": "sector"})
    assert len(response.context["rows"]) == 25


# The score page -------------------------------------------------------------------------------


def test_a_member_reads_their_own_score_and_another_version(committee, world, login):
    client = login(world["member_user"])
    url = reverse("performance:score", args=[world["b"].pk, YEAR])
    assert client.get(url).status_code == 404  # another member's
    own = reverse("performance:score", args=[world["a"].pk, YEAR])
    response = client.get(own)
    assert response.status_code == 200
    assert response.context["breakdown"].total == D("100.00")


def test_version_re_scores(committee, world, login, staff_user):
    client = login(staff_user)
    url = reverse("performance:score", args=[world["b"].pk, YEAR])
    latest = client.get(url)
    old = client.get(url, {"version": 1})
    assert (latest.context["breakdown"].total, old.context["breakdown"].total) == (
        D("70.00"),
        D("90.00"),
    )
    assert [
        (s["rule"].label, s["count"], s["points"]) for s in old.context["breakdown"].subtotals
    ] == [
        ("出席全体会议", 1, D("50")),
        ("参加视察", 4, D("40.00")),
    ]
    assert client.get(url, {"version": 9}).status_code == 404


def test_a_cap_shows_on_the_score_page(committee, world, login, staff_user):
    duty(world["c"], "speech", "oral", times=2)
    client = login(staff_user)
    response = client.get(reverse("performance:score", args=[world["c"].pk, YEAR]))
    html = response.content.decode()
    assert response.context["breakdown"].total == D("75.00")  # 50 + 4 × 5 + 5 (cap 5)
    assert "封顶</span>" in html
    assert "已达本项年度上限 5.00 分" in html


def test_a_chair_reads_any_score_and_a_unit_none(committee, world, login):
    url = reverse("performance:score", args=[world["b"].pk, YEAR])
    assert login(user_with_role(committee, Role.CHAIR)).get(url).status_code == 200
    assert login(user_with_role(committee, Role.UNIT)).get(url).status_code == 403


def test_records_link_to_their_source_when_it_has_a_page(
    committee, world, login, staff_user, monkeypatch
):
    from zhengxie.organisation.models import Membership

    duty(world["e"], "speech", "oral", source=world["b"], title="关于乡村振兴的发言")
    client = login(staff_user)
    url = reverse("performance:score", args=[world["e"].pk, YEAR])
    assert [i["url"] for i in client.get(url).context["lines"]] == [""]
    monkeypatch.setattr(
        Membership, "get_absolute_url", lambda self: f"/members/{self.pk}/", raising=False
    )
    response = client.get(url)
    assert [i["url"] for i in response.context["lines"]] == [f"/members/{world['b'].pk}/"]
    assert (
        f'<a href="/members/{world["b"].pk}/">关于乡村振兴的发言</a>' in response.content.decode()
    )
