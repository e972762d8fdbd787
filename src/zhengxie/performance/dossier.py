"""The dossier (履职档案, 一届一人一档): everything a member did in one term, composed from the duty
ledger, the point table, duty reports, political checks, exit flags and the organisation's
positions and status changes. Reads only; the dossier page, its .docx and the duty report's
draft all come from here, so they always say the same thing.

What a viewer sees: a member sees their own dossier with the rank band only (never anyone
else's score); staff and chairs see the band and the exact rank, and staff also the exit flags.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core.duty import DUTY_KINDS, MEETING_SUB_KINDS
from zhengxie.core.models import DutyRecord
from zhengxie.core.rules import is_admin, is_chair, is_staff
from zhengxie.organisation.models import Membership
from zhengxie.performance import queries, scoring
from zhengxie.performance.models import DutyReport, ExitFlag, PoliticalCheck

ZERO = Decimal("0")


# Who and which seat ------------------------------------------------------------------------


def membership_or_404(user, pk, *, permission="performance.view_dossier"):
    """The membership the user may open (their own, or any for staff and chairs), else 404 —
    another member's dossier answers like a missing one."""
    membership = (
        Membership.objects.select_related("term", "person", "sector", "group", "committee")
        .filter(pk=pk)
        .first()
    )
    if membership is None or not user.has_perm(permission, membership):
        raise Http404
    return membership


def sees_rank(user):
    return bool(is_staff(user) or is_admin(user) or is_chair(user))


def sees_flags(user):
    return bool(is_staff(user) or is_admin(user))


def term_years(membership, today=None):
    """The calendar years of the member's seat in this term, oldest first."""
    today = today or timezone.localdate()
    start = max(membership.joined_on, membership.term.starts_on)
    ends = [today]
    if membership.left_on:
        ends.append(membership.left_on)
    if membership.term.ends_on:
        ends.append(membership.term.ends_on)
    end = min(ends)
    if end < start:
        return [start.year]
    return list(range(start.year, end.year + 1))


# Ledger -------------------------------------------------------------------------------------


def kind_label(kind):
    known = DUTY_KINDS.get(kind)
    return str(known.label) if known else kind


def sub_kind_label(kind, sub_kind):
    known = DUTY_KINDS.get(kind)
    if known is None or not sub_kind:
        return ""
    return str(known.sub_kinds.get(sub_kind, sub_kind))


@dataclass
class KindGroup:
    kind: str
    label: str
    count: int = 0
    records: list = field(default_factory=list)
    sub_counts: dict = field(default_factory=dict)  # sub_kind -> net count


def _kind_order():
    return {code: i for i, code in enumerate(DUTY_KINDS)}


def ledger_rows(membership, years=None):
    """The member's ledger rows (with their sources, one query per source type), oldest first."""
    rows = DutyRecord.objects.filter(membership=membership)
    if years is not None:
        rows = rows.filter(occurred_on__year__in=list(years))
    return list(rows.order_by("occurred_on", "pk").prefetch_related("source"))


def group_records(records):
    """Rows grouped by kind in the registry's order; ``count`` is the net number of rows (a
    correcting row, weight −1, takes one back)."""
    groups = {}
    for record in records:
        group = groups.get(record.kind)
        if group is None:
            group = groups[record.kind] = KindGroup(record.kind, kind_label(record.kind))
        group.count += record.weight
        group.sub_counts[record.sub_kind] = group.sub_counts.get(record.sub_kind, 0) + record.weight
        record.sub_label = sub_kind_label(record.kind, record.sub_kind)
        source = record.source if record.source_id else None
        record.url = source.get_absolute_url() if hasattr(source, "get_absolute_url") else ""
        group.records.append(record)
    order = _kind_order()
    return sorted(groups.values(), key=lambda g: (order.get(g.kind, len(order)), g.kind))


def counts_of(records):
    """{(kind, sub_kind): net count} of ledger rows."""
    counts = defaultdict(int)
    for record in records:
        counts[(record.kind, record.sub_kind)] += record.weight
    return dict(counts)


# Rank ---------------------------------------------------------------------------------------


@dataclass
class Rank:
    rank: int
    of: int
    band: str
    score: Decimal


