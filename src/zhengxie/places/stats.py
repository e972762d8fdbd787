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

Every count is a query grouped by committee (``place_figures_for`` counts many committees at
once, as an aggregate report needs); each filters by committee explicitly and runs with scopes
disabled. A session or term is resolved (``period_bounds``) in the caller's scope.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhengxie.core.grouping import by_committee
from zhengxie.core.models import ModerationItem
from zhengxie.core.periods import dates_between, moments_between, period_bounds
from zhengxie.core.scoping import scopes_disabled
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


def _in_use_on(ids, day):
    """{committee id: {room id: level}} of the places in use on ``day``."""
    rooms = {
        pk: (committee_id, level)
        for pk, committee_id, level in ReceptionRoom.objects.filter(committee_id__in=ids)
        .values_list("pk", "committee_id", "level")
        .order_by()
    }
    state = {}
    for subject_id, to_state, data in (
        RoomHistory.objects.filter(subject__committee_id__in=ids)
        .order_by("created", "pk")
        .values_list("subject_id", "to_state", "data")
    ):
        on = datetime.date.fromisoformat(data.get("on")) if data.get("on") else None
        if on is not None and on <= day:
            state[subject_id] = to_state
    in_use = {pk: {} for pk in ids}
    for pk, s in state.items():
        if s == RoomState.IN_USE:
            committee_id, level = rooms[pk]
            in_use[committee_id][pk] = level
    return in_use


def place_figures(*, committee, year=None, session=None, term=None) -> dict:
    return place_figures_for(committees=[committee], year=year, session=session, term=term)[
        committee.pk
    ]


def place_figures_for(*, committees, year=None, session=None, term=None) -> dict:
    """``place_figures`` of several committees at once ({committee id: figures}), each query
    grouped by committee. A session or term belongs to one committee, so with one of those
    ``committees`` holds that committee only."""
    ids = [c.pk for c in committees]
    first, last = period_bounds(session=session, year=year, term=term)
    end = min(last or timezone.localdate(), timezone.localdate())
    recorded = dates_between("recorded_on", first, last)
    routed = dates_between("routed_on", first, last)
    n = Count("pk")
    with scopes_disabled():
        in_use = _in_use_on(ids, end)
        issues = by_committee(
            ResidentIssue.objects.filter(recorded | routed, committee_id__in=ids),
            issues_recorded=Count("pk", filter=recorded),
            **{
                name: Count("pk", filter=routed & Q(state=state))
                for state, name in ROUTE_FIGURES.items()
            },
        )
        messages = by_committee(
            ModerationItem.objects.filter(
                moments_between("created", first, last),
                committee_id__in=ids,
                target_type=ContentType.objects.get_for_model(ReceptionRoom),
            ),
            n=n,
        )
        visits = by_committee(
            Visit.objects.filter(dates_between("date", first, last), committee_id__in=ids), n=n
        )
        shifts = by_committee(
            ShiftMember.objects.filter(
                dates_between("shift__date", first, last), committee_id__in=ids, served=True
            ),
            n=n,
        )
    figures = {}
    for pk in ids:
        by_level = dict.fromkeys(RoomLevel.values, 0)
        for level in in_use[pk].values():
            by_level[level] += 1
        counts = issues.get(pk) or dict.fromkeys(["issues_recorded", *ROUTE_FIGURES.values()], 0)
        figures[pk] = {
            "reception_rooms": len(in_use[pk]),
            "reception_rooms_by_level": by_level,
            "reception_visits": visits.get(pk, {}).get("n", 0),
            "issues_recorded": counts.pop("issues_recorded"),
            **counts,
            "duty_shifts_served": shifts.get(pk, {}).get("n", 0),
            "public_messages": messages.get(pk, {}).get("n", 0),
        }
    return figures
