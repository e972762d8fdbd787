import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope, scopes_disabled

from tests.factories import CommitteeFactory, HandlingUnitFactory, SessionFactory
from tests.supervision.conftest import SENT
from zhengxie.supervision import services
from zhengxie.supervision.models import (
    Appraisal,
    Recheck,
    SupervisionGroup,
    SupervisionLetter,
    SupervisionTopic,
)
from zhengxie.supervision.stats import supervision_figures, supervision_figures_for


def _letter(group, staff, title):
    return services.letter_create(actor=staff, group=group, data={"title": title, "text": "正文"})


def test_figures_of_a_year_count_exactly(county, staff, units, members, make_group):
    g1 = make_group()
    g2 = make_group(unit=units[1][1], name="第二组", others=[])
    make_group(unit=units[2][1], name="去年的组", year=2025, others=[])
    answered = _letter(g1, staff, "已答复的")
    rechecked = _letter(g2, staff, "已回头看的")
    _letter(g1, staff, "草稿")
    sent_last_year = _letter(g2, staff, "去年送达的")
    services.letter_send(actor=staff, letter=answered, sent_on=SENT)
    services.letter_send(actor=staff, letter=rechecked, sent_on=SENT)
    services.letter_send(actor=staff, letter=sent_last_year, sent_on=datetime.date(2025, 12, 30))
    services.letter_answer(
        actor=units[0][0], letter=answered, text="答复", answered_on=datetime.date(2026, 5, 1)
    )
    services.letter_answer(
        actor=units[1][0], letter=rechecked, text="答复", answered_on=datetime.date(2026, 5, 2)
    )
    services.letter_recheck(
        actor=staff,
        letter=rechecked,
        data={
            "checked_on": datetime.date(2026, 9, 1),
            "participants": "李明",
            "findings": "已落实",
            "rating": "implemented",
        },
    )
    committee = county.committee
    for title, starts, ends in (
        ("多年专题", 2024, None),
        ("已结束", 2023, 2025),
        ("今年", 2026, 2026),
    ):
        SupervisionTopic.objects.create(
            committee=committee, title=title, starts_year=starts, ends_year=ends
        )
    Appraisal.objects.create(committee=committee, year=2026, title="2026年评议")
    Appraisal.objects.create(committee=committee, year=2025, title="2025年评议")

    assert supervision_figures(committee=committee, year=2026) == {
        "supervision_groups": 2,
        "supervision_recommendations_sent": 2,
        "supervision_recommendations_answered": 2,
        "supervision_rechecks": 1,
        "supervision_topics_active": 2,
        "appraisals": 1,
    }
    assert supervision_figures(committee=committee, year=2025) == {
        "supervision_groups": 1,
        "supervision_recommendations_sent": 1,
        "supervision_recommendations_answered": 0,
        "supervision_rechecks": 0,
        "supervision_topics_active": 2,
        "appraisals": 1,
    }


def test_a_session_counts_from_its_opening_and_the_years_it_touches(county, staff, make_group):
    session = SessionFactory(
        committee=county.committee,
        term=county.term,
        opens_on=datetime.date(2025, 2, 17),
        closes_on=datetime.date(2025, 2, 20),
        name="十届四次会议",
        number=4,
    )
    make_group(year=2025)
    with scopes_disabled():
        later = county.session.opens_on  # the county's session opens after it
    assert later > session.opens_on
    figures = supervision_figures(committee=county.committee, session=session)
    assert figures["supervision_groups"] == 1


# Several committees at once (aggregate reports) ---------------------------------------------

DAY = datetime.date


def _rows(committee):
    """Groups of 2025 and 2026 (two), letters sent and answered across the two years, a
    re-check, topics and appraisals, written directly."""
    units = [HandlingUnitFactory(committee=committee) for _ in range(3)]
    groups = [
        SupervisionGroup.objects.create(committee=committee, year=year, name="小组", unit=unit)
        for year, unit in ((2025, units[0]), (2026, units[1]), (2026, units[2]))
    ]

    def letter(group, sent_on=None, answered_on=None):
        return SupervisionLetter.objects.create(
            committee=committee,
            group=group,
            title="建议书",
            text="正文",
            sent_on=sent_on,
            answered_on=answered_on,
        )

    letter(groups[0], DAY(2025, 12, 30), DAY(2026, 1, 20))
    letter(groups[1], DAY(2026, 4, 8))
    letter(groups[2])  # a draft
    rechecked = letter(groups[1], DAY(2026, 4, 8), DAY(2026, 5, 2))
    Recheck.objects.create(
        committee=committee,
        letter=rechecked,
        checked_on=DAY(2026, 9, 1),
        participants="李明",
        findings="已落实",
        rating="implemented",
    )
    for starts, ends in ((2024, None), (2023, 2025), (2026, 2026)):
        SupervisionTopic.objects.create(
            committee=committee, title="专题", starts_year=starts, ends_year=ends
        )
    Appraisal.objects.create(committee=committee, year=2026, title="2026年评议")


@pytest.fixture
def committees(committee):
    second, empty = CommitteeFactory(), CommitteeFactory()
    for c in (committee, second):
        with scope(committee=c):
            _rows(c)
    return [committee, second, empty]


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_batch_equals_one_call_per_committee(committees, year):
    batch = supervision_figures_for(committees=committees, year=year)
    singles = {}
    for c in committees:
        with scope(committee=c):
            singles[c.pk] = supervision_figures(committee=c, year=year)
    assert batch == singles
    first, second, empty = committees
    assert batch[first.pk] == batch[second.pk]
    assert set(batch[empty.pk].values()) == {0}
    if year == 2026:
        assert batch[first.pk] == {
            "supervision_groups": 2,
            "supervision_recommendations_sent": 2,
            "supervision_recommendations_answered": 2,
            "supervision_rechecks": 1,
            "supervision_topics_active": 2,
            "appraisals": 1,
        }


def test_more_committees_take_no_more_queries(committees, django_assert_max_num_queries):
    with django_assert_max_num_queries(5), CaptureQueriesContext(connection) as one:
        supervision_figures_for(committees=committees[:1], year=2026)
    with django_assert_max_num_queries(len(one)):
        supervision_figures_for(committees=committees, year=2026)
