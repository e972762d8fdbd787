"""The meetings and activities calendar (会议活动日历): events a user may see in a range of days,
the month grid, the .ics file, and the per-user subscription feed.

Events come from the meetings the user may see (``queries.visible_meetings``) and the
activities they may see (``activities.queries.visible_activities``); cancelled ones are left
out. "Mine" narrows them to the meetings the user is invited to (invitation not cancelled) and
the activities they take part in.

Subscription feed (订阅链接): calendar apps poll ``/meetings/calendar/feed/<token>.ics`` without
a session. The token is ``Signer(salt=FEED_SALT).sign_object({"u", "r", "n"})``: the user, the
role assignment the feed acts in, and a random nonce. It cannot be forged without the
SECRET_KEY. The nonce currently valid for a role assignment is the one in the latest audit row
of object type ``meetings.CalendarFeed`` for that role assignment (written when the user makes
or revokes the link): making a new link or revoking writes a new row, so every earlier link stops
working at once, and every issue and revocation is in the audit trail. A feed also stops when the
user is deactivated or the role assignment ends; it shows only what that role may see, inside
the role's committee scope.
"""

import calendar as pycalendar
import datetime
import secrets
from dataclasses import dataclass

import icalendar
from django.core import signing
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.activities.models import ActivityState, Participation
from zhengxie.activities.queries import visible_activities
from zhengxie.core.audit import audit_record
from zhengxie.core.models import AuditAction, AuditEntry, RoleAssignment
from zhengxie.core.periods import local_midnight
from zhengxie.meetings.models import AttendanceState, Invitation, MeetingState
from zhengxie.meetings.queries import visible_meetings

FEED_SALT = "zhengxie.meetings.calendar-feed"
FEED_OBJECT_TYPE = "meetings.CalendarFeed"
# What a subscribed calendar app receives: from this many days back to this many ahead.
FEED_DAYS_BACK = 90
FEED_DAYS_AHEAD = 366
# The longest range one page or .ics download may ask for.
MAX_RANGE_DAYS = 400


@dataclass(frozen=True)
class Event:
    uid: str
    source: str  # "meeting" or "activity"
    title: str
    kind: str
    place: str
    start: datetime.datetime | datetime.date
    end: datetime.datetime | datetime.date  # inclusive last moment (meetings) or day (activities)
    all_day: bool
    url: str

    @property
    def first_day(self):
        return timezone.localtime(self.start).date() if not self.all_day else self.start

    @property
    def last_day(self):
        return timezone.localtime(self.end).date() if not self.all_day else self.end

    def as_dict(self):
        return {
            "uid": self.uid,
            "source": self.source,
            "title": self.title,
            "kind": self.kind,
            "place": self.place,
            "start": self.start,
            "end": self.end,
            "all_day": self.all_day,
            "url": self.url,
        }


def _meetings(user, start, end, mine):
    qs = visible_meetings(user).exclude(state=MeetingState.CANCELLED)
    if mine:
        invited = Invitation.objects.filter(
            meeting=OuterRef("pk"), membership__person__user=user
        ).exclude(state=AttendanceState.CANCELLED)
        qs = qs.filter(Exists(invited)).exclude(state=MeetingState.DRAFT)
    qs = qs.filter(starts_at__lt=local_midnight(end), ends_at__gte=local_midnight(start))
    for meeting in qs.order_by("starts_at", "pk"):
        yield Event(
            uid=f"meeting-{meeting.pk}@zhengxie",
            source="meeting",
            title=meeting.title,
            kind=str(meeting.kind_display),
            place=meeting.place,
            start=meeting.starts_at,
            end=meeting.ends_at,
            all_day=False,
            url=reverse("meetings:detail", kwargs={"pk": meeting.pk}),
        )


def _activities(user, start, end, mine):
    qs = visible_activities(user).exclude(state=ActivityState.CANCELLED)
    if mine:
        taking_part = Participation.objects.filter(
            activity=OuterRef("pk"), membership__person__user=user
        )
        qs = qs.filter(Exists(taking_part))
    last = end - datetime.timedelta(days=1)
    qs = qs.filter(starts_on__lte=last).filter(
        Q(ends_on__gte=start) | Q(ends_on__isnull=True, starts_on__gte=start)
    )
    for activity in qs.order_by("starts_on", "pk"):
        yield Event(
            uid=f"activity-{activity.pk}@zhengxie",
            source="activity",
            title=activity.title,
            kind=activity.kind or activity.get_category_display(),
            place=activity.place,
            start=activity.starts_on,
            end=max(activity.ends_on or activity.starts_on, activity.starts_on),
            all_day=True,
            url=reverse("activities:detail", kwargs={"pk": activity.pk}),
        )


def _sort_key(event):
    if event.all_day:
        return (event.first_day, 0, event.uid)
    return (event.first_day, 1, timezone.localtime(event.start).time(), event.uid)


