"""The demo county's study work: exact counts, figures, and a second run creates nothing."""

import datetime
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum
from django.test import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled

from zhengxie.core.models import DutyRecord
from zhengxie.demo.county import seed_demo
from zhengxie.demo.study import seed_demo_study
from zhengxie.organisation.models import Committee
from zhengxie.study.models import (
    Attendance,
    Distribution,
    ReadingGroup,
    ReadingSession,
    StudyMaterial,
    StudyPlan,
    StudySession,
)
from zhengxie.study.stats import study_figures

pytestmark = pytest.mark.django_db


@override_settings(ZHENGXIE_DEMO=True)
def test_seed_demo_study():
    seed_demo(proposals=False, opinions=False, meetings=False)
    created = Counter()
    with scopes_disabled():
        county = Committee.objects.get(code="330000-DEMO-01")
        seed_demo_study(county=county, created=created)
        plan = StudyPlan.objects.get(committee=county)
        assert (plan.state, plan.items.count()) == ("published", 8)
        sessions = StudySession.objects.filter(committee=county)
        assert Counter(sessions.values_list("kind", "state")) == Counter(
            {
                ("study", "closed"): 3,
                ("training", "closed"): 1,
                ("training", "held"): 1,
                ("training", "planned"): 1,
            }
        )
        assert Attendance.objects.filter(committee=county).count() == created["study_attendance"]
        member_rows = Attendance.objects.filter(
            session__committee=county, membership__person__user__username="member"
        )
        assert member_rows.count() == 6
        assert StudyMaterial.objects.filter(committee=county).count() == 5
        copies = Distribution.objects.filter(committee=county).aggregate(n=Sum("copies"))["n"]
        assert (Distribution.objects.filter(committee=county).count(), copies) == (12, 670)
        assert ReadingGroup.objects.filter(committee=county).count() == 2
        reading = ReadingSession.objects.filter(committee=county)
        assert Counter(reading.values_list("state", flat=True)) == Counter(
            {"closed": 4, "planned": 1}
        )
        ledger = DutyRecord.objects.filter(committee=county, kind="study")
        assert ledger.count() == created["study_ledger"]
        assert set(ledger.values_list("weight", flat=True)) == {1}
        assert (
            ledger.filter(
                membership__person__user__username="member",
                source_type=ContentType.objects.get_for_model(StudySession),
            ).count()
            == 4
        )
        assert {k: created[k] for k in ("study_plan_item", "study_session", "study_material")} == {
            "study_plan_item": 8,
            "study_session": 6,
            "study_material": 5,
        }

        again = Counter()
        seed_demo_study(county=county, created=again)
        assert again == Counter()
        assert StudySession.objects.filter(committee=county).count() == 6
        today = timezone.localdate()
        figures = study_figures(committee=county, year=today.year)
    assert (figures["plan_items"], figures["training_materials"] <= 670) == (8, True)
    if (today - datetime.timedelta(days=200)).year == today.year:  # every dated event this year
        assert figures == {
            "study_sessions": 3,
            "trainings": 2,
            "study_attendances": figures["study_attendances"],
            "training_materials": 670,
            "reading_sessions": 4,
            "plan_items": 8,
            "plan_items_held": 6,
        }
        with scopes_disabled():
            closed_or_held = Attendance.objects.filter(
                committee=county, session__state__in=("held", "closed"), state="attended"
            )
            assert figures["study_attendances"] == closed_or_held.count()
