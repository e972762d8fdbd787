"""Scores for a fixed ledger equal a hand computation — caps, half-days, joint credit and
deductions — and a rule change re-scores without touching the ledger."""

import datetime
from decimal import Decimal as D

import pytest

from tests.factories import MembershipFactory, user_with_role
from zhengxie.core.ledger import correct_duty, record_duty
from zhengxie.core.models import DutyRecord, Role
from zhengxie.performance import scoring, tables
from zhengxie.performance.models import PointTable

DAY = datetime.date(2026, 3, 10)

RULES = [
    # kind, sub_kind, level, label, points, per, cap, split, secondary
    ("attendance", "plenary.attended", "", "出席全体会议", "50", "time", None, "full", None),
    ("attendance", "plenary.absent", "", "无故缺席全体会议", "-5", "time", "8", "full", None),
    ("reception", "", "", "值班", "1", "half_day", "5", "full", None),
    ("proposal", "registered", "", "提案立案", "15", "item", None, "role", "5"),
    ("research", "report", "", "调研报告", "10", "item", None, "divide", None),
    ("inspection", "", "", "视察", "3", "time", "6", "full", None),
    ("opinion", "used", "", "本级采用", "5", "item", None, "full", None),
    ("opinion", "used", "city", "市级采用", "10", "item", None, "full", None),
]


def contents(rules=RULES, pass_mark="60"):
    return {
        "pass_mark": pass_mark,
        "commendation_threshold": "100",
        "commendation_share": 10,
        "rules": [dict(zip(tables.RULE_FIELDS, row, strict=True)) for row in rules],
        "exit_rules": [],
    }


@pytest.fixture
def admin(committee):
    return user_with_role(committee, Role.ADMIN)


@pytest.fixture
def table(committee_scope, admin):
    table = PointTable.objects.create(committee=committee_scope, year=2026)
    tables.table_save(actor=admin, table=table, contents=contents(), note="测试规则")
    return table


def duty(membership, kind, sub_kind="", **extra):
    extra.setdefault("occurred_on", DAY)
    return record_duty(membership=membership, kind=kind, sub_kind=sub_kind, **extra)


@pytest.fixture
def ledger(committee_scope, table):
    a = MembershipFactory(committee=committee_scope)
    b = MembershipFactory(committee=committee_scope, term=a.term)
    duty(a, "attendance", "plenary.attended", half_days=D("5"))
    duty(a, "attendance", "plenary.absent", occurred_on=DAY.replace(month=6))
    duty(a, "attendance", "plenary.absent", occurred_on=DAY.replace(month=9))
    for half_days in ("2", "2", "3"):
        duty(a, "reception", half_days=D(half_days))
    duty(a, "proposal", "registered", role="lead", order=1, participants=2)
    duty(a, "proposal", "registered", role="co_signer", order=2, participants=2)
    duty(b, "proposal", "registered", role="lead", order=1, participants=2)
    duty(a, "research", "report", role="participant", participants=3)
    for _ in range(3):
        duty(a, "inspection")
    duty(a, "opinion", "used", level="county")
    duty(a, "opinion", "used", level="city")
    duty(a, "speech", "oral")  # no rule in this table: 0
    duty(b, "attendance", "plenary.attended", occurred_on=datetime.date(2025, 1, 12))
    return a, b


# A: 50 − 8 (cap on −10) + 5 (cap on 7 half-days) + 15 + 5 (co-signer) + 3.33 (10 / 3)
#    + 6 (cap on 9) + 5 (county rule) + 10 (city rule) = 91.33
# B: 15 (lead of a registered proposal); the 2025 plenary is another year.
HAND = {"a": D("91.33"), "b": D("15.00")}


def test_scores_equal_the_hand_computation(ledger, committee):
    a, b = ledger
    assert scoring.committee_scores(committee=committee, year=2026) == {
        a.pk: HAND["a"],
        b.pk: HAND["b"],
    }


