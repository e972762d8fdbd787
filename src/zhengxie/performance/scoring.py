"""Points from the duty ledger × a point-table version. Nothing here writes.

A ledger row is scored by the most specific rule of the version that matches it — (kind,
sub_kind, level) before (kind, sub_kind), (kind, level) and (kind) — and earns:

- ``per`` item / time: the rule's points for each row (a correction row, weight −1, takes them
  back); half-day: points × the row's half-days;
- shared records (``split``): ``role`` gives the lead (ledger role lead, or no role) the points and
  everyone else ``secondary_points``; ``order`` does the same by the row's order (1 = first);
  ``divide`` splits the points by the row's number of participants (rounded to 0.01 per share);
- a rule's ``cap`` limits what it adds (or, for a deduction, takes) in a year.

``committee_scores`` aggregates in the database (one grouped query) and applies the rules to the
groups, so a provincial year of a million rows is scored in seconds; ``member_breakdown`` scores
one member row by row and shows where a cap bit. Both use ``row_points`` and the same caps, so
they always agree.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import Coalesce

from zhengxie.core.models import DutyRecord, DutyRole
from zhengxie.performance.models import Per, PointRule, PointTable, PointTableVersion, Split

CENT = Decimal("0.01")
HALF_DAYS = DecimalField(max_digits=12, decimal_places=1)
ZERO = Decimal("0")


@dataclass(frozen=True)
class Rule:
    pk: int
    kind: str
    sub_kind: str
    level: str
    label: str
    points: Decimal
    per: str
    cap: Decimal | None
    split: str
    secondary_points: Decimal | None

    @classmethod
    def of(cls, row: PointRule):
        return cls(
            pk=row.pk,
            kind=row.kind,
            sub_kind=row.sub_kind,
            level=row.level,
            label=row.label,
            points=row.points,
            per=row.per,
            cap=row.cap,
            split=row.split,
            secondary_points=row.secondary_points,
        )


@dataclass
class RuleSet:
    version: PointTableVersion | None
    rules: list[Rule]
    _index: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for rule in self.rules:
            # The first rule of a key wins (rules are in table order).
            self._index.setdefault((rule.kind, rule.sub_kind, rule.level), rule)

    def match(self, kind, sub_kind, level) -> Rule | None:
        index = self._index
        return (
            index.get((kind, sub_kind, level))
            or index.get((kind, sub_kind, ""))
            or index.get((kind, "", level))
            or index.get((kind, "", ""))
        )


def version_for(*, committee, year, version=None) -> PointTableVersion | None:
    """The given version, else the latest version of the committee's table for ``year``."""
    if version is not None:
        return version
    table = PointTable.objects.filter(committee=committee, year=year).first()
    if table is None:
        return None
    return table.versions.order_by("-number").first()


def rule_set(version) -> RuleSet:
    if version is None:
        return RuleSet(version=None, rules=[])
    rows = PointRule.objects.filter(version=version).order_by("position", "pk")
    return RuleSet(version=version, rules=[Rule.of(r) for r in rows])


def unit_points(rule: Rule, *, role: str, order, participants) -> Decimal:
    """What one (positive) ledger row of this rule is worth before half-days and caps."""
    points = rule.points
    secondary = rule.secondary_points if rule.secondary_points is not None else points
    if rule.split == Split.ROLE:
        return points if role in ("", DutyRole.LEAD) else secondary
    if rule.split == Split.ORDER:
        return points if order in (None, 1) else secondary
    if rule.split == Split.DIVIDE and participants and participants > 1:
        return (points / participants).quantize(CENT, rounding=ROUND_HALF_UP)
    return points


def row_points(rule: Rule, *, role, order, participants, weight, half_days) -> Decimal:
    """Points of one ledger row (or a group of like rows: ``weight`` and ``half_days`` summed)."""
    unit = unit_points(rule, role=role, order=order, participants=participants)
    if rule.per == Per.HALF_DAY:
        return unit * (half_days or ZERO)
    return unit * weight


def capped(rule: Rule, total: Decimal) -> Decimal:
    if rule.cap is None:
        return total
    if total >= 0:
        return min(total, rule.cap)
    return max(total, -rule.cap)


def _year_rows(year):
    return DutyRecord.objects.filter(occurred_on__year=year)


