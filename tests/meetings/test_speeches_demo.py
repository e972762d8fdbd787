"""The demo's plenary speeches: exact counts, an ordered oral list, ledger rows, idempotent."""

from collections import Counter

import pytest
from django_scopes import scopes_disabled

from zhengxie.core.models import DutyRecord
from zhengxie.demo.county import COUNTY, seed_demo
from zhengxie.demo.speeches import seed_demo_speeches
from zhengxie.meetings.models import Speech
from zhengxie.organisation.models import Committee


@pytest.mark.django_db
def test_the_demo_county_gets_its_speeches_once(settings):
    settings.ZHENGXIE_DEMO = True
    seed_demo(proposals=False, opinions=False, meetings=False)
    with scopes_disabled():
        county = Committee.objects.get(code=COUNTY["code"])
        created = Counter()
        seed_demo_speeches(county=county, created=created)
        assert created["speech"] == 25
        speeches = Speech.objects.filter(committee=county)
        assert Counter(speeches.values_list("state", flat=True)) == {
            "oral": 8,
            "written": 12,
            "not_used": 2,
            "submitted": 3,
        }
        assert {s.session.name for s in speeches} == {"十届五次会议"}
        assert sorted(speeches.filter(state="oral").values_list("order", flat=True)) == list(
            range(1, 9)
        )
        assert speeches.filter(membership__isnull=True).count() == 3
        member_speech = speeches.get(membership__person__user__username="member")
        assert member_speech.state == "submitted"
        ledger = Counter(
            DutyRecord.objects.filter(committee=county, kind="speech").values_list(
                "sub_kind", "weight"
            )
        )
        # The party groups' speeches (2 oral, 1 written) credit nobody.
        assert Counter(
            speeches.filter(membership__isnull=True).values_list("state", flat=True)
        ) == {"oral": 2, "written": 1}
        assert ledger == {("submitted", 1): 22, ("oral", 1): 6, ("written", 1): 11}
        again = Counter()
        seed_demo_speeches(county=county, created=again)
        assert again == Counter()
        assert Speech.objects.filter(committee=county).count() == 25
