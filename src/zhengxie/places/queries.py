"""Reads of the places app: what each role may see, with the joins the pages need."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from zhengxie.core.models import ModerationItem, ModerationState, Role
from zhengxie.core.rules import active_role
from zhengxie.places.models import (
    DutyShift,
    IssueState,
    ReceptionRoom,
    ResidentIssue,
    ShiftMember,
    Visit,
)


def room_list(*, level="", state="", township="", q=""):
    qs = (
        ReceptionRoom.objects.select_related("group")
        .annotate(
            visit_count=Count("visits", distinct=True),
            pending_count=Count(
                "issues", filter=Q(issues__state=IssueState.PENDING), distinct=True
            ),
        )
        .order_by("level", "township", "name", "pk")
    )
    if level:
        qs = qs.filter(level=level)
    if state:
        qs = qs.filter(state=state)
    if township:
        qs = qs.filter(township=township)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(address__contains=q))
    return qs


def townships():
    return list(
        ReceptionRoom.objects.exclude(township="")
        .order_by("township")
        .values_list("township", flat=True)
        .distinct()
    )


def _shift_members():
    return Prefetch(
        "shift_members",
        queryset=ShiftMember.objects.select_related("membership__person").order_by("pk"),
    )


def room_shifts(room, *, first, last):
    return (
        DutyShift.objects.filter(room=room, date__gte=first, date__lte=last)
        .prefetch_related(_shift_members())
        .order_by("date", "half_day", "pk")
    )


def roster_weeks(room, *, year, month):
    """The month as weeks of seven days (Monday first), each day with its shifts."""
    first = datetime.date(year, month, 1)
    last = (first + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    by_day = {}
    for shift in room_shifts(room, first=first, last=last):
        by_day.setdefault(shift.date, []).append(shift)
    start = first - datetime.timedelta(days=first.weekday())
    weeks, day = [], start
    while day <= last:
        week = []
        for _ in range(7):
            week.append(
                {"date": day, "in_month": day.month == month, "shifts": by_day.get(day, [])}
            )
            day += datetime.timedelta(days=1)
        weeks.append(week)
    return weeks


def room_visits(room):
    return (
        Visit.objects.filter(room=room)
        .prefetch_related("members__person")
        .annotate(issue_count=Count("issues"))
        .order_by("-date", "-pk")
    )


def issues_visible(user):
    """The issues ``user`` may open: all for staff, chair and leader; a member those of visits
    they received; a unit those routed to it."""
    qs = ResidentIssue.objects.select_related("room", "visit", "unit", "recommendation")
    if user.has_perm("places.view_internal"):
        return qs
    role = active_role(user)
    if role is not None and role.role == Role.UNIT:
        return qs.filter(unit_id=role.handling_unit_id, state=IssueState.TO_UNIT)
    if role is not None and role.role == Role.MEMBER:
        return qs.filter(visit__members__person__user=user).distinct()
    return qs.none()


def room_messages(room):
    """Every message left online for ``room`` (staff view, any moderation state)."""
    return (
        ModerationItem.objects.filter(
            target_type=ContentType.objects.get_for_model(ReceptionRoom), target_id=room.pk
        )
        .select_related("resident_issue")
        .order_by("-created", "-pk")
    )


def my_shifts(user, *, upcoming=True):
    today = timezone.localdate()
    qs = ShiftMember.objects.filter(membership__person__user=user).select_related(
        "shift__room", "membership"
    )
    if upcoming:
        return qs.filter(shift__date__gte=today).order_by("shift__date", "shift__half_day")
    return qs.filter(shift__date__lt=today).order_by("-shift__date", "-shift__half_day")


def public_rooms():
    from zhengxie.places.models import RoomState

    return ReceptionRoom.objects.filter(is_public=True, state=RoomState.IN_USE).order_by(
        "level", "township", "name", "pk"
    )


def published_messages(room):
    return ModerationItem.objects.filter(
        target_type=ContentType.objects.get_for_model(ReceptionRoom),
        target_id=room.pk,
        state=ModerationState.APPROVED,
    ).order_by("-created", "-pk")
