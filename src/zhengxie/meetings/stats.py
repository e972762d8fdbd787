"""Meeting and people figures (会议、委员变动) for one period, shared/figures.md § Meetings,
activities, people.

A period is a window of days (``core.periods.period_bounds``): a year, a session (its opening day
up to the day before the next session opens) or a term (its first plenary up to the day before the
next term's first). Meeting dates are Asia/Shanghai dates of ``starts_at``.

- ``plenary_meetings`` … ``other_meetings``: meetings held (closed) that started in the window,
  by category; ``meetings_held`` is their sum.
- ``attendance_rate_by_category``: per category, of the invitations to those meetings (cancelled
  invitations excluded) the share signed in, rounded to 4 places; None when there were none.
  ``attendance_rate`` is the same over every category, ``leave_approved_rate`` the share on
  approved leave (counted separately from attendance).
- ``members_added`` / ``members_resigned`` / ``members_removed``: membership status changes of
  kind added / resigned / removed effective in the window (``members_resigned`` includes the
  removed, as reports say 辞去或撤销).
- ``standing_members_added``: standing-committee positions (常委) starting in the window, except
  those elected at the start of a term: a position counts only if it starts after the closing
  day of its term's first session (the term's start date when the term has no session yet).
- ``standing_members_resigned``: standing positions ending in the window because the member
  resigned or was removed (not the end of a term).
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from zhengxie.core.periods import dates_between, moments_between, period_bounds
from zhengxie.meetings.models import (
    AttendanceState,
    Invitation,
    Meeting,
    MeetingCategory,
    MeetingState,
)
from zhengxie.organisation.models import (
    MembershipStatusChange,
    Position,
    PositionEndReason,
    PositionKind,
    Session,
    StatusChangeKind,
)

CATEGORY_FIGURES = {
    MeetingCategory.PLENARY: "plenary_meetings",
    MeetingCategory.STANDING: "standing_meetings",
    MeetingCategory.CHAIRS: "chairs_meetings",
    MeetingCategory.SPECIAL_COMMITTEE: "special_committee_meetings",
    MeetingCategory.OTHER: "other_meetings",
}

# Every scalar figure, in the order pages show them, with its Chinese label.
FIGURE_LABELS = {
    "meetings_held": gettext_lazy("召开会议"),
    "plenary_meetings": gettext_lazy("全体会议"),
    "standing_meetings": gettext_lazy("常委会议"),
    "chairs_meetings": gettext_lazy("主席会议"),
    "special_committee_meetings": gettext_lazy("专委会会议"),
    "other_meetings": gettext_lazy("其他会议"),
    "attendance_rate": gettext_lazy("委员出席率"),
    "leave_approved_rate": gettext_lazy("请假率"),
    "members_added": gettext_lazy("增补委员"),
    "members_resigned": gettext_lazy("辞去或撤销委员"),
    "members_removed": gettext_lazy("其中撤销委员资格"),
    "standing_members_added": gettext_lazy("增补常委"),
    "standing_members_resigned": gettext_lazy("辞去或撤销常委"),
}
RATE_FIGURES = ("attendance_rate", "leave_approved_rate")


def _rate(part, whole):
    return round(part / whole, 4) if whole else None


def meeting_figures(*, committee, year=None, session=None, term=None) -> dict:
    """Every meeting and people figure of ``committee`` for exactly one period."""
    first, last = period_bounds(session=session, year=year, term=term)

    held = Meeting.objects.filter(
        moments_between("starts_at", first, last), committee=committee, state=MeetingState.CLOSED
    ).order_by()
    by_category = dict(held.values_list("category").annotate(n=Count("pk")).order_by())

    invitations = (
        Invitation.objects.filter(meeting__in=held)
        .exclude(state=AttendanceState.CANCELLED)
        .values_list("meeting__category")
        .annotate(
            invited=Count("pk"),
            attended=Count("pk", filter=Q(state=AttendanceState.SIGNED_IN)),
            leave=Count("pk", filter=Q(state=AttendanceState.LEAVE_APPROVED)),
        )
        .order_by()
    )
    counts = {
        category: (invited, attended, leave) for category, invited, attended, leave in invitations
    }
    invited = sum(c[0] for c in counts.values())
    attended = sum(c[1] for c in counts.values())
    leave = sum(c[2] for c in counts.values())

    changes = dict(
        MembershipStatusChange.objects.filter(
            dates_between("effective_on", first, last),
            committee=committee,
            kind__in=(StatusChangeKind.ADDED, StatusChangeKind.RESIGNED, StatusChangeKind.REMOVED),
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )

    standing = Position.objects.filter(committee=committee, kind=PositionKind.STANDING).order_by()
    started = list(
        standing.filter(dates_between("starts_on", first, last)).values_list(
            "starts_on", "membership__term_id", "membership__term__starts_on"
        )
    )
    elected_until = _term_elections_end(committee, {term_id for _s, term_id, _t in started})
    standing_added = sum(
        1
        for starts_on, term_id, term_starts in started
        if starts_on > elected_until.get(term_id, term_starts)
    )
    standing_resigned = standing.filter(
        dates_between("ends_on", first, last),
        end_reason__in=(PositionEndReason.RESIGNED, PositionEndReason.REMOVED),
    ).count()

    figures = {name: by_category.get(category, 0) for category, name in CATEGORY_FIGURES.items()}
    return {
        "meetings_held": sum(by_category.values()),
        **figures,
        "attendance_rate": _rate(attended, invited),
        "leave_approved_rate": _rate(leave, invited),
        "attendance_rate_by_category": {
            category: _rate(counts[category][1], counts[category][0])
            if category in counts
            else None
            for category in CATEGORY_FIGURES
        },
        "invitations": invited,
        "attended": attended,
        "leave_approved": leave,
        "members_added": changes.get(StatusChangeKind.ADDED, 0),
        "members_resigned": changes.get(StatusChangeKind.RESIGNED, 0)
        + changes.get(StatusChangeKind.REMOVED, 0),
        "members_removed": changes.get(StatusChangeKind.REMOVED, 0),
        "standing_members_added": standing_added,
        "standing_members_resigned": standing_resigned,
    }


def _term_elections_end(committee, term_ids):
    """{term id: closing day of its first session} (the election of its standing committee)."""
    ends = {}
    sessions = (
        Session.objects.filter(committee=committee, term_id__in=term_ids)
        .order_by("term_id", "opens_on")
        .values_list("term_id", "closes_on")
    )
    for term_id, closes_on in sessions:
        ends.setdefault(term_id, closes_on)
    return ends
