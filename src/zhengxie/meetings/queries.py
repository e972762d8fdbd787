"""Reads of meetings, scoped to the active committee and the user's role."""

from django.db.models import Count, Exists, OuterRef, Q

from zhengxie.core.models import Role
from zhengxie.core.rules import active_role
from zhengxie.meetings.models import AttendanceState, Invitation, Meeting, MeetingState

MANAGING_ROLES = (Role.STAFF, Role.ADMIN, Role.CHAIR, Role.LEADER)


def visible_meetings(user):
    """Staff, admins, chairs and leaders see every meeting; a member sees the meetings they
    are invited to once the notice has gone out; units and the public see none."""
    role = active_role(user)
    qs = Meeting.objects.all()
    if role is None:
        return qs.none()
    if role.role in MANAGING_ROLES:
        return qs
    if role.role == Role.MEMBER:
        invited = Invitation.objects.filter(
            meeting=OuterRef("pk"), membership__person__user=user
        ).exclude(state=AttendanceState.CANCELLED)
        return qs.filter(Exists(invited)).exclude(state=MeetingState.DRAFT)
    return qs.none()


def with_counts(qs):
    """Annotate the attendance counts a list or a live screen shows."""
    live = ~Q(invitations__state=AttendanceState.CANCELLED)
    return qs.annotate(
        invited_count=Count("invitations", filter=live, distinct=True),
        signed_in_count=Count(
            "invitations",
            filter=Q(invitations__state=AttendanceState.SIGNED_IN),
            distinct=True,
        ),
        leave_count=Count(
            "invitations",
            filter=Q(
                invitations__state__in=(
                    AttendanceState.LEAVE_APPROVED,
                    AttendanceState.LEAVE_REQUESTED,
                )
            ),
            distinct=True,
        ),
    )


def meeting_list(user, *, year=None, category=None, state=None, q=None):
    qs = with_counts(visible_meetings(user))
    if year:
        qs = qs.filter(starts_at__year=year)
    if category:
        qs = qs.filter(category=category)
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(title__contains=q)
    return qs.select_related("session", "special_committee").order_by("-starts_at", "-pk")


def attendance_counts(meeting):
    """{state: n} for the live count and the sheet's summary."""
    counts = dict.fromkeys(AttendanceState.values, 0)
    for row in meeting.invitations.values("state").annotate(n=Count("pk")):
        counts[row["state"]] = row["n"]
    counts["expected"] = sum(n for s, n in counts.items() if s != AttendanceState.CANCELLED)
    return counts


def attendance_rows(meeting):
    return meeting.invitations.select_related("membership__person", "membership__sector").order_by(
        "membership__sector__position", "membership__person__name", "pk"
    )


def my_invitations(user):
    """The member's invitations to meetings whose notice has gone out, soonest first."""
    return (
        Invitation.objects.filter(membership__person__user=user)
        .exclude(meeting__state=MeetingState.DRAFT)
        .select_related("meeting")
        .order_by("-meeting__starts_at")
    )
