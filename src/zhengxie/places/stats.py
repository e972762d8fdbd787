"""Figures of the places app (委员之家) for one period (/work/shared/figures.md).

- ``reception_rooms``: places in use on the period's last day (today while the period runs),
  from each place's state history (the day each change took effect, ``data["on"]``);
  ``reception_rooms_by_level`` splits them by level (county / township / village).
- ``reception_visits``: visits (接待) dated in the period.
- ``issues_recorded``: residents' issues recorded in the period (at a visit or from a message).
- ``issues_to_opinion`` / ``_to_proposal`` / ``_to_unit`` / ``issues_answered_on_spot``: issues
  routed in the period, by route (dated by the routing day).
- ``duty_shifts_served``: member-shifts confirmed as served, for shifts dated in the period.
- ``public_messages``: messages the public left online for a place in the period, whatever
  moderation decided.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhengxie.core.models import ModerationItem
from zhengxie.core.periods import dates_between, moments_between, period_bounds
from zhengxie.places.models import (
    IssueState,
    ReceptionRoom,
    ResidentIssue,
    RoomHistory,
    RoomLevel,
    RoomState,
    ShiftMember,
    Visit,
)

FIGURE_LABELS = {
    "reception_rooms": gettext_lazy("在用场所"),
    "reception_visits": gettext_lazy("接待次数"),
    "issues_recorded": gettext_lazy("登记群众反映"),
    "issues_to_opinion": gettext_lazy("转社情民意"),
    "issues_to_proposal": gettext_lazy("转提案"),
    "issues_to_unit": gettext_lazy("转交单位办理"),
    "issues_answered_on_spot": gettext_lazy("当场解答"),
    "duty_shifts_served": gettext_lazy("委员值班(人次)"),
    "public_messages": gettext_lazy("网上留言"),
}
ROUTE_FIGURES = {
    IssueState.TO_OPINION: "issues_to_opinion",
    IssueState.TO_PROPOSAL: "issues_to_proposal",
    IssueState.TO_UNIT: "issues_to_unit",
    IssueState.ON_SPOT: "issues_answered_on_spot",
}


def _in_use_on(committee, day):
    """{room id: level} of the places in use on ``day``."""
    rooms = dict(
        ReceptionRoom.objects.filter(committee=committee).values_list("pk", "level").order_by()
    )
    state = {}
    for subject_id, to_state, data in (
        RoomHistory.objects.filter(subject_id__in=list(rooms))
        .order_by("created", "pk")
        .values_list("subject_id", "to_state", "data")
    ):
        on = datetime.date.fromisoformat(data.get("on")) if data.get("on") else None
        if on is not None and on <= day:
            state[subject_id] = to_state
    return {pk: rooms[pk] for pk, s in state.items() if s == RoomState.IN_USE}


def place_figures(*, committee, year=None, session=None, term=None) -> dict:
    first, last = period_bounds(session=session, year=year, term=term)
    end = min(last or timezone.localdate(), timezone.localdate())
    in_use = _in_use_on(committee, end)
    by_level = dict.fromkeys(RoomLevel.values, 0)
    for level in in_use.values():
        by_level[level] += 1

    issues = ResidentIssue.objects.filter(committee=committee).order_by()
    recorded = issues.filter(dates_between("recorded_on", first, last)).count()
    routed = issues.filter(dates_between("routed_on", first, last)).aggregate(
        **{name: Count("pk", filter=Q(state=state)) for state, name in ROUTE_FIGURES.items()}
    )
    messages = ModerationItem.objects.filter(
        moments_between("created", first, last),
        committee=committee,
        target_type=ContentType.objects.get_for_model(ReceptionRoom),
    ).count()
    return {
        "reception_rooms": len(in_use),
        "reception_rooms_by_level": by_level,
        "reception_visits": Visit.objects.filter(
            dates_between("date", first, last), committee=committee
        ).count(),
        "issues_recorded": recorded,
        **routed,
        "duty_shifts_served": ShiftMember.objects.filter(
            dates_between("shift__date", first, last), committee=committee, served=True
        ).count(),
        "public_messages": messages,
    }
