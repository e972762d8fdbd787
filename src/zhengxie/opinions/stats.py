"""Public-opinion figures (社情民意统计) for one period, as defined in /work/shared/figures.md
§ Public-opinion reports.

Periods are those of ``proposals.stats`` (``resolve_period`` / ``Period``): a year, a session or
a term. Every figure here is dated, so a period is a window of days: a year is 1 January to
31 December; a session runs from its opening day to the day before the next session opens; a
term from its first plenary to the day before the next term's first plenary (open-ended when
there is no next one). Report dates are Asia/Shanghai dates of ``submitted_at``.

- ``opinions_received``: every report submitted in the window that is not a draft, both the
  committee's own (``opinions_received_own``) and copies forwarded to it by lower committees
  (``opinions_received_from_lower``); a report sent back for changes still counts once.
- ``opinions_used``: of those, the ones the committee itself used (state in ``USED_STATES``).
- ``bulletin_issues`` / ``bulletin_items``: sent issues by ``issued_on``, and their items.
- ``opinions_forwarded``: forwardings made in the window (a report sent to two higher
  committees counts twice, as 报送上级篇次).
- ``opinions_adopted_<level>``: distinct reports of this committee with an adoption of kind
  adopted, combined or published at that level, decided in the window.
- ``instructions_by_level``: leader instructions on this committee's reports, by the leader's
  level, given in the window (``instructions`` is their sum).

All counts are aggregate queries inside the active committee's scope.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from zhengxie.core.models import Instruction, Level
from zhengxie.core.periods import dates_between, moments_between, period_bounds
from zhengxie.opinions.models import (
    RECEIVED_EXCLUDED_STATES,
    USED_STATES,
    Adoption,
    AdoptionKind,
    Bulletin,
    BulletinItem,
    BulletinState,
    Forwarding,
    OpinionReport,
    SourceKind,
)

ADOPTED_KINDS = (AdoptionKind.ADOPTED, AdoptionKind.COMBINED, AdoptionKind.PUBLISHED)
HIGHER_LEVELS = (Level.CITY, Level.PROVINCE, Level.NATIONAL)

# Every figure, in the order pages show them, with its Chinese label.
FIGURE_LABELS = {
    "opinions_received": gettext_lazy("收到信息"),
    "opinions_received_own": gettext_lazy("其中本级报送"),
    "opinions_received_from_lower": gettext_lazy("其中下级政协报送"),
    "opinions_used": gettext_lazy("本级采用"),
    "bulletin_issues": gettext_lazy("编发刊物(期)"),
    "bulletin_items": gettext_lazy("刊发信息(篇)"),
    "opinions_forwarded": gettext_lazy("报送上级(篇次)"),
    "opinions_adopted_city": gettext_lazy("市级采用"),
    "opinions_adopted_province": gettext_lazy("省级采用"),
    "opinions_adopted_national": gettext_lazy("全国采用"),
    "instructions": gettext_lazy("领导批示"),
}


def opinion_figures(*, committee, session=None, year=None, term=None) -> dict:
    """Every public-opinion figure of ``committee`` for exactly one period (see the module doc)."""
    first, last = period_bounds(session=session, year=year, term=term)

    reports = OpinionReport.objects.filter(committee=committee).order_by()
    received = reports.filter(moments_between("submitted_at", first, last)).exclude(
        state__in=RECEIVED_EXCLUDED_STATES
    )
    counts = received.aggregate(
        total=Count("pk"),
        own=Count("pk", filter=Q(origin__isnull=True)),
        lower=Count("pk", filter=Q(origin__isnull=False)),
        used=Count("pk", filter=Q(state__in=USED_STATES)),
    )

    issues = Bulletin.objects.filter(
        dates_between("issued_on", first, last), committee=committee, state=BulletinState.SENT
    ).order_by()
    items = BulletinItem.objects.filter(bulletin__in=issues).order_by()

    forwarded = (
        Forwarding.objects.filter(dates_between("forwarded_on", first, last), committee=committee)
        .order_by()
        .count()
    )

    adopted = dict(
        Adoption.objects.filter(
            dates_between("decided_on", first, last),
            committee=committee,
            report__committee=committee,
            kind__in=ADOPTED_KINDS,
            level__in=HIGHER_LEVELS,
        )
        .values_list("level")
        .annotate(n=Count("report", distinct=True))
        .order_by()
    )

    report_type = ContentType.objects.get_for_model(OpinionReport)
    given = dict(
        Instruction.objects.filter(
            dates_between("given_on", first, last),
            committee=committee,
            target_type=report_type,
            target_id__in=reports.values("pk"),
        )
        .values_list("level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    instructions_by_level = {level: given.get(level, 0) for level in Level.values}

    by_source = dict(received.values_list("source_kind").annotate(n=Count("pk")).order_by())
    return {
        "opinions_received": counts["total"],
        "opinions_received_own": counts["own"],
        "opinions_received_from_lower": counts["lower"],
        "opinions_used": counts["used"],
        "bulletin_issues": issues.count(),
        "bulletin_items": items.count(),
        "opinions_forwarded": forwarded,
        "opinions_adopted_city": adopted.get(Level.CITY, 0),
        "opinions_adopted_province": adopted.get(Level.PROVINCE, 0),
        "opinions_adopted_national": adopted.get(Level.NATIONAL, 0),
        "instructions_by_level": instructions_by_level,
        "instructions": sum(instructions_by_level.values()),
        "by_source": [
            {"label": str(label), "value": by_source[kind]}
            for kind, label in SourceKind.choices
            if by_source.get(kind)
        ],
    }
