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

All counts are aggregate queries grouped by committee (``opinion_figures_for`` counts many
committees at once, as an aggregate report needs); each filters by committee explicitly and runs
with scopes disabled, so it counts the committee's own rows whatever the active scope. A session
or term is resolved (``period_bounds``) in the caller's scope.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy

from zhengxie.core.grouping import grouped_rows
from zhengxie.core.models import Instruction, Level
from zhengxie.core.periods import dates_between, moments_between, period_bounds
from zhengxie.core.scoping import scopes_disabled
from zhengxie.opinions.models import (
    RECEIVED_EXCLUDED_STATES,
    USED_STATES,
    Adoption,
    AdoptionKind,
    Bulletin,
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
    return opinion_figures_for(committees=[committee], session=session, year=year, term=term)[
        committee.pk
    ]


def opinion_figures_for(*, committees, session=None, year=None, term=None) -> dict:
    """``opinion_figures`` of several committees at once ({committee id: figures}), each query
    grouped by committee. A session or term belongs to one committee, so with one of those
    ``committees`` holds that committee only."""
    ids = [c.pk for c in committees]
    first, last = period_bounds(session=session, year=year, term=term)
    report_type = ContentType.objects.get_for_model(OpinionReport)
    results = {
        pk: {"total": 0, "own": 0, "lower": 0, "used": 0, "by_source": {}, "adopted": {}}
        for pk in ids
    }
    with scopes_disabled():
        received = OpinionReport.objects.filter(
            moments_between("submitted_at", first, last), committee_id__in=ids
        ).exclude(state__in=RECEIVED_EXCLUDED_STATES)
        for row in grouped_rows(
            received,
            "source_kind",
            total=Count("pk"),
            own=Count("pk", filter=Q(origin__isnull=True)),
            lower=Count("pk", filter=Q(origin__isnull=False)),
            used=Count("pk", filter=Q(state__in=USED_STATES)),
        ):
            counts = results[row["committee_id"]]
            for name in ("total", "own", "lower", "used"):
                counts[name] += row[name]
            counts["by_source"][row["source_kind"]] = row["total"]

        issues = Bulletin.objects.filter(
            dates_between("issued_on", first, last), committee_id__in=ids, state=BulletinState.SENT
        )
        bulletins = {
            row["committee_id"]: row
            for row in grouped_rows(
                issues,
                issues=Count("pk", distinct=True),
                items=Count("items", filter=Q(items__committee_id=F("committee_id"))),
            )
        }
        forwarded = {
            row["committee_id"]: row["n"]
            for row in grouped_rows(
                Forwarding.objects.filter(
                    dates_between("forwarded_on", first, last), committee_id__in=ids
                ),
                n=Count("pk"),
            )
        }
        for row in grouped_rows(
            Adoption.objects.filter(
                dates_between("decided_on", first, last),
                committee_id__in=ids,
                report__committee_id=F("committee_id"),
                kind__in=ADOPTED_KINDS,
                level__in=HIGHER_LEVELS,
            ),
            "level",
            n=Count("report", distinct=True),
        ):
            results[row["committee_id"]]["adopted"][row["level"]] = row["n"]

        own_report = OpinionReport.objects.filter(
            pk=OuterRef("target_id"), committee_id=OuterRef("committee_id")
        )
        given = {}
        for row in grouped_rows(
            Instruction.objects.filter(
                Exists(own_report),
                dates_between("given_on", first, last),
                committee_id__in=ids,
                target_type=report_type,
            ),
            "level",
            n=Count("pk"),
        ):
            given.setdefault(row["committee_id"], {})[row["level"]] = row["n"]

    figures = {}
    for pk in ids:
        counts = results[pk]
        by_level = {level: given.get(pk, {}).get(level, 0) for level in Level.values}
        issued = bulletins.get(pk, {"issues": 0, "items": 0})
        adopted = counts["adopted"]
        figures[pk] = {
            "opinions_received": counts["total"],
            "opinions_received_own": counts["own"],
            "opinions_received_from_lower": counts["lower"],
            "opinions_used": counts["used"],
            "bulletin_issues": issued["issues"],
            "bulletin_items": issued["items"],
            "opinions_forwarded": forwarded.get(pk, 0),
            "opinions_adopted_city": adopted.get(Level.CITY, 0),
            "opinions_adopted_province": adopted.get(Level.PROVINCE, 0),
            "opinions_adopted_national": adopted.get(Level.NATIONAL, 0),
            "instructions_by_level": by_level,
            "instructions": sum(by_level.values()),
            "by_source": [
                {"label": str(label), "value": counts["by_source"][kind]}
                for kind, label in SourceKind.choices
                if counts["by_source"].get(kind)
            ],
        }
    return figures