def calendar_events(*, user, start: datetime.date, end: datetime.date, mine=False) -> list[dict]:
    """Events the user may see touching the days ``start`` (inclusive) to ``end`` (exclusive),
    by day, as dicts (title, start, end, place, kind, url, uid, source, all_day)."""
    return [e.as_dict() for e in events_between(user=user, start=start, end=end, mine=mine)]


def events_between(*, user, start, end, mine=False) -> list[Event]:
    if end <= start:
        return []
    events = [*_meetings(user, start, end, mine), *_activities(user, start, end, mine)]
    return sorted(events, key=_sort_key)


# Month grid ------------------------------------------------------------------------------


def month_range(year, month):
    """(first day of the month, first day of the next month)."""
    first = datetime.date(year, month, 1)
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    return first, following


def month_grid(year, month, events):
    """Weeks (Monday first) of {"day", "in_month", "today", "events"} for the month table."""
    today = timezone.localdate()
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    by_day = {}
    for event in events:
        day = max(event.first_day, weeks[0][0])
        while day <= min(event.last_day, weeks[-1][-1]):
            by_day.setdefault(day, []).append(event)
            day += datetime.timedelta(days=1)
    return [
        [
            {
                "day": day,
                "in_month": day.month == month,
                "today": day == today,
                "events": by_day.get(day, []),
            }
            for day in week
        ]
        for week in weeks
    ]


# .ics ------------------------------------------------------------------------------------


def events_ics(events, *, name, base_url="") -> bytes:
    """An iCalendar file of ``events``; ``base_url`` (scheme and host) makes links absolute."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Zhengxie//Meetings calendar//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    stamp = timezone.now()
    for event in events:
        item = icalendar.Event()
        item.add("uid", event.uid)
        item.add("dtstamp", stamp)
        item.add("summary", event.title)
        if event.all_day:
            item.add("dtstart", event.start)
            item.add("dtend", event.end + datetime.timedelta(days=1))
        else:
            item.add("dtstart", event.start)
            item.add("dtend", event.end)
        if event.place:
            item.add("location", event.place)
        item.add("categories", [event.kind])
        item.add("description", f"{event.kind}\n{base_url}{event.url}")
        if base_url:
            item.add("url", f"{base_url}{event.url}")
        cal.add_component(item)
    return cal.to_ical()


# Subscription feed ------------------------------------------------------------------------


def _signer():
    return signing.Signer(salt=FEED_SALT)


def _feed_token(user_id, role_id, nonce):
    return _signer().sign_object({"u": user_id, "r": role_id, "n": nonce}, compress=False)


def _latest_feed_row(role_assignment):
    return (
        AuditEntry.objects.filter(object_type=FEED_OBJECT_TYPE, object_id=str(role_assignment.pk))
        .order_by("-pk")
        .first()
    )


def feed_token_current(*, user, role_assignment) -> str | None:
    """The user's current subscription token for the role, or None if there is none."""
    row = _latest_feed_row(role_assignment)
    nonce = (row.after or {}).get("nonce") if row is not None else None
    if not nonce or (row.after or {}).get("user") != user.pk:
        return None
    return _feed_token(user.pk, role_assignment.pk, nonce)


def feed_token_issue(*, user, role_assignment) -> str:
    """Make a new subscription token (every earlier one of this role stops working)."""
    if role_assignment.user_id != user.pk:
        raise ValueError("role_assignment belongs to another user")
    nonce = secrets.token_urlsafe(12)
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        obj=role_assignment,
        committee=role_assignment.committee,
        object_type=FEED_OBJECT_TYPE,
        object_label=_("日历订阅链接"),
        after={"user": user.pk, "nonce": nonce},
        note=_("生成会议活动日历订阅链接"),
    )
    return _feed_token(user.pk, role_assignment.pk, nonce)


def feed_token_revoke(*, user, role_assignment) -> None:
    """Stop the role's subscription link."""
    if role_assignment.user_id != user.pk:
        raise ValueError("role_assignment belongs to another user")
    audit_record(
        actor=user,
        action=AuditAction.DELETE,
        obj=role_assignment,
        committee=role_assignment.committee,
        object_type=FEED_OBJECT_TYPE,
        object_label=_("日历订阅链接"),
        after={"user": user.pk, "nonce": ""},
        note=_("停用会议活动日历订阅链接"),
    )


def feed_user(token: str):
    """The active user of a valid feed token, with ``user.active_role`` set; else None."""
    try:
        data = _signer().unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not all(k in data for k in ("u", "r", "n")):
        return None
    role = (
        RoleAssignment.objects.current()
        .select_related("user", "committee", "handling_unit", "special_committee")
        .filter(pk=data["r"], user_id=data["u"], user__is_active=True)
        .first()
    )
    if role is None:
        return None
    row = _latest_feed_row(role)
    after = (row.after or {}) if row is not None else {}
    if not data["n"] or after.get("nonce") != data["n"] or after.get("user") != role.user_id:
        return None
    user = role.user
    user.active_role = role
    return user


def feed_window(today=None):
    today = today or timezone.localdate()
    return (
        today - datetime.timedelta(days=FEED_DAYS_BACK),
        today + datetime.timedelta(days=FEED_DAYS_AHEAD),
    )