def rank_of(*, committee, year, membership, scores=None):
    """The member's place in the committee's ranking (``queries.ranked_memberships``: the
    in-office seats of the current term; a seat outside it is placed by its score) and its band
    — the same rule as ``queries.rank_band``, with the exact rank staff see."""
    members = list(queries.ranked_memberships(committee).values_list("pk", flat=True))
    if membership.pk not in members:
        members.append(membership.pk)
    if scores is None:
        scores = scoring.committee_scores(committee=committee, year=year, membership_ids=members)
    own = scores.get(membership.pk, ZERO)
    rank = 1 + sum(1 for pk in members if scores.get(pk, ZERO) > own)
    return Rank(rank=rank, of=len(members), band=queries.band_of(rank, len(members)), score=own)


# The dossier --------------------------------------------------------------------------------


@dataclass
class YearEntry:
    year: int
    groups: list
    counts: dict
    total: Decimal
    band: str
    rank: Rank | None
    report: DutyReport | None
    check: PoliticalCheck | None
    scored: bool = True  # False: the committee had no point table that year


@dataclass
class Dossier:
    membership: Membership
    years: list
    positions: list
    status_changes: list
    flags: list | None  # None: not shown to this viewer
    show_rank: bool


def compose(*, membership, viewer, today=None):
    """The whole dossier of one seat, as ``viewer`` may see it."""
    years = term_years(membership, today)
    records = ledger_rows(membership, years)
    by_year = defaultdict(list)
    for record in records:
        by_year[record.occurred_on.year].append(record)
    reports = {
        r.year: r
        for r in DutyReport.objects.filter(membership=membership).select_related("meeting")
    }
    checks = {c.year: c for c in PoliticalCheck.objects.filter(membership=membership)}
    show_rank = sees_rank(viewer)
    entries = []
    for year in years:
        rows = by_year.get(year, [])
        rank = None
        scores = {}
        # No point table that year: no points and no band (everyone would tie at 0).
        if scoring.version_for(committee=membership.committee, year=year) is not None:
            scores = scoring.committee_scores(committee=membership.committee, year=year)
            rank = rank_of(
                committee=membership.committee, year=year, membership=membership, scores=scores
            )
        entries.append(
            YearEntry(
                year=year,
                groups=group_records(rows),
                counts=counts_of(rows),
                total=scores.get(membership.pk, ZERO).quantize(scoring.CENT),
                band=rank.band if rank else "",
                rank=rank if show_rank else None,
                report=reports.get(year),
                check=checks.get(year),
                scored=rank is not None,
            )
        )
    flags = None
    if sees_flags(viewer):
        flags = list(ExitFlag.objects.filter(membership=membership).order_by("-raised_on", "pk"))
    return Dossier(
        membership=membership,
        years=entries,
        positions=list(
            membership.positions.select_related("special_committee").order_by("starts_on", "pk")
        ),
        status_changes=list(membership.history.order_by("effective_on", "pk")),
        flags=flags,
        show_rank=show_rank,
    )


def position_label(position):
    parts = [position.get_kind_display()]
    if position.special_committee_id:
        parts.append(position.special_committee.name)
    if position.office:
        parts.append(position.get_office_display())
    if position.role_title:
        parts.append(position.role_title)
    return " · ".join(parts)


# The duty report's draft ----------------------------------------------------------------------


def _n(counts, kind, *subs):
    if not subs:
        return sum(v for (k, _s), v in counts.items() if k == kind)
    return sum(counts.get((kind, s), 0) for s in subs)


