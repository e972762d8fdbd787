"""Democratic-supervision figures (shared/figures.md § Meetings, activities, people) for one
period of one committee.

- ``supervision_groups``: groups delegated for the years the period touches (a group belongs to
  a year, not to a day: a session or term counts the groups of every year it overlaps).
- ``supervision_recommendations_sent``: letters sent (``sent_on``) in the period.
- ``supervision_recommendations_answered``: letters answered (``answered_on``) in the period.
- ``supervision_rechecks``: re-checks (回头看) held in the period.
- ``supervision_topics_active``: the committee's own special topics running in a year the period
  touches (a topic shared with it is counted by the committee that started it).
- ``appraisals``: democratic appraisals of the years the period touches.

All counts are aggregate queries of the committee's own rows, grouped by committee
(``supervision_figures_for`` counts many committees at once, as an aggregate report needs); each
filters by committee explicitly and runs with scopes disabled. A session or term is resolved
(``period_bounds``) in the caller's scope.
"""

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhengxie.core.grouping import by_committee
from zhengxie.core.periods import dates_between, period_bounds
from zhengxie.core.scoping import scopes_disabled
from zhengxie.supervision.models import (
    Appraisal,
    Recheck,
    SupervisionGroup,
    SupervisionLetter,
    SupervisionTopic,
)

FIGURE_LABELS = {
    "supervision_groups": gettext_lazy("民主监督小组"),
    "supervision_recommendations_sent": gettext_lazy("送达监督建议书"),
    "supervision_recommendations_answered": gettext_lazy("单位已答复"),
    "supervision_rechecks": gettext_lazy("回头看"),
    "supervision_topics_active": gettext_lazy("专项民主监督"),
    "appraisals": gettext_lazy("民主评议"),
}


def period_years(*, year=None, session=None, term=None):
    """(first, last) day and the first and last calendar year the period touches."""
    first, last = period_bounds(session=session, year=year, term=term)
    last_year = (last or max(first, timezone.localdate())).year
    return first, last, first.year, last_year


def supervision_figures(*, committee, year=None, session=None, term=None) -> dict:
    return supervision_figures_for(committees=[committee], year=year, session=session, term=term)[
        committee.pk
    ]


def supervision_figures_for(*, committees, year=None, session=None, term=None) -> dict:
    """``supervision_figures`` of several committees at once ({committee id: figures}), each
    query grouped by committee. A session or term belongs to one committee, so with one of those
    ``committees`` holds that committee only."""
    ids = [c.pk for c in committees]
    first, last, first_year, last_year = period_years(year=year, session=session, term=term)
    in_years = Q(year__gte=first_year, year__lte=last_year)
    sent = dates_between("sent_on", first, last)
    answered = dates_between("answered_on", first, last)
    n = Count("pk")
    with scopes_disabled():
        groups = by_committee(SupervisionGroup.objects.filter(in_years, committee_id__in=ids), n=n)
        letters = by_committee(
            SupervisionLetter.objects.filter(sent | answered, committee_id__in=ids),
            sent=Count("pk", filter=sent),
            answered=Count("pk", filter=answered),
        )
        rechecks = by_committee(
            Recheck.objects.filter(dates_between("checked_on", first, last), committee_id__in=ids),
            n=n,
        )
        topics = by_committee(
            SupervisionTopic.objects.filter(
                Q(ends_year__isnull=True) | Q(ends_year__gte=first_year),
                committee_id__in=ids,
                starts_year__lte=last_year,
            ),
            n=n,
        )
        appraisals = by_committee(Appraisal.objects.filter(in_years, committee_id__in=ids), n=n)
    figures = {}
    for pk in ids:
        sent_answered = letters.get(pk, {"sent": 0, "answered": 0})
        figures[pk] = {
            "supervision_groups": groups.get(pk, {}).get("n", 0),
            "supervision_recommendations_sent": sent_answered["sent"],
            "supervision_recommendations_answered": sent_answered["answered"],
            "supervision_rechecks": rechecks.get(pk, {}).get("n", 0),
            "supervision_topics_active": topics.get(pk, {}).get("n", 0),
            "appraisals": appraisals.get(pk, {}).get("n", 0),
        }
    return figures