def test_the_breakdown_explains_every_row_and_agrees_with_the_total(ledger):
    a, _b = ledger
    breakdown = scoring.member_breakdown(membership=a, year=2026)
    assert breakdown.total == HAND["a"]
    rows = [
        (line.record.kind, line.record.sub_kind, line.points, line.note) for line in breakdown.lines
    ]
    assert rows == [
        ("attendance", "plenary.attended", D("50"), ""),
        ("reception", "", D("2.0"), ""),
        ("reception", "", D("2.0"), ""),
        ("reception", "", D("1.0"), "已达本项年度上限 5.00 分"),
        ("proposal", "registered", D("15.00"), ""),
        ("proposal", "registered", D("5.00"), ""),
        ("research", "report", D("3.33"), ""),
        ("inspection", "", D("3.00"), ""),
        ("inspection", "", D("3.00"), ""),
        ("inspection", "", D("0.00"), "已达本项年度上限 6.00 分"),
        ("opinion", "used", D("5.00"), ""),
        ("opinion", "used", D("10.00"), ""),
        ("speech", "oral", D("0"), "无对应积分规则"),
        ("attendance", "plenary.absent", D("-5.00"), ""),
        ("attendance", "plenary.absent", D("-3.00"), "已达本项年度上限 8.00 分"),
    ]
    capped = {s["rule"].label for s in breakdown.subtotals if s["capped"]}
    assert capped == {"无故缺席全体会议", "值班", "视察"}


def test_a_correction_takes_the_points_back(ledger, committee):
    a, _b = ledger
    inspection = DutyRecord.objects.filter(membership=a, kind="inspection").first()
    correct_duty(record=inspection, actor=None)
    correct_duty(record=DutyRecord.objects.filter(membership=a, kind="inspection")[1], actor=None)
    # 3 − 2 inspections: 3 points instead of the capped 6.
    assert scoring.committee_scores(committee=committee, year=2026)[a.pk] == HAND["a"] - 3
    assert scoring.member_breakdown(membership=a, year=2026).total == HAND["a"] - 3


def test_a_rule_change_rescores_and_the_old_version_still_reproduces(
    ledger, committee, admin, table
):
    a, b = ledger
    first = table.versions.get(number=1)
    rows = [list(r) for r in RULES]
    rows[0][4] = "40"  # plenary attendance 50 → 40
    rows[3][8] = "3"  # co-signers of registered proposals 5 → 3
    second = tables.table_save(actor=admin, table=table, contents=contents(rows), note="调整分值")
    ledger_rows = DutyRecord.objects.count()
    assert scoring.committee_scores(committee=committee, year=2026) == {
        a.pk: HAND["a"] - 10 - 2,
        b.pk: HAND["b"],
    }
    assert (
        scoring.committee_scores(committee=committee, year=2026, version=first)[a.pk] == HAND["a"]
    )
    assert scoring.member_breakdown(membership=a, year=2026, version=second).total == D("79.33")
    assert DutyRecord.objects.count() == ledger_rows


def test_committees_are_each_scored_with_their_own_table(ledger, committee, other_committee):
    a, _b = ledger
    scores = scoring.scores_for_committees(committees=[committee, other_committee], year=2026)
    assert scores[a.pk] == HAND["a"]


def test_without_a_table_nothing_scores(committee_scope):
    member = MembershipFactory(committee=committee_scope)
    duty(member, "inspection")
    assert scoring.committee_scores(committee=committee_scope, year=2026) == {}
    assert scoring.member_breakdown(membership=member, year=2026).total == 0


def test_the_default_table_scores_a_year_of_duty(committee_scope):
    tables.table_ensure(committee=committee_scope, year=2026)
    member = MembershipFactory(committee=committee_scope)
    duty(member, "attendance", "plenary.attended", half_days=D("5"))
    duty(member, "attendance", "standing.absent")
    duty(member, "proposal", "registered", role="co_signer", order=2, participants=3)
    duty(member, "reception", half_days=D("2"))
    # 50 − 3 + 5 (co-signer of a registered proposal) + 2 (two half-days)
    assert scoring.member_breakdown(membership=member, year=2026).total == D("54.00")
