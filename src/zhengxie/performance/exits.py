"""Exit rules (退出机制): who meets one, the flags raised for them and what staff did about it.

``evaluate`` reads the duty ledger against the exit rules of the committee's table version and
returns findings; ``raise_flags`` turns them into ExitFlag rows (one per seat and case, never
twice, never reopened once closed); ``flag_act`` is the staff's handling (谈话提醒, 接受辞职,
撤销委员资格, 经核实不予处理) through the workflow table below.

How the rules read the ledger:

- **absences** (无故缺席): the member's attendance rows of the rule's meeting category
  (``attendance`` / ``<category>.<outcome>``, written when a meeting closes, so only held
  meetings), within the seat (one membership = one term, from ``joined_on`` to ``on``), net of
  corrections: per meeting, the outcome whose rows sum to a positive weight. ``absent`` and
  ``leave_requested`` (asked, never approved) are unexcused; ``attended`` and ``leave_approved``
  are not and end a run. Scope ``consecutive``: the longest run of unexcused meetings in date
  order reaches the count; scope ``term``: unexcused meetings in the seat reach it.
- **low_score** (积分低于合格分): each completed year (before ``on.year``) of the seat is scored
  with that year's own table (``scoring.committee_scores``); the year is low when the score is
  below that version's pass mark. A year is only counted when the member held the seat for the
  whole year (joined on or before 1 January): the first, partial year of a member who joined
  mid-year (增补) is skipped. A year without a table is not scored and breaks a run. Scope
  ``consecutive``: the longest run of low years reaches the count; ``term``: low years in the
  seat reach it.

Only in-office members are flagged. A flag's key names the rule (``absences:plenary:consecutive``,
``low_score:consecutive``): one flag per seat and rule, whatever the count.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Min, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengxie.core.accounts import role_holders
from zhengxie.core.audit import audit_record, snapshot
from zhengxie.core.duty import MEETING_SUB_KINDS
from zhengxie.core.models import AuditAction, DutyRecord, Role
from zhengxie.core.notifications import notify
from zhengxie.core.workflow import Transition, Workflow
from zhengxie.organisation.models import Membership, MembershipStatus
from zhengxie.performance import scoring
from zhengxie.performance.models import (
    ExitFlag,
    ExitFlagHistory,
    ExitRule,
    ExitRuleKind,
    ExitScope,
    FlagState,
    PointTable,
)

UNEXCUSED = ("absent", "leave_requested")
ZERO_POINTS = Decimal("0.00")
OUTCOME_LABELS = {
    "attended": gettext_lazy("出席"),
    "leave_approved": gettext_lazy("同意请假"),
    "leave_requested": gettext_lazy("请假未获同意"),
    "absent": gettext_lazy("缺席"),
}

F = FlagState
OPEN_FLAG_STATES = (F.OPEN, F.TALKED)
CLOSED_FLAG_STATES = (F.RESIGNED, F.REMOVED, F.DISMISSED)

FLAG_WORKFLOW = Workflow(
    model=ExitFlag,
    history_model=ExitFlagHistory,
    transitions=[
        Transition(F.OPEN, "talk", F.TALKED, "performance.manage_flags", gettext_lazy("谈话提醒")),
        Transition(
            OPEN_FLAG_STATES,
            "accept_resignation",
            F.RESIGNED,
            "performance.manage_flags",
            gettext_lazy("接受辞职"),
            "outline-danger",
        ),
        Transition(
            OPEN_FLAG_STATES,
            "remove",
            F.REMOVED,
            "performance.manage_flags",
            gettext_lazy("撤销委员资格"),
            "danger",
        ),
        Transition(
            F.OPEN,
            "dismiss",
            F.DISMISSED,
            "performance.manage_flags",
            gettext_lazy("经核实不予处理"),
            "outline-secondary",
        ),
    ],
)
# The membership change each closing action makes.
MEMBERSHIP_CHANGE = {"accept_resignation": "resigned", "remove": "removed"}


@dataclass
class Finding:
    membership: Membership
    rule_kind: str
    key: str
    description: str
    evidence: list = field(default_factory=list)


def _today():
    return timezone.localdate()


def rules_version(*, committee, on):
    """The table version whose exit rules apply on ``on``: the latest version of that year's
    table, else of the latest earlier year's (a new year's table may not be saved yet)."""
    version = scoring.version_for(committee=committee, year=on.year)
    if version is not None:
        return version
    table = (
        PointTable.objects.filter(committee=committee, year__lt=on.year).order_by("-year").first()
    )
    return table.versions.order_by("-number").first() if table is not None else None


def _members(committee):
    return list(
        Membership.objects.filter(committee=committee, status=MembershipStatus.IN_OFFICE)
        .select_related("person", "term")
        .order_by("pk")
    )


def evaluate(*, committee, on=None) -> list[Finding]:
    """Every (in-office member, exit rule) case that holds on ``on`` (default today)."""
    on = on or _today()
    version = rules_version(committee=committee, on=on)
    if version is None:
        return []
    rules = list(ExitRule.objects.filter(version=version).order_by("position", "pk"))
    if not rules:
        return []
    members = _members(committee)
    findings = []
    absences = [r for r in rules if r.kind == ExitRuleKind.ABSENCES]
    if absences:
        meetings = _attendance(committee, members, on)
        for rule in absences:
            for member in members:
                finding = _absence_finding(rule, member, meetings.get(member.pk, []))
                if finding is not None:
                    findings.append(finding)
    low = [r for r in rules if r.kind == ExitRuleKind.LOW_SCORE]
    if low:
        years = _yearly_scores(committee, members, on)
        for rule in low:
            for member in members:
                finding = _low_score_finding(rule, member, years.get(member.pk, []))
                if finding is not None:
                    findings.append(finding)
    return findings


# Absences ------------------------------------------------------------------------------------


def _attendance(committee, members, on):
    """{membership_id: [meeting dict in date order]}: each meeting's net outcome. A meeting is
    the rows' source (rows without one: their date); an outcome counts while its rows sum to a
    positive weight, so a corrected absence counts no more."""
    joined = {m.pk: m.joined_on for m in members}
    if not joined:
        return {}
    groups = list(
        DutyRecord.objects.filter(
            committee=committee,
            membership_id__in=list(joined),
            kind="attendance",
            occurred_on__lte=on,
        )
        .values_list("membership_id", "source_type_id", "source_id", "occurred_on", "sub_kind")
        .annotate(net=Sum("weight"), first=Min("pk"), last=Max("pk"))
        .order_by()
    )
    live = [g for g in groups if g[5] > 0 and g[3] >= joined[g[0]] and "." in g[4]]
    titles = dict(DutyRecord.objects.filter(pk__in=[g[6] for g in live]).values_list("pk", "title"))
    meetings = {}
    for membership_id, type_id, source_id, day, sub_kind, _net, first, last in live:
        category, outcome = sub_kind.split(".", 1)
        meeting = (type_id, source_id) if source_id is not None else ("no source", day)
        key = (membership_id, category, meeting)
        current = meetings.get(key)
        # Two live outcomes for one meeting should not happen; the later one wins.
        if current is None or last > current["last"]:
            meetings[key] = {
                "category": category,
                "date": day,
                "title": titles.get(first, ""),
                "outcome": outcome,
                "record": first,
                "last": last,
            }
    by_member = {}
    for (membership_id, _category, _meeting), row in meetings.items():
        by_member.setdefault(membership_id, []).append(row)
    for rows in by_member.values():
        rows.sort(key=lambda r: (r["date"], r["record"]))
    return by_member


def _longest_run(items, bad):
    best, run = [], []
    for item in items:
        if bad(item):
            run.append(item)
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    return best


def _absence_evidence(rows):
    return [
        {
            "date": r["date"].isoformat(),
            "title": r["title"],
            "outcome": r["outcome"],
            "outcome_label": str(OUTCOME_LABELS.get(r["outcome"], r["outcome"])),
            "record": r["record"],
        }
        for r in rows
    ]


def _absence_finding(rule, member, rows):
    rows = [r for r in rows if r["category"] == rule.meeting_category]
    unexcused = [r for r in rows if r["outcome"] in UNEXCUSED]
    category = str(MEETING_SUB_KINDS.get(rule.meeting_category, rule.meeting_category))
    if rule.scope == ExitScope.CONSECUTIVE:
        hits = _longest_run(rows, lambda r: r["outcome"] in UNEXCUSED)
        description = _("连续%(n)s次无故缺席%(category)s(规则:连续%(count)s次)")
    else:
        hits = unexcused
        description = _("本届累计%(n)s次无故缺席%(category)s(规则:累计%(count)s次)")
    if len(hits) < rule.count:
        return None
    return Finding(
        membership=member,
        rule_kind=ExitRuleKind.ABSENCES,
        key=f"absences:{rule.meeting_category}:{rule.scope}",
        description=description % {"n": len(hits), "category": category, "count": rule.count},
        evidence=_absence_evidence(hits),
    )


# Low score -----------------------------------------------------------------------------------


def _seat_years(member, on):
    """The completed, whole years of the seat before ``on.year``."""
    first = max(member.joined_on.year, member.term.starts_on.year)
    if member.joined_on > datetime.date(first, 1, 1):
        first += 1  # joined during the year: that year is not counted
    last = on.year - 1
    if member.term.ends_on is not None:
        ends = member.term.ends_on
        last = min(last, ends.year - (ends < datetime.date(ends.year, 12, 31)))
    return range(first, last + 1)


def _yearly_scores(committee, members, on):
    """{membership_id: [(year, score or None, version)]}: None when the year has no table."""
    wanted = {m.pk: _seat_years(m, on) for m in members}
    all_years = sorted({y for years in wanted.values() for y in years})
    scored = {}
    for year in all_years:
        version = scoring.version_for(committee=committee, year=year)
        if version is None:
            scored[year] = (None, {})
            continue
        ids = [pk for pk, years in wanted.items() if year in years]
        scored[year] = (
            version,
            scoring.committee_scores(
                committee=committee, year=year, version=version, membership_ids=ids
            ),
        )
    result = {}
    for pk, years in wanted.items():
        rows = []
        for year in years:
            version, scores = scored[year]
            score = None if version is None else scores.get(pk, ZERO_POINTS)
            rows.append((year, score, version))
        result[pk] = rows
    return result


def _low_score_finding(rule, member, years):
    def low(row):
        _year, score, version = row
        return score is not None and score < version.pass_mark

    if rule.scope == ExitScope.CONSECUTIVE:
        hits = _longest_run(years, low)
        description = _("连续%(n)s年年度积分低于合格分(规则:连续%(count)s年)")
    else:
        hits = [row for row in years if low(row)]
        description = _("本届累计%(n)s年年度积分低于合格分(规则:累计%(count)s年)")
    if len(hits) < rule.count:
        return None
    return Finding(
        membership=member,
        rule_kind=ExitRuleKind.LOW_SCORE,
        key=f"low_score:{rule.scope}",
        description=description % {"n": len(hits), "count": rule.count},
        evidence=[
            {"year": year, "score": str(score), "pass_mark": str(version.pass_mark)}
            for year, score, version in hits
        ],
    )


# Raising flags -------------------------------------------------------------------------------


def flag_url(flag):
    return reverse("performance:flag_detail", args=[flag.pk])


def raise_flags(*, committee, actor=None, on=None) -> int:
    """Create a flag for each new finding (none for a seat and key already flagged, open or
    closed); tell the chairs. Returns how many flags were created. ``actor`` None is the nightly
    task; a user must be allowed to manage flags."""
    if actor is not None and not actor.has_perm("performance.manage_flags"):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    on = on or _today()
    findings = evaluate(committee=committee, on=on)
    with transaction.atomic():
        existing = set(
            ExitFlag.objects.filter(committee=committee).values_list("membership_id", "key")
        )
        created = []
        for finding in findings:
            if (finding.membership.pk, finding.key) in existing:
                continue
            try:
                with transaction.atomic():
                    flag = ExitFlag.objects.create(
                        committee=committee,
                        membership=finding.membership,
                        rule_kind=finding.rule_kind,
                        key=finding.key,
                        description=finding.description[:255],
                        evidence=finding.evidence,
                        raised_on=on,
                    )
            except IntegrityError:  # raised meanwhile by another check
                continue
            ExitFlagHistory.objects.create(
                subject=flag,
                committee=committee,
                from_state="",
                action="raise",
                to_state=flag.state,
                actor=actor,
                note=finding.description[:255],
            )
            audit_record(actor=actor, action=AuditAction.CREATE, obj=flag, after=snapshot(flag))
            created.append(flag)
        if created:
            _tell_chairs(committee, created)
    return len(created)


def _tell_chairs(committee, flags):
    names = "、".join(f.membership.person.name for f in flags[:10])
    title = _("发现%(n)s条委员退出情形") % {"n": len(flags)}
    body = _("涉及委员:%(names)s%(more)s。请及时研究处理。") % {
        "names": names,
        "more": _("等") if len(flags) > 10 else "",
    }
    url = reverse("performance:flags")
    transaction.on_commit(
        lambda: notify(
            recipients=role_holders(role=Role.CHAIR, committee=committee),
            title=title,
            body=body,
            url=url,
            kind="performance",
            committee=committee,
        )
    )


# Staff handling ------------------------------------------------------------------------------


def flag_act(
    *,
    actor,
    flag: ExitFlag,
    action: str,
    note: str = "",
    effective_on: datetime.date | None = None,
    decided_by: str = "",
) -> ExitFlag:
    """谈话提醒 (note required), 接受辞职 / 撤销 (date and deciding meeting; the membership's
    status changes with it), 经核实不予处理 (reason required). Atomic: a refused membership
    change leaves the flag as it was."""
    from zhengxie.organisation.services import membership_change_status

    note = (note or "").strip()
    decided_by = (decided_by or "").strip()
    errors = {}
    if action == "talk" and not note:
        errors["note"] = _("请填写谈话提醒情况。")
    if action == "dismiss" and not note:
        errors["note"] = _("请填写不予处理的理由。")
    if action in MEMBERSHIP_CHANGE:
        if effective_on is None:
            errors["effective_on"] = _("请填写生效日期。")
        elif effective_on > _today():
            errors["effective_on"] = _("生效日期不能晚于今天。")
        if not decided_by:
            errors["decided_by"] = _("请填写作出决定的会议。")
    if errors:
        raise ValidationError(errors)
    data = {}
    if action in MEMBERSHIP_CHANGE:
        data = {"effective_on": effective_on.isoformat(), "decided_by": decided_by}
    with transaction.atomic():
        flag = FLAG_WORKFLOW.apply(obj=flag, action=action, actor=actor, note=note, data=data)
        if action in MEMBERSHIP_CHANGE:
            membership_change_status(
                membership=flag.membership,
                kind=MEMBERSHIP_CHANGE[action],
                effective_on=effective_on,
                decided_by=decided_by,
                note=note or flag.description,
                actor=actor,
            )
    return flag
