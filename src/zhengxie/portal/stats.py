"""Figures of the portal app (门户与宣传) for one period (/work/shared/figures.md).

- ``media_news_items``: media reports about the committee by county or city media, published
  (``published_on``) in the period.
- ``higher_media_reports``: media reports by provincial or national (中央) media, published in
  the period.
- ``portal_news_items``: news items first published on the committee's own portal in the period
  (by ``first_published_at``, Asia/Shanghai date). An item withdrawn later still counts: it was
  carried; republishing it does not count it again.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from zhengxie.core.periods import dates_between, moments_between, period_bounds
from zhengxie.core.scoping import scopes_disabled
from zhengxie.portal.models import (
    HIGHER_MEDIA_LEVELS,
    LOCAL_MEDIA_LEVELS,
    MediaLevel,
    MediaReport,
    NewsItem,
)

FIGURE_LABELS = {
    "media_news_items": gettext_lazy("县市媒体刊发报道"),
    "higher_media_reports": gettext_lazy("省级以上媒体报道"),
    "portal_news_items": gettext_lazy("门户网站发布新闻"),
}


def media_by_level(*, committee, first, last) -> dict:
    """{level: reports published in [first, last]} for every media level."""
    rows = (
        MediaReport.objects.filter(dates_between("published_on", first, last), committee=committee)
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
    )
    counts = dict(rows)
    return {level: counts.get(level, 0) for level in MediaLevel.values}


def publicity_figures(*, committee, year=None, session=None, term=None) -> dict:
    return publicity_figures_for(committees=[committee], year=year, session=session, term=term)[
        committee.pk
    ]


def publicity_figures_for(*, committees, year=None, session=None, term=None) -> dict:
    """``publicity_figures`` of several committees at once ({committee id: figures}), two
    queries grouped by committee. A session or term belongs to one committee, so with one of
    those ``committees`` holds that committee only."""
    ids = [c.pk for c in committees]
    first, last = period_bounds(session=session, year=year, term=term)
    figures = {
        pk: dict.fromkeys(("media_news_items", "higher_media_reports", "portal_news_items"), 0)
        for pk in ids
    }
    with scopes_disabled():
        media = (
            MediaReport.objects.filter(
                dates_between("published_on", first, last), committee_id__in=ids
            )
            .order_by()
            .values("committee_id")
            .annotate(
                local=Count("pk", filter=Q(level__in=LOCAL_MEDIA_LEVELS)),
                higher=Count("pk", filter=Q(level__in=HIGHER_MEDIA_LEVELS)),
            )
        )
        for row in media:
            figures[row["committee_id"]]["media_news_items"] = row["local"]
            figures[row["committee_id"]]["higher_media_reports"] = row["higher"]
        news = (
            NewsItem.objects.filter(
                moments_between("first_published_at", first, last), committee_id__in=ids
            )
            .order_by()
            .values("committee_id")
            .annotate(n=Count("pk"))
        )
        for row in news:
            figures[row["committee_id"]]["portal_news_items"] = row["n"]
    return figures
