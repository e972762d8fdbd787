"""Reads of the study app: what each role may see, with the joins the pages need. Every query
runs in the active committee's scope."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Sum
from django.utils import timezone

from zhengxie.study.models import (
    TOOK_PLACE,
    Attendance,
    AttendanceState,
    Distribution,
    PlanState,
    ReadingAttendance,
    ReadingGroup,
    ReadingSession,
    ReadingState,
    SessionKind,
    SessionState,
    StudyMaterial,
    StudyPlan,
    StudyPlanItem,
    StudySession,
)


def _sees_all(user):
    return user.has_perm("study.view_all")


# Plans ----------------------------------------------------------------------------------------


def plan_list(user):
    plans = StudyPlan.objects.annotate(item_count=Count("items")).order_by("-year", "pk")
    return plans if _sees_all(user) else plans.filter(state=PlanState.PUBLISHED)


def _item_held():
    return Exists(
        StudySession.objects.filter(plan_item=OuterRef("pk"), state__in=TOOK_PLACE)
    ) | Exists(ReadingSession.objects.filter(plan_item=OuterRef("pk"), state=ReadingState.CLOSED))


def plan_items(plan):
    return (
        StudyPlanItem.objects.filter(plan=plan)
        .annotate(held=_item_held())
        .select_related("special_committee", "group", "sector")
        .prefetch_related(
            "memberships__person",
            Prefetch(
                "sessions",
                queryset=StudySession.objects.exclude(state=SessionState.CANCELLED).order_by(
                    "date", "pk"
                ),
            ),
            Prefetch(
                "reading_sessions",
                queryset=ReadingSession.objects.exclude(state=ReadingState.CANCELLED)
                .select_related("group")
                .order_by("date", "pk"),
            ),
        )
        .order_by("position", "pk")
    )


def plan_item_choices(*, reading=False):
    """Items of this and last year's plans a new session may carry out."""
    year = timezone.localdate().year
    items = StudyPlanItem.objects.filter(plan__year__gte=year - 1).select_related("plan")
    items = items.filter(kind="reading") if reading else items.exclude(kind="reading")
    return items.order_by("-plan__year", "position", "pk")


# Sessions -------------------------------------------------------------------------------------


def visible_sessions(user):
    """All sessions for staff, chair and leader; for a member those they are expected at and
    trainings open for sign-up."""
    qs = StudySession.objects.all()
    if _sees_all(user):
        return qs
    if not user.has_perm("study.mine"):
        return qs.none()
    mine = Attendance.objects.filter(session=OuterRef("pk"), membership__person__user=user)
    open_training = Q(kind=SessionKind.TRAINING, signup_open=True, state=SessionState.PLANNED)
    return qs.filter(Exists(mine) | open_training)


def session_list(user, *, year=None, kind="", state="", q=""):
    qs = (
        visible_sessions(user)
        .select_related("plan_item")
        .annotate(
            expected=Count("attendances"),
            attended=Count("attendances", filter=Q(attendances__state=AttendanceState.ATTENDED)),
        )
    )
    if year:
        qs = qs.filter(date__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(speaker__contains=q) | Q(place__contains=q))
    return qs.order_by("-date", "-pk")


def attendance_rows(session):
    return (
        Attendance.objects.filter(session=session)
        .select_related("membership__person", "membership__sector")
        .order_by("membership__person__name", "pk")
    )


def attendance_counts(rows):
    counts = dict.fromkeys(AttendanceState.values, 0)
    for row in rows:
        counts[row.state] += 1
    counts["expected"] = sum(counts.values())
    return counts


def own_attendance(session, user):
    return (
        Attendance.objects.filter(session=session, membership__person__user=user)
        .select_related("membership")
        .first()
    )


def session_distributions(session):
    return Distribution.objects.filter(session=session).select_related("material")


# Materials ------------------------------------------------------------------------------------


def material_list(*, kind="", tag="", q=""):
    qs = StudyMaterial.objects.select_related("attachment").annotate(
        copies=Sum("distributions__copies")
    )
    if kind:
        qs = qs.filter(kind=kind)
    if tag:
        qs = qs.filter(tags__contains=f",{tag},")
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(description__contains=q))
    return qs.order_by("-created", "-pk")


def all_tags():
    tags = set()
    for value in StudyMaterial.objects.exclude(tags="").values_list("tags", flat=True):
        tags.update(t for t in value.split(",") if t)
    return sorted(tags)


def material_distributions(material):
    return Distribution.objects.filter(material=material).select_related("session")


def copies_handed_out(material):
    return Distribution.objects.filter(material=material).aggregate(n=Sum("copies"))["n"] or 0


# Reading groups -------------------------------------------------------------------------------


def visible_groups(user):
    qs = ReadingGroup.objects.all()
    if _sees_all(user):
        return qs
    if not user.has_perm("study.mine"):
        return qs.none()
    return qs.filter(
        Exists(ReadingGroup.members.through.objects.filter(
            readinggroup_id=OuterRef("pk"), membership__person__user=user
        ))
    )  # fmt: skip


def group_list(user):
    return (
        visible_groups(user)
        .select_related("leader__person")
        .annotate(
            member_count=Count("members", distinct=True),
            held_count=Count(
                "sessions", filter=Q(sessions__state=ReadingState.CLOSED), distinct=True
            ),
        )
        .order_by("name", "pk")
    )


def group_sessions(group):
    return (
        ReadingSession.objects.filter(group=group)
        .annotate(
            attended=Count("attendances", filter=Q(attendances__state=AttendanceState.ATTENDED)),
            expected=Count("attendances"),
        )
        .order_by("-date", "-pk")
    )


def reading_rows(session):
    return (
        ReadingAttendance.objects.filter(session=session)
        .select_related("membership__person", "membership__sector")
        .order_by("membership__person__name", "pk")
    )


# 我的学习 --------------------------------------------------------------------------------------


def my_attendances(user):
    return (
        Attendance.objects.filter(membership__person__user=user)
        .select_related("session")
        .order_by("-session__date", "-pk")
    )


def open_trainings(user):
    mine = Attendance.objects.filter(session=OuterRef("pk"), membership__person__user=user)
    return (
        StudySession.objects.filter(
            kind=SessionKind.TRAINING, signup_open=True, state=SessionState.PLANNED
        )
        .exclude(Exists(mine))
        .order_by("date", "pk")
    )


def my_groups(user):
    return (
        ReadingGroup.objects.filter(members__person__user=user)
        .select_related("leader__person")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=ReadingSession.objects.exclude(state=ReadingState.CANCELLED).order_by(
                    "-date", "-pk"
                ),
                to_attr="recent_sessions",
            )
        )
        .distinct()
        .order_by("name", "pk")
    )


def my_reading_attendances(user):
    return (
        ReadingAttendance.objects.filter(membership__person__user=user)
        .select_related("session__group")
        .order_by("-session__date", "-pk")
    )
