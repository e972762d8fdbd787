"""The meetings app's part of the cross-committee route walk (see tests/test_isolation.py)."""

import datetime

from django.utils import timezone

from zhengxie.meetings.models import AgendaItem, Invitation, Meeting, Speech


def build(committee, world):
    """Records of the meetings app in ``committee``; ``world`` holds the base records."""
    start = timezone.now() + datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        committee=committee,
        category="standing",
        title="常委会议",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place="会议室",
        state="signing_in",
    )
    invitation = Invitation.objects.create(
        committee=committee, meeting=meeting, membership=world["membership"]
    )
    agenda = AgendaItem.objects.create(
        committee=committee, meeting=meeting, position=1, title="审议事项"
    )
    speech = Speech.objects.create(
        committee=committee,
        session=world["session"],
        membership=world["membership"],
        category=world["category"],
        title="大会发言",
        body="内容",
        state="submitted",
    )
    return {"meeting": meeting, "invitation": invitation, "agenda_item": agenda, "speech": speech}


def _meeting(w, i):
    return {"pk": i(w["meeting"])}


# route name -> how to build its kwargs from a world and the id to use
FOREIGN = {
    "meetings:detail": _meeting,
    "meetings:edit": _meeting,
    "meetings:act": lambda w, i: {"pk": i(w["meeting"]), "action": "close"},
    "meetings:invite": _meeting,
    "meetings:agenda_add": _meeting,
    "meetings:agenda_remove": lambda w, i: {"pk": i(w["agenda_item"])},
    "meetings:minutes": _meeting,
    "meetings:decision_add": _meeting,
    "meetings:attendance": _meeting,
    "meetings:attendance_sheet": _meeting,
    "meetings:invitation_act": lambda w, i: {"pk": i(w["invitation"]), "action": "mark_absent"},
    "meetings:screen": _meeting,
    "meetings:scan": lambda w, i: {"pk": i(w["meeting"]), "token": "1:abc:def"},
    "meetings:sign_in": _meeting,
    "api:meeting_detail": lambda w, i: {"meeting_id": i(w["meeting"])},
    "api:meeting_sign_in": lambda w, i: {"meeting_id": i(w["meeting"])},
    "api:invitation_leave": lambda w, i: {"invitation_id": i(w["invitation"])},
    "meetings:speech_detail": lambda w, i: {"pk": i(w["speech"])},
    "meetings:speech_update": lambda w, i: {"pk": i(w["speech"])},
    "meetings:speech_act": lambda w, i: {"pk": i(w["speech"]), "action": "choose_oral"},
    "meetings:speech_review": lambda w, i: {"session_pk": i(w["session"])},
    "meetings:speech_reorder": lambda w, i: {"session_pk": i(w["session"])},
    "meetings:speech_compile": lambda w, i: {"session_pk": i(w["session"])},
}
# Routes addressed by committee code rather than the user's committee (tested elsewhere).
PUBLIC_ROUTES = {"meetings:calendar_feed"}  # signed per-user token: see test_calendar.py
