"""The demo county's supervision: exact counts, states, ledger, figures; idempotent."""

from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import override_settings
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from zhengxie.core.models import DutyRecord, Recommendation, Share
from zhengxie.demo.county import seed_demo
from zhengxie.demo.supervision import seed_demo_supervision
from zhengxie.organisation.models import Committee
from zhengxie.supervision.models import (
    Appraisal,
    AppraisalScore,
    GroupMember,
    Recheck,
    SupervisionGroup,
    SupervisionLetter,
    SupervisionTopic,
)
from zhengxie.supervision.stats import supervision_figures

pytestmark = pytest.mark.django_db


@override_settings(ZHENGXIE_DEMO=True)
def test_seed_demo_supervision():
    seed_demo(proposals=False, opinions=False, meetings=False)
    created = Counter()
    with scopes_disabled():
        county = Committee.objects.get(code="330000-DEMO-01")
        city = Committee.objects.get(code="330000-DEMO-00")
        seed_demo_supervision(county=county, created=created)
        assert created == Counter(
            supervisiontopic=1,
            share=1,
            supervisiongroup=5,
            groupmember=19,
            supervisionletter=3,
            recommendation=7,
            dutyrecord=12,
            recheck=1,
            appraisal=1,
            appraisalscore=10,
        )
        year = timezone.localdate().year
        groups = SupervisionGroup.objects.filter(committee=county, year=year)
        assert groups.count() == 5
        sizes = sorted(Counter(GroupMember.objects.values_list("group_id", flat=True)).values())
        assert sizes == [3, 3, 4, 4, 5]
        assert Counter(
            SupervisionLetter.objects.filter(committee=county).values_list("state", flat=True)
        ) == Counter({"answered": 2, "rechecked": 1})
        assert Recheck.objects.get().with_inspection_office is True
        assert DutyRecord.objects.filter(committee=county, kind="supervision").count() == 12
        letter_type = ContentType.objects.get_for_model(SupervisionLetter)
        assert Recommendation.objects.filter(source_type=letter_type).count() == 7
        topic = SupervisionTopic.objects.get()
        assert (topic.starts_year, topic.ends_year) == (year - 1, year + 1)
        assert Share.objects.filter(committee=city, object_id=topic.pk, kind="joint").count() == 1
        assert groups.filter(topic=topic).count() == 1
        assert Appraisal.objects.filter(committee=county).count() == 1
        assert AppraisalScore.objects.filter(committee=county).count() == 10
        assert Counter(AppraisalScore.objects.values_list("grade", flat=True)) == Counter(
            {"excellent": 3, "good": 4, "fair": 2, "poor": 1}
        )
        member_groups = groups.filter(group_members__membership__person__user__username="member")
        assert member_groups.count() == 1

    with scope(committee=city):
        assert list(SupervisionTopic.objects.all()) == [topic]
    with scope(committee=county):
        figures = supervision_figures(committee=county, year=year)
    assert figures["supervision_groups"] == 5
    assert figures["supervision_topics_active"] == 1
    assert figures["appraisals"] == 1

    again = Counter()
    with scopes_disabled():
        seed_demo_supervision(county=county, created=again)
        assert again == Counter()
        assert SupervisionGroup.objects.count() == 5
