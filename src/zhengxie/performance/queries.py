"""Reads of duty performance: rankings, commendation candidates, rank bands and the difference
between two versions of a point table. Nothing here writes.

Who is ranked: the in-office memberships of the committee's current term (the latest term that
has started), each with the score ``scoring.committee_scores`` gives for the year and table
version (a member without ledger rows scores 0).

Ranks are competition ranks over the whole committee: equal scores share a rank and the next
rank skips (100, 90, 90, 80 → 1, 2, 2, 4). Grouped by sector or group, each group is ranked on
its own (``group_rank``); the committee rank stays on every row.

Commendation candidates (优秀委员候选人): with N ranked members and the version's share s %, the
quota is ⌈N × s / 100⌉ (at least 1 when N > 0). A member is a candidate when the score is at least
the version's commendation threshold AND the committee rank is within the quota — so a tie at the
edge of the quota brings in everyone on that score.

Rank bands (``rank_band``), by committee rank r among N: r ≤ ⌈N × 10%⌉ → 前10%; r ≤ ⌈N × 30%⌉ →
前30%; r > N − ⌈N × 30%⌉ → 后30%; otherwise 中间. A tie takes the better band of its rank.
"""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core.duty import MEETING_SUB_KINDS
from zhengxie.organisation.models import Membership, MembershipStatus, Term
from zhengxie.performance import scoring
from zhengxie.performance.models import ExitRuleKind, ExitScope
from zhengxie.performance.tables import EXIT_FIELDS, RULE_FIELDS

ZERO = Decimal("0.00")
GROUPINGS = ("sector", "group")
BANDS = ("前10%", "前30%", "中间", "后30%")


@dataclass
class RankRow:
    membership: Membership
    score: Decimal
    rank: int  # in the whole committee
    candidate: bool
    below_pass: bool
    group_label: str = ""
    group_rank: int | None = None  # within the sector or group, when grouped


def current_term(committee):
    today = timezone.localdate()
    return (
        Term.objects.filter(committee=committee, starts_on__lte=today)
        .order_by("-starts_on")
        .first()
    )


def ranked_memberships(committee):
    """Who is ranked: in-office seats of the committee's current term."""
    term = current_term(committee)
    if term is None:
        return Membership.objects.none()
    return (
        Membership.objects.filter(committee=committee, term=term, status=MembershipStatus.IN_OFFICE)
        .select_related("person", "sector", "group")
        .order_by("person__name", "pk")
    )


def competition_ranks(scores: list) -> list[int]:
    """Ranks of scores already sorted best first: ties share a rank, the next one skips."""
    ranks = []
    for n, score in enumerate(scores):
        ranks.append(ranks[-1] if n and score == scores[n - 1] else n + 1)
    return ranks


def commendation_quota(count: int, share: int) -> int:
    if count <= 0:
        return 0
    return max(1, math.ceil(count * share / 100))


def ranking(*, committee, year, version=None, by=None) -> list[RankRow]:
    """Every ranked member with score, committee rank, candidate and below-pass flags, best
    first; ``by`` = "sector" or "group" orders by that group (then score) and adds group ranks.
    A constant number of queries whatever the number of members."""
    version = scoring.version_for(committee=committee, year=year, version=version)
    members = list(ranked_memberships(committee))
    scores = scoring.committee_scores(
        committee=committee, year=year, version=version, membership_ids=[m.pk for m in members]
    )
    members.sort(key=lambda m: -scores.get(m.pk, ZERO))  # stable: name order within a tie
    values = [scores.get(m.pk, ZERO) for m in members]
    ranks = competition_ranks(values)
    quota = commendation_quota(len(members), version.commendation_share) if version else 0
    rows = []
    for membership, score, rank in zip(members, values, ranks, strict=True):
        rows.append(
            RankRow(
                membership=membership,
                score=score,
                rank=rank,
                candidate=version is not None
                and score >= version.commendation_threshold
                and rank <= quota,
                below_pass=version is not None and score < version.pass_mark,
            )
        )
    if by in GROUPINGS:
        rows = _grouped(rows, by)
    return rows


def _grouped(rows, by):
    def label(row):
        target = getattr(row.membership, by)
        return target.name if target is not None else _("未分组")

    # Python's sort is stable: within a group the committee order (best first) stays.
    rows = sorted(rows, key=lambda r: (getattr(r.membership, f"{by}_id") is None, label(r)))
    previous, group_rows = None, []
    for row in rows:
        row.group_label = label(row)
        if row.group_label != previous:
            group_rows, previous = [], row.group_label
        group_rows.append(row)
        ranks = competition_ranks([r.score for r in group_rows])
        row.group_rank = ranks[-1]
    return rows


