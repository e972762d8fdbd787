"""The demo year of meetings: planned, notified, held and closed through the services."""

import pytest
from django_scopes import scopes_disabled

from zhengxie.core.models import DutyRecord
from zhengxie.demo.county import seed_demo
from zhengxie.meetings.models import Invitation, Meeting, MeetingHistory
from zhengxie.organisation.models import Committee

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(settings):
    settings.ZHENGXIE_DEMO = True
    seed_demo(proposals=False, opinions=False)
    with scopes_disabled():
        return Committee.objects.get(code="330000-DEMO-01")


def test_the_demo_year_of_meetings(county):
    with scopes_disabled():
        kinds = sorted(
            Meeting.objects.filter(committee=county, state="closed").values_list(
                "category", flat=True
            )
        )
        assert kinds.count("plenary") == 1
        assert kinds.count("standing") == 3
        assert kinds.count("chairs") == 10
        assert kinds.count("special_committee") == 2
        upcoming = Meeting.objects.get(committee=county, state="notified")
        assert upcoming.invitations.filter(membership__person__user__username="member").exists()
        held = Invitation.objects.filter(meeting__committee=county, meeting__state="closed")
        ledger = DutyRecord.objects.filter(committee=county, kind="attendance")
        assert ledger.count() == held.count()
        assert set(held.values_list("state", flat=True)) == {
            "signed_in",
            "leave_approved",
            "absent",
        }
        assert MeetingHistory.objects.filter(action="close").count() == 16


def test_a_second_run_adds_no_meetings(county):
    with scopes_disabled():
        before = (Meeting.objects.count(), Invitation.objects.count(), DutyRecord.objects.count())
    seed_demo(proposals=False, opinions=False)
    with scopes_disabled():
        after = (Meeting.objects.count(), Invitation.objects.count(), DutyRecord.objects.count())
    assert after == before