def committee_scores(*, committee, year, version=None, membership_ids=None) -> dict:
    """{membership_id: total points} for every member of ``committee`` with ledger rows in
    ``year`` (members without rows score 0 and are absent from the dict)."""
    rules = rule_set(version_for(committee=committee, year=year, version=version))
    rows = _year_rows(year).filter(committee=committee)
    if membership_ids is not None:
        rows = rows.filter(membership_id__in=membership_ids)
    return _score_groups(rows, lambda _committee_id: rules)


def scores_for_committees(*, committees, year) -> dict:
    """{membership_id: total} across several committees, each scored with its own table — the
    provincial recompute of ``bench/points``."""
    by_committee = {c.pk: rule_set(version_for(committee=c, year=year)) for c in committees}
    rows = _year_rows(year).filter(committee_id__in=list(by_committee))
    return _score_groups(rows, by_committee.__getitem__)


def _score_groups(rows, rules_of) -> dict:
    groups = rows.values_list(
        "committee_id", "membership_id", "kind", "sub_kind", "level", "role", "order",
        "participants",
    ).annotate(
        net=Sum("weight"),
        net_half_days=Coalesce(
            Sum(ExpressionWrapper(F("half_days") * F("weight"), output_field=HALF_DAYS)),
            ZERO,
            output_field=HALF_DAYS,
        ),
    ).order_by()  # fmt: skip
    per_rule = defaultdict(Decimal)
    rule_of = {}
    for committee_id, membership_id, kind, sub_kind, level, role, order, parts, w, hd in groups:
        rule = rules_of(committee_id).match(kind, sub_kind, level)
        if rule is None or not w and not hd:
            continue
        key = (membership_id, rule.pk)
        rule_of[key] = rule
        per_rule[key] += row_points(
            rule,
            role=role,
            order=order,
            participants=parts,
            weight=w,
            half_days=Decimal(str(hd)),
        )
    totals = defaultdict(Decimal)
    for (membership_id, rule_pk), total in per_rule.items():
        totals[membership_id] += capped(rule_of[(membership_id, rule_pk)], total)
    return {m: t.quantize(CENT) for m, t in totals.items()}


@dataclass
class Line:
    record: DutyRecord
    rule: Rule | None
    points: Decimal  # what the row earns after the cap
    raw: Decimal  # before the cap
    note: str = ""


@dataclass
class Breakdown:
    year: int
    version: PointTableVersion | None
    lines: list[Line]
    subtotals: list[dict]
    total: Decimal


def member_breakdown(*, membership, year, version=None) -> Breakdown:
    """Every ledger row of the member in ``year``, its rule and points, in date order; the row
    at which a rule's cap was reached says so, later rows of that rule earn 0."""
    version = version_for(committee=membership.committee, year=year, version=version)
    rules = rule_set(version)
    records = (
        _year_rows(year)
        .filter(membership=membership)
        .order_by("occurred_on", "pk")
        .only(
            "kind", "sub_kind", "level", "role", "order", "participants", "weight",
            "half_days", "occurred_on", "title", "source_type_id", "source_id",
        )
    )  # fmt: skip
    running = defaultdict(Decimal)
    lines = []
    for record in records:
        rule = rules.match(record.kind, record.sub_kind, record.level)
        if rule is None:
            lines.append(Line(record, None, ZERO, ZERO, "无对应积分规则"))
            continue
        raw = row_points(
            rule,
            role=record.role,
            order=record.order,
            participants=record.participants,
            weight=record.weight,
            half_days=(record.half_days or ZERO) * record.weight,
        )
        before = capped(rule, running[rule.pk])
        running[rule.pk] += raw
        after = capped(rule, running[rule.pk])
        earned = after - before
        note = ""
        if earned != raw:
            note = f"已达本项年度上限 {rule.cap} 分"
        lines.append(Line(record, rule, earned, raw, note))
    subtotals = _subtotals(lines)
    total = sum((line.points for line in lines), ZERO).quantize(CENT)
    return Breakdown(year=year, version=version, lines=lines, subtotals=subtotals, total=total)


def _subtotals(lines):
    by_rule = {}
    for line in lines:
        if line.rule is None:
            continue
        entry = by_rule.setdefault(
            line.rule.pk,
            {"rule": line.rule, "count": 0, "points": ZERO, "raw": ZERO},
        )
        entry["count"] += line.record.weight
        entry["points"] += line.points
        entry["raw"] += line.raw
    for entry in by_rule.values():
        entry["capped"] = entry["points"] != entry["raw"]
    return sorted(by_rule.values(), key=lambda e: -e["points"])
