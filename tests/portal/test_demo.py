"""The demo county's portal: exact counts, what the public sees, and a second run creates
nothing."""

from collections import Counter

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from zhengxie.demo.county import seed_demo
from zhengxie.demo.portal import seed_demo_portal
from zhengxie.organisation.models import Committee
from zhengxie.portal.models import (
    CommitteeProfile,
    MediaReport,
    NewsHistory,
    NewsImage,
    NewsItem,
    PublicProfile,
)
from zhengxie.portal.stats import publicity_figures

pytestmark = pytest.mark.django_db


@override_settings(ZHENGXIE_DEMO=True)
def test_seed_demo_portal():
    seed_demo(proposals=False, opinions=False, meetings=False)
    created = Counter()
    with scopes_disabled():
        county = Committee.objects.get(code="330000-DEMO-01")
        seed_demo_portal(county=county, created=created)
        assert {k: v for k, v in created.items() if k.startswith("portal")} == {
            "portal_profile": 1,
            "portal_news": 10,
            "portal_news_image": 10,
            "portal_news_published": 8,
            "portal_public_profile": 15,
            "portal_public_photo": 6,
            "portal_media_report": 30,
        }
        assert CommitteeProfile.objects.filter(committee=county).count() == 1
        news = NewsItem.objects.filter(committee=county)
        assert Counter(news.values_list("state", flat=True)) == Counter(
            {"published": 8, "in_review": 1, "draft": 1}
        )
        draft = news.get(state="draft")
        assert list(NewsHistory.objects.filter(subject=draft).values_list("action", "note")) == [
            ("submit", ""),
            ("return", "请补充活动照片,并核实文中参会人数。"),
        ]
        assert NewsImage.objects.filter(committee=county, is_cover=True).count() == 8
        profiles = PublicProfile.objects.filter(committee=county, consent_given_at__isnull=False)
        assert profiles.count() == 15
        assert not profiles.filter(membership__person__user__username="member").exists()
        reports = MediaReport.objects.filter(committee=county)
        assert Counter(reports.values_list("level", flat=True)) == Counter(
            {"county": 14, "city": 9, "province": 5, "national": 2}
        )
        year = timezone.localdate().year
        assert set(reports.values_list("published_on__year", flat=True)) == {year}
        figures = publicity_figures(committee=county, year=year)
        assert (figures["media_news_items"], figures["higher_media_reports"]) == (23, 7)

        again = Counter()
        seed_demo_portal(county=county, created=again)
        assert again == Counter()

    client = Client()
    home = client.get(reverse("portal:public_home", args=[county.code]))
    assert home.status_code == 200
    assert len(home.context["news"]) == 6
    members = client.get(reverse("portal:public_members", args=[county.code]))
    assert len(members.context["profiles"]) == 15
    with scope(committee=county):
        cover = NewsImage.objects.filter(is_cover=True).first()
    image = client.get(reverse("portal:public_image", args=[county.code, cover.attachment_id]))
    assert (image.status_code, image["Content-Type"]) == (200, "image/png")
