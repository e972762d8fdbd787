"""Reads of activities and plans. Every queryset runs in the active committee's scope, so a
joint activity shared with the committee is included and another committee's is not."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from zhengxie.activities.models import (
    Activity,
    ActivityReport,
    ActivityState,
    Attendance,
    Participation,
    Plan,
    PlanItem,
)
from zhengxie.core.rules import active_role


def visible_activities(user):
    if not user.has_perm("activities.list"):
        return Activity.objects.none()
    return Activity.objects.all()


def activity_list(user, *, year=None, category="", state="", q=""):
    role = active_role(user)
    committee_id = role.committee_id if role is not None else None
    activities = (
        visible_activities(user)
        .select_related("committee")
        .annotate(
            participant_count=Count(
                "participations", filter=Q(participations__committee_id=committee_id)
            ),
            report_count=Count("reports", distinct=True),
        )
    )
    if year:
        activities = activities.filter(starts_on__year=year)
    if category:
        activities = activities.filter(category=category)
    if state:
        activities = activities.filter(state=state)
    if q:
        activities = activities.filter(Q(title__icontains=q) | Q(place__icontains=q))
    return activities.order_by("-starts_on", "-pk")


def own_participations(activity):
    """The participants the current committee sees (its own members)."""
    return (
        Participation.objects.filter(activity=activity)
        .select_related("membership__person", "membership__sector")
        .order_by("-role", "pk")
    )


def my_participations(user):
    return (
        Participation.objects.filter(membership__person__user=user)
        .select_related("activity")
        .order_by("-activity__starts_on", "-pk")
    )


def open_for_signup(user):
    mine = Participation.objects.filter(activity=OuterRef("pk"), membership__person__user=user)
    return (
        visible_activities(user)
        .filter(state=ActivityState.OPEN)
        .annotate(signed_up=Exists(mine))
        .order_by("starts_on", "pk")
    )


def reports_of(activity):
    return ActivityReport.objects.filter(activity=activity).prefetch_related("authors__person")


def plan_list():
    held = Activity.objects.filter(plan_item=OuterRef("pk"), state=ActivityState.HELD)
    return (
        Plan.objects.select_related("special_committee")
        .annotate(
            item_count=Count("items", distinct=True),
        )
        .prefetch_related(Prefetch("items", queryset=PlanItem.objects.annotate(held=Exists(held))))
        .order_by("-year", "kind", "pk")
    )


def plan_items(plan):
    held = Activity.objects.filter(plan_item=OuterRef("pk"), state=ActivityState.HELD)
    return (
        PlanItem.objects.filter(plan=plan)
        .annotate(held=Exists(held))
        .select_related("lead_special_committee")
        .prefetch_related(
            Prefetch(
                "activities",
                queryset=Activity.objects.exclude(state=ActivityState.CANCELLED).order_by(
                    "starts_on"
                ),
            )
        )
        .order_by("position", "pk")
    )


def attended_count(participations):
    return sum(1 for p in participations if p.attendance == Attendance.ATTENDED)


def reports_of_visible(user):
    return ActivityReport.objects.filter(activity__in=visible_activities(user))
