"""activity_figures: exact values for a year and a session, own and joint activities, reports
by date written, attended participations, plan fulfilment."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from tests.activities.factories import activity, member, term_of
from tests.factories import CommitteeFactory, SessionFactory, user_with_role
from zhengxie.activities import services
from zhengxie.activities.stats import activity_figures, activity_figures_for
from zhengxie.core.models import Role

pytestmark = pytest.mark.django_db
DAY = datetime.date


def _attend(staff, a, memberships, leave=()):
    added = services.participants_assign(actor=staff, activity=a, memberships=memberships)
    a = services.activity_act(actor=staff, activity=a, action="hold")
    services.attendance_record(
        actor=staff,
        activity=a,
        entries={
            p.pk: {"attendance": "leave" if p.membership in leave else "attended"} for p in added
        },
    )
    return a


@pytest.fixture
def world(committee_scope, staff_user):
    return _build(committee_scope, staff_user)


def _build(c, staff_user):
    m = [member(c) for _ in range(4)]
    day = datetime.date
    plan = services.plan_create(
        actor=staff_user, committee=c, data={"year": 2025, "kind": "topics"}
    )
    items = [
        services.plan_item_add(
            actor=staff_user, plan=plan, data={"topic": f"议题{i}", "category": "inspection"}
        )
        for i in range(3)
    ]
    a1 = activity(staff_user, c, title="视察一", starts_on=day(2025, 3, 1), plan_item=items[0])
    _attend(staff_user, a1, m[:3], leave=[m[2]])
    a2 = activity(staff_user, c, category="research", title="调研一", starts_on=day(2025, 6, 1))
    a2 = _attend(staff_user, a2, m)
    services.report_create(
        actor=staff_user,
        activity=a2,
        data={"title": "调研报告", "written_on": day(2026, 1, 5)},
        authors=[m[0]],
    )
    activity(
        staff_user, c, category="sector", title="界别", starts_on=day(2025, 7, 1), state="held"
    )
    activity(staff_user, c, title="未开展", starts_on=day(2025, 8, 1))
    a5 = activity(staff_user, c, title="取消", starts_on=day(2025, 9, 1))
    services.activity_act(actor=staff_user, activity=a5, action="cancel")
    activity(
        staff_user, c, category="supervision", title="监督", starts_on=day(2026, 2, 1), state="held"
    )
    return {"committee": c, "members": m, "staff": staff_user}


def test_figures_for_a_year(world):
    assert activity_figures(committee=world["committee"], year=2025) == {
        "inspections": 1,
        "research_activities": 1,
        "research_reports": 0,
        "sector_activities": 1,
        "activities_total": 3,
        "activity_participations": 6,
        "plan_items": 3,
        "plan_items_held": 1,
    }
    assert activity_figures(committee=world["committee"], year=2026) == {
        "inspections": 0,
        "research_activities": 0,
        "research_reports": 1,
        "sector_activities": 0,
        "activities_total": 1,
        "activity_participations": 0,
        "plan_items": 0,
        "plan_items_held": 0,
    }


def test_figures_for_a_session(world):
    c = world["committee"]
    term = term_of(c)
    s1 = SessionFactory(committee=c, term=term, opens_on=datetime.date(2025, 5, 1))
    SessionFactory(committee=c, term=term, opens_on=datetime.date(2026, 1, 20))
    figures = activity_figures(committee=c, session=s1)
    assert (figures["activities_total"], figures["research_reports"], figures["plan_items"]) == (
        2,
        1,
        3,
    )


def test_a_joint_activity_counts_for_both_committees(world):
    c = world["committee"]
    city = CommitteeFactory(level="city")
    a = activity(world["staff"], c, title="联动视察", starts_on=datetime.date(2025, 10, 1))
    a = _attend(world["staff"], a, world["members"][:1])
    before = activity_figures(committee=city, year=2025)
    assert (before["inspections"], before["activities_total"]) == (0, 0)
    services.activity_share(actor=world["staff"], activity=a, committee=city)
    city_staff = user_with_role(city, Role.STAFF)
    with scope(committee=city):
        city_member = member(city)
        added = services.participants_assign(
            actor=city_staff, activity=a, memberships=[city_member]
        )
        services.attendance_record(
            actor=city_staff, activity=a, entries={added[0].pk: {"attendance": "attended"}}
        )
        city_figures = activity_figures(committee=city, year=2025)
    own = activity_figures(committee=c, year=2025)
    assert (own["inspections"], own["activities_total"], own["activity_participations"]) == (
        2,
        4,
        7,
    )
    assert (
        city_figures["inspections"],
        city_figures["activities_total"],
        city_figures["activity_participations"],
    ) == (1, 1, 1)


# Several committees at once (aggregate reports) ---------------------------------------------


def _join(organiser_staff, a, partner, partner_members):
    """Share ``a`` as joint work with ``partner``, whose staff record its members attending."""
    services.activity_share(actor=organiser_staff, activity=a, committee=partner)
    partner_staff = user_with_role(partner, Role.STAFF)
    with scope(committee=partner):
        added = services.participants_assign(
            actor=partner_staff, activity=a, memberships=partner_members
        )
        services.attendance_record(
            actor=partner_staff,
            activity=a,
            entries={p.pk: {"attendance": "attended"} for p in added},
        )


@pytest.fixture
def joint_worlds(world):
    """The committee's world, the same for a second committee, a city; joint activities: a
    research of the committee with the second and the city, and an inspection of the second
    with the committee (each partner's members attending); a research report on the first."""
    c, staff = world["committee"], world["staff"]
    second, city = CommitteeFactory(), CommitteeFactory(level="city")
    second_staff = user_with_role(second, Role.STAFF)
    with scope(committee=second):
        second_world = _build(second, second_staff)
    with scope(committee=city):
        city_members = [member(city)]
    research = activity(staff, c, category="research", title="联动调研", starts_on=DAY(2025, 10, 1))
    research = _attend(staff, research, world["members"][:2])
    services.report_create(
        actor=staff,
        activity=research,
        data={"title": "联动调研报告", "written_on": DAY(2025, 11, 1)},
        authors=[world["members"][0]],
    )
    _join(staff, research, second, second_world["members"][:3])
    _join(staff, research, city, city_members)
    with scope(committee=second):
        inspection = activity(second_staff, second, title="联动视察", starts_on=DAY(2025, 11, 5))
        inspection = _attend(second_staff, inspection, second_world["members"][:1])
    _join(second_staff, inspection, c, world["members"][:1])
    return c, second, city


def _singles(committees, **period):
    figures = {}
    for committee in committees:
        with scope(committee=committee):
            figures[committee.pk] = activity_figures(committee=committee, **period)
    return figures


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_batch_equals_one_call_per_committee(joint_worlds, year):
    committees = list(joint_worlds)
    batch = activity_figures_for(committees=committees, year=year)
    assert batch == _singles(committees, year=year)
    if year == 2025:
        c, second, city = joint_worlds
        # Each counts both joint activities once (the city only the research), with its own
        # members attending: 2 + 1 of the committee, 3 + 1 of the second one.
        assert batch[second.pk] == {**batch[c.pk], "activity_participations": 10}
        assert batch[c.pk] == {
            "inspections": 2,
            "research_activities": 2,
            "research_reports": 1,
            "sector_activities": 1,
            "activities_total": 5,
            "activity_participations": 9,  # 6 in the world and 3 at joint activities
            "plan_items": 3,
            "plan_items_held": 1,
        }
        assert batch[city.pk] == {
            "inspections": 0,
            "research_activities": 1,
            "research_reports": 1,
            "sector_activities": 0,
            "activities_total": 1,
            "activity_participations": 1,
            "plan_items": 0,
            "plan_items_held": 0,
        }


def test_the_batch_of_a_session_is_the_single_call(world):
    c = world["committee"]
    session = SessionFactory(committee=c, term=term_of(c), opens_on=DAY(2025, 5, 1))
    assert activity_figures_for(committees=[c], session=session) == {
        c.pk: activity_figures(committee=c, session=session)
    }


def test_more_committees_take_no_more_queries(joint_worlds, django_assert_max_num_queries):
    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as one:
        activity_figures_for(committees=joint_worlds[:1], year=2025)
    with django_assert_max_num_queries(len(one)):
        activity_figures_for(committees=list(joint_worlds), year=2025)
