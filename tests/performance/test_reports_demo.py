"""The demo seeder of the dossier part: this year's table, a report for every standing member
(5 submitted, 3 scheduled at the upcoming standing-committee meeting, 2 assessed) and 20
submitted political checks; a second run adds nothing."""

from collections import Counter

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from zhengxie.demo.county import seed_demo
from zhengxie.demo.performance import seed_demo_performance
from zhengxie.organisation.models import Committee
from zhengxie.organisation.queries import members_by_audience
from zhengxie.performance.models import DutyReport, PointTable, PoliticalCheck


@pytest.mark.django_db(transaction=False)
def test_the_demo_seeds_reports_and_checks(settings):
    settings.ZHENGXIE_DEMO = True
    created, _logins = seed_demo(proposals=False, opinions=False)  # performance included
    with scopes_disabled():
        county = Committee.objects.get(code="330000-DEMO-01")
        year = timezone.localdate().year
        standing = members_by_audience(committee=county, by="standing").count()
        assert standing > 10
        states = Counter(
            DutyReport.objects.filter(committee=county, year=year).values_list("state", flat=True)
        )
        assert states == {
            "assigned": standing - 10,
            "submitted": 5,
            "scheduled": 3,
            "assessed": 2,
        }
        scheduled = DutyReport.objects.filter(committee=county, state__in=["scheduled", "assessed"])
        meetings = {(r.meeting.category, r.meeting.state) for r in scheduled}
        assert meetings == {("standing", "notified")}
        assert (
            PoliticalCheck.objects.filter(
                committee=county, year=year, submitted_at__isnull=False
            ).count()
            == 20
        )
        assert PointTable.objects.filter(committee=county, year=year).count() == 1
        assert (created["dutyreport"], created["politicalcheck"]) == (standing, 20)
        again = Counter()
        seed_demo_performance(county=county, created=again)
        assert again == Counter()
        assert DutyReport.objects.filter(committee=county).count() == standing
