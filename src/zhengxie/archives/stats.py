"""Figures of the archives app (文史资料) for one committee and one period
(/work/shared/figures.md).

- ``archive_volumes``: volumes published (已出版) whose ``published_on`` lies in the period.
- ``periodical_issues``: issues of the committee's periodicals whose ``published_on`` lies in
  the period.
- ``archive_materials``: materials accepted (已采用) whose ``received_on`` lies in the period;
  ``archive_words`` / ``archive_images``: the sums of their word counts / image counts.
- ``archive_contributors``: distinct contributors of those materials — a member counts once
  as a person (whatever their seat), an outside contributor once per name and phone.

The queries filter by committee explicitly, so the function answers the same in the
committee's own scope, an aggregate scope or with scopes disabled (``period_bounds`` needs a
scope for sessions and terms).
"""

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy

from zhengxie.archives.models import (
    Material,
    MaterialState,
    PeriodicalIssue,
    Volume,
    VolumeState,
)
from zhengxie.core.grouping import by_committee
from zhengxie.core.periods import dates_between, period_bounds

FIGURE_LABELS = {
    "archive_volumes": gettext_lazy("出版文史资料(辑)"),
    "periodical_issues": gettext_lazy("编印刊物(期)"),
    "archive_materials": gettext_lazy("采用史料(件)"),
    "archive_words": gettext_lazy("征集文字(字)"),
    "archive_images": gettext_lazy("征集图片(张)"),
    "archive_contributors": gettext_lazy("史料提供人"),
}


def _contributors(materials):
    """{committee id: distinct contributors} — a member once as a person, an outsider once per
    name and phone."""
    people = {}
    for committee_id, person_id, name, phone in materials.values_list(
        "committee_id", "membership__person_id", "contributor_name", "contributor_phone"
    ):
        who = ("member", person_id) if person_id else ("outside", name.strip(), phone)
        people.setdefault(committee_id, set()).add(who)
    return {committee_id: len(who) for committee_id, who in people.items()}


def archive_figures(*, committee, year=None, session=None, term=None) -> dict:
    """The archive figures of ``committee`` for exactly one period (see the module doc)."""
    return archive_figures_for(committees=[committee], year=year, session=session, term=term)[
        committee.pk
    ]


def archive_figures_for(*, committees, year=None, session=None, term=None) -> dict:
    """``archive_figures`` of several committees in one set of grouped queries ({committee id:
    figures}); a session or term belongs to one committee, so then ``committees`` holds it only."""
    ids = [c.pk for c in committees]
    first, last = period_bounds(year=year, session=session, term=term)
    materials = Material._base_manager.filter(
        dates_between("received_on", first, last),
        committee_id__in=ids,
        state=MaterialState.ACCEPTED,
    ).order_by()
    totals = by_committee(
        materials, n=Count("pk"), words=Sum("word_count"), images=Sum("image_count")
    )
    volumes = by_committee(
        Volume._base_manager.filter(
            dates_between("published_on", first, last),
            committee_id__in=ids,
            state=VolumeState.PUBLISHED,
        ),
        n=Count("pk"),
    )
    issues = by_committee(
        PeriodicalIssue._base_manager.filter(
            dates_between("published_on", first, last), committee_id__in=ids
        ),
        n=Count("pk"),
    )
    contributors = _contributors(materials)
    results = {}
    for pk in ids:
        total = totals.get(pk, {})
        results[pk] = {
            "archive_volumes": volumes.get(pk, {}).get("n", 0),
            "periodical_issues": issues.get(pk, {}).get("n", 0),
            "archive_words": total.get("words") or 0,
            "archive_images": total.get("images") or 0,
            "archive_materials": total.get("n", 0),
            "archive_contributors": contributors.get(pk, 0),
        }
    return results