def commendation_candidates(*, committee, year, version=None) -> list[RankRow]:
    """The candidates for 优秀委员, best first (rule in the module docstring)."""
    return [r for r in ranking(committee=committee, year=year, version=version) if r.candidate]


def band_of(rank: int, count: int) -> str:
    if rank <= math.ceil(count * 0.1):
        return BANDS[0]
    if rank <= math.ceil(count * 0.3):
        return BANDS[1]
    if rank > count - math.ceil(count * 0.3):
        return BANDS[3]
    return BANDS[2]


def rank_band(*, committee, year, membership) -> str:
    """前10% / 前30% / 中间 / 后30% of ``membership`` in the committee's ranking for ``year``.
    A seat that is not ranked (e.g. no longer in office) is placed among the ranked members by
    its score."""
    members = list(ranked_memberships(committee).values_list("pk", flat=True))
    if membership.pk not in members:
        members.append(membership.pk)
    scores = scoring.committee_scores(committee=committee, year=year, membership_ids=members)
    own = scores.get(membership.pk, ZERO)
    rank = 1 + sum(1 for pk in members if scores.get(pk, ZERO) > own)
    return band_of(rank, len(members))


# Versions ------------------------------------------------------------------------------------

FIELD_LABELS = {
    "label": "名称",
    "points": "分值",
    "per": "计分单位",
    "cap": "年度上限",
    "split": "共同履职计分方式",
    "secondary_points": "次要分值",
    "position": "序号",
}
HEADER_LABELS = {
    "pass_mark": "合格分",
    "commendation_threshold": "优秀委员推荐分",
    "commendation_share": "优秀委员推荐比例(%)",
}


def _rule_key(rule):
    return (rule.kind, rule.sub_kind, rule.level)


def version_diff(version, previous) -> dict:
    """What ``version`` changed from ``previous`` (None for the first version): rules added,
    removed and changed (matched on kind, sub-kind and level), header values and exit rules.
    Uses ``rules`` / ``exit_rules`` as loaded (prefetch them for a list)."""
    new_rules = {_rule_key(r): r for r in version.rules.all()}
    old_rules = {_rule_key(r): r for r in previous.rules.all()} if previous else {}
    changed = []
    for key, rule in new_rules.items():
        old = old_rules.get(key)
        if old is None:
            continue
        fields = [
            {"label": FIELD_LABELS[name], "old": _shown(old, name), "new": _shown(rule, name)}
            for name in RULE_FIELDS
            if name in FIELD_LABELS and getattr(old, name) != getattr(rule, name)
        ]
        if fields:
            changed.append({"rule": rule, "fields": fields})
    header = []
    if previous is not None:
        header = [
            {"label": label, "old": getattr(previous, name), "new": getattr(version, name)}
            for name, label in HEADER_LABELS.items()
            if getattr(previous, name) != getattr(version, name)
        ]
    new_exits = [tuple(getattr(e, n) for n in EXIT_FIELDS) for e in version.exit_rules.all()]
    old_exits = (
        [tuple(getattr(e, n) for n in EXIT_FIELDS) for e in previous.exit_rules.all()]
        if previous
        else []
    )
    return {
        "added": [r for k, r in new_rules.items() if k not in old_rules] if previous else [],
        "removed": [r for k, r in old_rules.items() if k not in new_rules],
        "changed": changed,
        "header": header,
        "exits_added": [exit_prose(*e) for e in new_exits if e not in old_exits]
        if previous
        else [],
        "exits_removed": [exit_prose(*e) for e in old_exits if e not in new_exits],
    }


def _shown(rule, name):
    value = getattr(rule, name)
    if value is None or value == "":
        return "—"
    display = getattr(rule, f"get_{name}_display", None)
    return display() if display is not None and name in ("per", "split") else value


def exit_prose(kind, meeting_category, scope, count) -> str:
    """An exit rule in one Chinese sentence, e.g. 连续2次无故缺席全体会议."""
    if kind == ExitRuleKind.ABSENCES:
        meeting = MEETING_SUB_KINDS.get(meeting_category, meeting_category)
        if scope == ExitScope.CONSECUTIVE:
            return _("连续%(n)s次无故缺席%(m)s") % {"n": count, "m": meeting}
        return _("一届内累计%(n)s次无故缺席%(m)s") % {"n": count, "m": meeting}
    if scope == ExitScope.CONSECUTIVE:
        return _("连续%(n)s年年度积分低于合格分") % {"n": count}
    return _("一届内累计%(n)s年年度积分低于合格分") % {"n": count}
