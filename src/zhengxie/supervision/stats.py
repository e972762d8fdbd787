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

All counts are aggregate queries of the committee's own rows (inside the active scope).
"""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhengxie.core.periods import dates_between, period_bounds
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
    first, last, first_year, last_year = period_years(year=year, session=session, term=term)
    in_years = Q(year__gte=first_year, year__lte=last_year)
    letters = SupervisionLetter.objects.filter(committee=committee).order_by()
    return {
        "supervision_groups": SupervisionGroup.objects.filter(in_years, committee=committee)
        .order_by()
        .count(),
        "supervision_recommendations_sent": letters.filter(
            dates_between("sent_on", first, last)
        ).count(),
        "supervision_recommendations_answered": letters.filter(
            dates_between("answered_on", first, last)
        ).count(),
        "supervision_rechecks": Recheck.objects.filter(
            dates_between("checked_on", first, last), committee=committee
        )
        .order_by()
        .count(),
        "supervision_topics_active": SupervisionTopic.objects.filter(
            Q(ends_year__isnull=True) | Q(ends_year__gte=first_year),
            committee=committee,
            starts_year__lte=last_year,
        )
        .order_by()
        .count(),
        "appraisals": Appraisal.objects.filter(in_years, committee=committee).order_by().count(),
    }
