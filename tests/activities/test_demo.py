"""The demo county's activities: exact counts, figures, and a second run creates nothing."""

from collections import Counter

import pytest
from django.test import override_settings
from django_scopes import scope, scopes_disabled

from zhengxie.activities.models import Activity, ActivityReport, Participation, Plan, PlanItem
from zhengxie.activities.stats import activity_figures
from zhengxie.core.models import DutyRecord, Recommendation, Share
from zhengxie.demo.activities import seed_demo_activities
from zhengxie.demo.county import seed_demo
from zhengxie.organisation.models import Committee

pytestmark = pytest.mark.django_db
KEYS = (
    "activity_plan",
    "activity_planitem",
    "activity",
    "activityreport",
    "activity_recommendation",
    "activity_share",
    "activity_participation",
)


@override_settings(ZHENGXIE_DEMO=True)
def test_seed_demo_activities():
    seed_demo(proposals=False, opinions=False, meetings=False)
    created = Counter()
    with scopes_disabled():
        county = Committee.objects.get(code="330000-DEMO-01")
        city = Committee.objects.get(code="330000-DEMO-00")
        seed_demo_activities(county=county, created=created)
        assert [created[k] for k in KEYS] == [2, 12, 12, 3, 6, 1, 67]
        activities = Activity.objects.filter(committee=county)
        assert Counter(activities.values_list("category", flat=True)) == Counter(
            {"inspection": 4, "research": 5, "sector": 1, "other": 2}
        )
        assert Counter(activities.values_list("state", flat=True)) == Counter(
            {"held": 9, "open": 1, "planned": 1, "cancelled": 1}
        )
        assert Plan.objects.filter(committee=county).count() == 2
        assert PlanItem.objects.filter(committee=county).count() == 12
        assert ActivityReport.objects.filter(committee=county).count() == 3
        assert Recommendation.objects.filter(committee=county).count() == 6
        assert Share.objects.filter(committee=city).count() == 1
        assert Participation.objects.filter(committee=city).count() == 3
        assert DutyRecord.objects.filter(committee=city, kind="inspection").count() == 3
        again = Counter()
        seed_demo_activities(county=county, created=again)
        assert again == Counter()
        assert Activity.objects.filter(committee=county).count() == 12
        county_term = county.terms.get(number=10)
        city_term = city.terms.order_by("-starts_on").first()
    with scope(committee=county):  # periods are resolved in the committee's scope
        figures = activity_figures(committee=county, term=county_term)
    with scope(committee=city):
        city_figures = activity_figures(committee=city, term=city_term)
    assert figures == {
        "inspections": 3,
        "research_activities": 4,
        "research_reports": 2,
        "sector_activities": 1,
        "activities_total": 9,
        "activity_participations": 52,
        "plan_items": 12,
        "plan_items_held": 7,
    }
    assert city_figures == {
        "inspections": 1,
        "research_activities": 0,
        "research_reports": 0,
        "sector_activities": 0,
        "activities_total": 1,
        "activity_participations": 3,
        "plan_items": 0,
        "plan_items_held": 0,
    }
