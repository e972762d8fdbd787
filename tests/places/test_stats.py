import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from tests.factories import CommitteeFactory, MembershipFactory, TermFactory, user_with_role
from tests.places.conftest import OPINION_FIELDS, TODAY
from zhengxie.core.models import ModerationItem, Role
from zhengxie.core.moderation import moderation_decide
from zhengxie.places import services
from zhengxie.places.models import (
    DutyShift,
    ReceptionRoom,
    ResidentIssue,
    RoomHistory,
    ShiftMember,
    Visit,
)
from zhengxie.places.stats import place_figures, place_figures_for


def test_figures_count_places_visits_issues_routes_duty_and_messages(places):
    staff = places.staff
    # A second place in a village, suspended before today; a third still being set up.
    village = services.room_create(
        actor=staff,
        committee=places.committee,
        data={
            "name": "东村委员联系点",
            "kind": "contact_point",
            "level": "village",
            "township": "城关镇",
        },
        opened_on=TODAY - datetime.timedelta(days=30),
    )
    services.room_act(actor=staff, room=village, action="suspend", note="合并")
    services.room_create(
        actor=staff,
        committee=places.committee,
        data={"name": "县委员之家", "kind": "home", "level": "county"},
    )
    shift = places.shift(half_day="am")
    for sm in shift.shift_members.all():
        services.service_confirm(actor=staff, shift_member=sm)
    visit = places.visit(shift=shift, issues=("一", "二", "三", "四", "五"))
    services.visit_record(
        actor=staff,
        room=places.room,
        date=TODAY,
        members=[places.members[2][1]],
        residents_count=2,
    )
    one, two, three, four, _five = visit.issues.order_by("pk")
    services.issue_route(actor=staff, issue=one, action="to_opinion", **OPINION_FIELDS)
    services.issue_route(actor=staff, issue=two, action="to_unit", unit=places.unit)
    services.issue_route(actor=staff, issue=three, action="on_spot", note="已解答")
    services.issue_route(actor=staff, issue=four, action="on_spot", note="已解答")
    public = user_with_role(places.committee, Role.PUBLIC)
    item = services.message_submit(
        committee=places.committee, room=places.room, text="希望增加值班次数", author=public
    )
    moderation_decide(item=item, actor=staff, approve=True)
    services.message_to_issue(actor=staff, item=item)
    cache.clear()

    figures = place_figures(committee=places.committee, year=TODAY.year)
    assert figures == {
        "reception_rooms": 1,
        "reception_rooms_by_level": {"county": 0, "township": 1, "village": 0},
        "reception_visits": 2 if shift.date.year == TODAY.year else 1,
        "issues_recorded": 6 if shift.date.year == TODAY.year else 1,
        "issues_to_opinion": 1,
        "issues_to_proposal": 0,
        "issues_to_unit": 1,
        "issues_answered_on_spot": 2,
        "duty_shifts_served": 2 if shift.date.year == TODAY.year else 0,
        "public_messages": 1,
    }
    last_year = place_figures(committee=places.committee, year=TODAY.year - 1)
    assert last_year["reception_rooms"] == (1 if places.room.opened_on.year < TODAY.year else 0)
    assert last_year["issues_recorded"] == (5 if shift.date.year < TODAY.year else 0)


# Several committees at once (aggregate reports) ---------------------------------------------

DAY = datetime.date


def _rows(committee):
    """Places with their state history, visits, issues, a shift and messages, written directly:
    in use at the end of 2025 only the township place (the village one was suspended in June,
    the county one opens in 2026)."""

    def room(name, level, *changes):
        r = ReceptionRoom.objects.create(committee=committee, name=name, kind="home", level=level)
        for to_state, on in changes:
            RoomHistory.objects.create(
                subject=r,
                committee=committee,
                action=to_state,
                to_state=to_state,
                data={"on": on} if on else {},
            )
        return r

    township = room("镇委员之家", "township", ("in_use", "2025-03-01"))
    room("村联系点", "village", ("in_use", "2024-05-01"), ("suspended", "2025-06-01"))
    room("县委员之家", "county", ("setting_up", None), ("in_use", "2026-02-01"))
    visits = [
        Visit.objects.create(committee=committee, room=township, date=day)
        for day in (DAY(2025, 4, 1), DAY(2025, 9, 1), DAY(2024, 12, 1))
    ]
    for recorded_on, state, routed_on in (
        (DAY(2025, 4, 1), "to_opinion", DAY(2025, 4, 3)),
        (DAY(2025, 4, 1), "on_spot", DAY(2025, 4, 1)),
        (DAY(2025, 9, 1), "pending", None),
        (DAY(2024, 12, 1), "to_unit", DAY(2025, 1, 5)),
    ):
        ResidentIssue.objects.create(
            committee=committee,
            room=township,
            visit=visits[0],
            recorded_on=recorded_on,
            text="反映",
            state=state,
            routed_on=routed_on,
        )
    shift = DutyShift.objects.create(
        committee=committee, room=township, date=DAY(2025, 4, 1), half_day="am"
    )
    term = TermFactory(committee=committee)
    for served in (True, True, False):
        ShiftMember.objects.create(
            committee=committee,
            shift=shift,
            membership=MembershipFactory(committee=committee, term=term),
            served=served,
        )
    room_type = ContentType.objects.get_for_model(ReceptionRoom)
    for created in (datetime.datetime(2025, 5, 1, 8, tzinfo=datetime.UTC), None):
        item = ModerationItem.objects.create(
            committee=committee, target_type=room_type, target_id=township.pk, text="留言"
        )
        if created:
            ModerationItem.objects.filter(pk=item.pk).update(created=created)


@pytest.fixture
def committees(committee):
    second, empty = CommitteeFactory(), CommitteeFactory()
    for c in (committee, second):
        with scope(committee=c):
            _rows(c)
    return [committee, second, empty]


@pytest.mark.parametrize("year", [2024, 2025, TODAY.year])
def test_the_batch_equals_one_call_per_committee(committees, year):
    batch = place_figures_for(committees=committees, year=year)
    singles = {}
    for c in committees:
        with scope(committee=c):
            singles[c.pk] = place_figures(committee=c, year=year)
    assert batch == singles
    first, second, empty = committees
    assert batch[first.pk] == batch[second.pk]
    assert batch[empty.pk]["reception_rooms_by_level"] == {
        "county": 0,
        "township": 0,
        "village": 0,
    }
    if year == 2025:
        assert batch[first.pk] == {
            "reception_rooms": 1,
            "reception_rooms_by_level": {"county": 0, "township": 1, "village": 0},
            "reception_visits": 2,
            "issues_recorded": 3,
            "issues_to_opinion": 1,
            "issues_to_proposal": 0,
            "issues_to_unit": 1,
            "issues_answered_on_spot": 1,
            "duty_shifts_served": 2,
            "public_messages": 1,
        }


def test_more_committees_take_no_more_queries(committees, django_assert_max_num_queries):
    with django_assert_max_num_queries(7), CaptureQueriesContext(connection) as one:
        place_figures_for(committees=committees[:1], year=2025)
    with django_assert_max_num_queries(len(one)):
        place_figures_for(committees=committees, year=2025)