def draft_text(*, membership, year, counts=None, total=None):
    """The duty report's first draft in Chinese prose, every number from the ledger and the
    point table (nothing invented): attendance, proposals, public opinion, speeches, activities
    and the year's points."""
    if counts is None:
        counts = counts_of(ledger_rows(membership, [year]))
    if total is None:
        total = scoring.committee_scores(
            committee=membership.committee, year=year, membership_ids=[membership.pk]
        ).get(membership.pk, ZERO)
    sentences = []
    attended = [
        _("%(meeting)s%(n)s次") % {"meeting": label, "n": n}
        for category, label in MEETING_SUB_KINDS.items()
        if (n := counts.get(("attendance", f"{category}.attended"), 0)) > 0
    ]
    leave = sum(
        counts.get(("attendance", f"{c}.{s}"), 0)
        for c in MEETING_SUB_KINDS
        for s in ("leave_approved", "leave_requested")
    )
    absent = sum(counts.get(("attendance", f"{c}.absent"), 0) for c in MEETING_SUB_KINDS)
    if attended or leave or absent:
        text = _("出席") + "、".join(attended) if attended else _("未出席会议")
        if leave:
            text += _(",请假%(n)s次") % {"n": leave}
        if absent:
            text += _(",缺席%(n)s次") % {"n": absent}
        sentences.append(text)
    led = _n(counts, "proposal", "submitted")
    co_signed = _n(counts, "proposal", "co_signed")
    if led or co_signed:
        text = _("提交提案%(n)s件") % {"n": led}
        if co_signed:
            text += _("、联名附议提案%(n)s件") % {"n": co_signed}
        registered = _n(counts, "proposal", "registered")
        text += _(",其中立案%(n)s件") % {"n": registered}
        key = _n(counts, "proposal", "key")
        if key:
            text += _("、列为重点提案%(n)s件") % {"n": key}
        outstanding = _n(counts, "proposal", "outstanding")
        if outstanding:
            text += _(",获评优秀提案%(n)s件") % {"n": outstanding}
        sentences.append(text)
    submitted = _n(counts, "opinion", "submitted")
    if submitted:
        text = _("报送社情民意信息%(n)s篇,被采用%(used)s篇") % {
            "n": submitted,
            "used": _n(counts, "opinion", "used"),
        }
        higher = _n(counts, "opinion", "adopted_city", "adopted_province", "adopted_national")
        if higher:
            text += _(",被上级采用%(n)s篇") % {"n": higher}
        instructed = _n(counts, "opinion", "instructed") + _n(counts, "instruction")
        if instructed:
            text += _(",获领导批示%(n)s次") % {"n": instructed}
        sentences.append(text)
    speeches = _n(counts, "speech")
    if speeches:
        sentences.append(_("提交或作大会发言%(n)s次") % {"n": speeches})
    inspections_research = _n(counts, "inspection") + _n(counts, "research", "participant")
    if inspections_research:
        sentences.append(_("参加视察调研%(n)s次") % {"n": inspections_research})
    reports = _n(counts, "research", "report") + _n(counts, "activity_report")
    if reports:
        sentences.append(_("撰写调研视察报告%(n)s篇") % {"n": reports})
    for kind, template in (
        ("consultation", _("参加协商活动%(n)s次")),
        ("supervision", _("参加民主监督%(n)s次")),
        ("reception", _("在委员会客室值班%(n)s次")),
        ("study", _("参加学习培训%(n)s次")),
        ("activity", _("参加其他履职活动%(n)s次")),
    ):
        n = _n(counts, kind)
        if n:
            sentences.append(template % {"n": n})
    intro = _("本人%(year)s年度认真履行委员职责") % {"year": year}
    points = _("全年履职积分%(total)s分") % {"total": Decimal(total).quantize(scoring.CENT)}
    if sentences:
        body = intro + ":" + ";".join(sentences) + "。" + points + "。"
    else:
        body = intro + "。" + _("本年度平台暂无履职记录。") + points + "。"
    return (
        body
        + "\n"
        + _("(以上为根据履职档案自动生成的初稿,请结合本人实际补充履职情况、体会和不足。)")
    )


# The staff list ------------------------------------------------------------------------------


def dossier_list(*, committee, year, sector=None, group=None, name=""):
    """In-office members with their score for ``year`` (``score`` attribute), by name."""
    members = (
        Membership.objects.filter(committee=committee)
        .in_office()
        .select_related("person", "sector", "group", "term")
        .order_by("person__name", "pk")
    )
    if sector is not None:
        members = members.filter(sector=sector)
    if group is not None:
        members = members.filter(group=group)
    if name:
        members = members.filter(person__name__contains=name.strip())
    return members


def with_scores(memberships, *, committee, year):
    """Attach ``score`` to each membership of a page (one grouped query)."""
    memberships = list(memberships)
    scores = scoring.committee_scores(
        committee=committee, year=year, membership_ids=[m.pk for m in memberships]
    )
    for m in memberships:
        m.score = scores.get(m.pk, ZERO)
    return memberships
