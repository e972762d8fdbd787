"""The demo county's 文史资料: exact counts, totals, figures, and a second run creates nothing."""

import datetime
from collections import Counter

import pytest
from django.test import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled

from zhengxie.archives.models import Campaign, Material, PeriodicalIssue, Volume
from zhengxie.archives.queries import volume_totals
from zhengxie.archives.stats import archive_figures
from zhengxie.core.models import DutyRecord
from zhengxie.demo.archives import ISSUE_MONTHS, MATERIALS, seed_demo_archives
from zhengxie.demo.county import seed_demo
from zhengxie.organisation.models import Committee

pytestmark = pytest.mark.django_db


@override_settings(ZHENGXIE_DEMO=True)
def test_seed_demo_archives():
    seed_demo(proposals=False, opinions=False, meetings=False)
    today = timezone.localdate()
    this_year = sum(datetime.date(today.year, m, 20) <= today for m in ISSUE_MONTHS) or 1
    created = Counter()
    with scopes_disabled():
        county = Committee.objects.get(code="330000-DEMO-01")
        seed_demo_archives(county=county, created=created)
        assert {k: v for k, v in created.items() if k.startswith("archive")} == {
            "archive_campaign": 2,
            "archive_material": 20,
            "archive_volume": 2,
            "archive_chapter": 6,
            "archive_volume_published": 1,
            "archive_issue": 6 + this_year,
        }
        assert dict(Campaign.objects.filter(committee=county).values_list("theme", "state")) == {
            "示范县茶业百年": "closed",
            "百年老街记忆": "open",
        }
        materials = Material.objects.filter(committee=county)
        assert Counter(materials.values_list("state", flat=True)) == Counter(
            {"accepted": 16, "submitted": 3, "returned": 1}
        )
        assert materials.get(title="老街百年影像").image_count == 300
        mine = materials.filter(membership__person__user__username="member")
        assert sorted(mine.values_list("title", "submitted_by__username")) == [
            ("我记忆中的老街电影院", "member"),
            ("老街商号一览(1930—1956)", "member"),
        ]
        volumes = {v.title: v for v in Volume.objects.filter(committee=county)}
        assert {t: v.state for t, v in volumes.items()} == {
            "茶乡记忆": "published",
            "百年老街": "editing",
        }
        assert volume_totals(volumes["茶乡记忆"]) == {
            "materials": 6,
            "word_count": 32000,
            "image_count": 137,
        }
        assert volume_totals(volumes["百年老街"]) == {
            "materials": 8,
            "word_count": 32200,
            "image_count": 390,
        }
        ledger = DutyRecord.objects.filter(committee=county, kind="archive")
        assert Counter(ledger.values_list("sub_kind", flat=True)) == Counter(
            {"contributed": 10, "published": 3}
        )
        assert (
            PeriodicalIssue.objects.filter(committee=county, year=today.year).count() == this_year
        )

        accepted = [
            row
            for row in MATERIALS
            if row[9] == "accepted" and (today - datetime.timedelta(days=row[7])).year == today.year
        ]
        figures = archive_figures(committee=county, year=today.year)
        assert figures == {
            "archive_volumes": int((today - datetime.timedelta(days=45)).year == today.year),
            "periodical_issues": this_year,
            "archive_words": sum(row[3] for row in accepted),
            "archive_images": sum(row[4] for row in accepted),
            "archive_materials": len(accepted),
            "archive_contributors": len({row[6] for row in accepted}),
        }

        again = Counter()
        seed_demo_archives(county=county, created=again)
        assert again == Counter()
