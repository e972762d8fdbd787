"""The demo county's places: exact counts, figures, and a second run creates nothing."""

from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.utils import timezone
from django_scopes import scopes_disabled

from zhengxie.core.models import DutyRecord, ModerationItem, Recommendation
from zhengxie.demo.county import seed_demo
from zhengxie.demo.places import seed_demo_places
from zhengxie.opinions.models import OpinionReport
from zhengxie.organisation.models import Committee
from zhengxie.places.models import DutyShift, ReceptionRoom, ResidentIssue, ShiftMember, Visit
from zhengxie.places.stats import place_figures
from zhengxie.proposals.models import Proposal

pytestmark = pytest.mark.django_db


@override_settings(ZHENGXIE_DEMO=True)
def test_seed_demo_places():
    seed_demo(proposals=False, opinions=False, meetings=False)
    created = Counter()
    with scopes_disabled():
        county = Committee.objects.get(code="330000-DEMO-01")
        seed_demo_places(county=county, created=created)
        assert {k: v for k, v in created.items() if k.startswith("place")} == {
            "place_room": 9,
            "place_shift": 104,
            "place_duty_served": 176,
            "place_visit": 30,
            "place_issue": 60,
            "place_issue_on_spot": 14,
            "place_issue_to_unit": 14,
            "place_issue_to_opinion": 14,
            "place_issue_to_proposal": 14,
            "place_message": 3,
        }
        rooms = ReceptionRoom.objects.filter(committee=county)
        assert Counter(rooms.values_list("level", "state")) == Counter(
            {
                ("county", "in_use"): 1,
                ("township", "in_use"): 4,
                ("village", "in_use"): 3,
                ("village", "setting_up"): 1,
            }
        )
        assert DutyShift.objects.filter(committee=county).count() == 104
        assert ShiftMember.objects.filter(committee=county, served=True).count() == 176
        assert DutyRecord.objects.filter(committee=county, kind="reception").count() == 176
        assert Visit.objects.filter(committee=county).count() == 30
        issues = ResidentIssue.objects.filter(committee=county)
        assert Counter(issues.values_list("state", flat=True)) == Counter(
            {"pending": 4, "on_spot": 14, "to_unit": 14, "to_opinion": 14, "to_proposal": 14}
        )
        assert (
            OpinionReport.objects.filter(
                committee=county, resident_issue__isnull=False, state="draft"
            ).count()
            == 14
        )
        assert (
            Proposal.objects.filter(
                committee=county, resident_issue__isnull=False, state="draft"
            ).count()
            == 14
        )
        recs = Recommendation.objects.filter(
            committee=county, source_type=ContentType.objects.get_for_model(ResidentIssue)
        )
        assert Counter(recs.values_list("state", flat=True)) == Counter({"open": 7, "answered": 7})
        messages = ModerationItem.objects.filter(
            committee=county, target_type=ContentType.objects.get_for_model(ReceptionRoom)
        )
        assert list(messages.values_list("state", flat=True)) == ["pending"] * 3
        today = timezone.localdate()
        assert ShiftMember.objects.filter(
            membership__person__user__username="member", shift__date__gt=today
        ).exists()

        figures = place_figures(committee=county, year=today.year)
        assert (
            figures["reception_rooms"],
            figures["reception_rooms_by_level"],
            figures["public_messages"],
        ) == (8, {"county": 1, "township": 4, "village": 3}, 3)

        again = Counter()
        seed_demo_places(county=county, created=again)
        assert again == Counter()
