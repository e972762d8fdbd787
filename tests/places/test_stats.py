import datetime

from django.core.cache import cache

from tests.factories import user_with_role
from tests.places.conftest import OPINION_FIELDS, TODAY
from zhengxie.core.models import Role
from zhengxie.core.moderation import moderation_decide
from zhengxie.places import services
from zhengxie.places.stats import place_figures


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
