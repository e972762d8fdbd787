import datetime
import zoneinfo

from tests.factories import SessionFactory
from zhengxie.portal import services
from zhengxie.portal.models import MediaReport, NewsItem
from zhengxie.portal.stats import publicity_figures

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _reports(portal, *rows):
    for n, (level, day) in enumerate(rows):
        MediaReport.objects.create(
            committee=portal.committee,
            outlet="媒体",
            level=level,
            published_on=day,
            title=f"报道{n}",
        )


def _first_published(news, moment):
    NewsItem.objects.filter(pk=news.pk).update(first_published_at=moment, published_at=moment)


def test_publicity_figures_count_media_by_level_and_portal_news_by_first_publication(portal):
    d = datetime.date
    _reports(
        portal,
        ("county", d(2025, 1, 1)),
        ("city", d(2025, 6, 30)),
        ("city", d(2025, 12, 31)),
        ("province", d(2025, 3, 3)),
        ("national", d(2025, 4, 4)),
        ("county", d(2024, 12, 31)),
        ("national", d(2026, 1, 1)),
    )
    published = portal.published(title="已发布")
    _first_published(published, datetime.datetime(2025, 5, 1, 9, tzinfo=SHANGHAI))
    withdrawn = portal.published(title="后撤回")
    services.news_act(actor=portal.staff, news=withdrawn, action="withdraw", note="更正")
    _first_published(withdrawn, datetime.datetime(2025, 7, 1, 9, tzinfo=SHANGHAI))
    # 00:30 on New Year's Day in Shanghai is still the old year in UTC: counted in 2026.
    new_year = portal.published(title="元旦发布")
    _first_published(new_year, datetime.datetime(2026, 1, 1, 0, 30, tzinfo=SHANGHAI))
    portal.in_review(title="待审核")
    portal.draft(title="草稿")

    assert publicity_figures(committee=portal.committee, year=2025) == {
        "media_news_items": 3,
        "higher_media_reports": 2,
        "portal_news_items": 2,
    }
    assert publicity_figures(committee=portal.committee, year=2026) == {
        "media_news_items": 0,
        "higher_media_reports": 1,
        "portal_news_items": 1,
    }


def test_republishing_does_not_count_an_item_again(portal):
    news = portal.published()
    _first_published(news, datetime.datetime(2025, 5, 1, 9, tzinfo=SHANGHAI))
    services.news_act(actor=portal.staff, news=news, action="withdraw", note="更正")
    services.news_act(actor=portal.staff, news=news, action="revise")
    services.news_act(actor=portal.staff, news=news, action="submit")
    services.news_act(actor=portal.reviewer, news=news, action="approve")
    news.refresh_from_db()
    assert news.first_published_at == datetime.datetime(2025, 5, 1, 9, tzinfo=SHANGHAI)
    assert publicity_figures(committee=portal.committee, year=2025)["portal_news_items"] == 1
    this_year = news.published_at.astimezone(SHANGHAI).year
    if this_year != 2025:
        assert (
            publicity_figures(committee=portal.committee, year=this_year)["portal_news_items"] == 0
        )


def test_a_session_runs_from_its_opening_to_the_day_before_the_next(portal, term):
    first = SessionFactory(
        committee=portal.committee,
        term=term,
        opens_on=datetime.date(2025, 2, 17),
        closes_on=datetime.date(2025, 2, 20),
    )
    SessionFactory(
        committee=portal.committee,
        term=term,
        opens_on=datetime.date(2026, 1, 12),
        closes_on=datetime.date(2026, 1, 15),
    )
    _reports(
        portal,
        ("county", datetime.date(2025, 2, 16)),
        ("county", datetime.date(2025, 2, 17)),
        ("province", datetime.date(2026, 1, 11)),
        ("province", datetime.date(2026, 1, 12)),
    )
    assert publicity_figures(committee=portal.committee, session=first) == {
        "media_news_items": 1,
        "higher_media_reports": 1,
        "portal_news_items": 0,
    }


def test_figures_ignore_another_committees_records(portal, other_committee):
    from django_scopes import scopes_disabled

    with scopes_disabled():
        MediaReport.objects.create(
            committee=other_committee,
            outlet="外县媒体",
            level="county",
            published_on=datetime.date(2025, 5, 5),
            title="外县报道",
        )
        # Aggregates run unscoped too: the explicit committee filter must hold alone.
        assert publicity_figures(committee=portal.committee, year=2025)["media_news_items"] == 0
        assert publicity_figures(committee=other_committee, year=2025)["media_news_items"] == 1


def test_the_batch_gives_each_committee_its_own_figures(portal, other_committee):
    from django_scopes import scopes_disabled

    from zhengxie.portal.stats import publicity_figures_for

    _reports(portal, ("city", datetime.date(2025, 5, 5)), ("national", datetime.date(2025, 6, 6)))
    with scopes_disabled():
        MediaReport.objects.create(
            committee=other_committee,
            outlet="外县媒体",
            level="county",
            published_on=datetime.date(2025, 5, 5),
            title="外县报道",
        )
    news = portal.published()
    _first_published(news, datetime.datetime(2025, 5, 1, 9, tzinfo=SHANGHAI))
    assert publicity_figures_for(committees=[portal.committee, other_committee], year=2025) == {
        portal.committee.pk: {
            "media_news_items": 1,
            "higher_media_reports": 1,
            "portal_news_items": 1,
        },
        other_committee.pk: {
            "media_news_items": 1,
            "higher_media_reports": 0,
            "portal_news_items": 0,
        },
    }
