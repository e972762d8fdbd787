"""The places app's part of the cross-committee route walk (see tests/test_isolation.py)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django_scopes import scopes_disabled


def build(committee, world):
    """Records of the places app in ``committee``; ``world`` holds the base records."""
    from zhengxie.core.models import ModerationItem
    from zhengxie.places.models import DutyShift, ReceptionRoom, ResidentIssue, ShiftMember, Visit

    room = ReceptionRoom.objects.create(
        committee=committee,
        name="城关镇委员会客室",
        kind="parlour",
        level="township",
        township="城关镇",
        state="in_use",
        opened_on=datetime.date(2025, 1, 1),
    )
    shift = DutyShift.objects.create(
        committee=committee, room=room, date=datetime.date(2026, 3, 3), half_day="am"
    )
    shift_member = ShiftMember.objects.create(
        committee=committee, shift=shift, membership=world["membership"]
    )
    visit = Visit.objects.create(
        committee=committee, room=room, shift=shift, date=shift.date, residents_count=3
    )
    with scopes_disabled():
        visit.members.set([world["membership"]])
    message = ModerationItem.objects.create(
        committee=committee,
        text="村里路灯坏了",
        state="approved",
        target_type=ContentType.objects.get_for_model(ReceptionRoom),
        target_id=room.pk,
    )
    issue = ResidentIssue.objects.create(
        committee=committee,
        room=room,
        visit=visit,
        recorded_on=shift.date,
        text="路灯坏了",
        unit=world["unit"],
        state="to_unit",
    )
    return {
        "place_room": room,
        "place_shift_member": shift_member,
        "place_visit": visit,
        "place_issue": issue,
        "place_message": message,
    }


def _room(w, i):
    return {"pk": i(w["place_room"])}


# route name -> how to build its kwargs from a world and the id to use
FOREIGN = {
    "places:detail": _room,
    "places:edit": _room,
    "places:act": lambda w, i: {"pk": i(w["place_room"]), "action": "suspend"},
    "places:shift_create": _room,
    "places:visit_create": _room,
    "places:confirm": lambda w, i: {"pk": i(w["place_shift_member"])},
    "places:visit_detail": lambda w, i: {"pk": i(w["place_visit"])},
    "places:issue_detail": lambda w, i: {"pk": i(w["place_issue"])},
    "places:issue_route": lambda w, i: {"pk": i(w["place_issue"]), "action": "on_spot"},
    "places:message_convert": lambda w, i: {"pk": i(w["place_message"])},
}
# Routes addressed by committee code rather than the user's committee (tested elsewhere:
# tests/places/test_public.py checks another committee's place under this code answers 404).
PUBLIC_ROUTES = {"places:public_list", "places:public_room"}
