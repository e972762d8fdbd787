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

``meeting_figures_for`` counts many committees at once (as an aggregate report needs), every
query grouped by committee; each filters by committee explicitly and runs with scopes disabled.
A session or term is resolved (``period_bounds``) in the caller's scope.
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from zhengxie.core.grouping import grouped_rows
from zhengxie.core.periods import dates_between, moments_between, period_bounds
from zhengxie.core.scoping import scopes_disabled
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
    return meeting_figures_for(committees=[committee], year=year, session=session, term=term)[
        committee.pk
    ]


def meeting_figures_for(*, committees, year=None, session=None, term=None) -> dict:
    """``meeting_figures`` of several committees at once ({committee id: figures}), each query
    grouped by committee. A session or term belongs to one committee, so with one of those
    ``committees`` holds that committee only."""
    ids = [c.pk for c in committees]
    first, last = period_bounds(session=session, year=year, term=term)
    by_category = {pk: {} for pk in ids}
    counts = {pk: {} for pk in ids}
    changes = {pk: {} for pk in ids}
    with scopes_disabled():
        held = Meeting.objects.filter(
            moments_between("starts_at", first, last),
            committee_id__in=ids,
            state=MeetingState.CLOSED,
        )
        for row in grouped_rows(held, "category", n=Count("pk")):
            by_category[row["committee_id"]][row["category"]] = row["n"]

        invitations = Invitation.objects.filter(meeting__in=held).exclude(
            state=AttendanceState.CANCELLED
        )
        for row in grouped_rows(
            invitations,
            "meeting__committee_id",
            "meeting__category",
            invited=Count("pk"),
            attended=Count("pk", filter=Q(state=AttendanceState.SIGNED_IN)),
            leave=Count("pk", filter=Q(state=AttendanceState.LEAVE_APPROVED)),
        ):
            # A committee counts its own invitations to its own meetings. (Grouping by both is
            # much faster on PostgreSQL than a join condition on the two committees.)
            if row["committee_id"] != row["meeting__committee_id"]:
                continue
            counts[row["committee_id"]][row["meeting__category"]] = (
                row["invited"],
                row["attended"],
                row["leave"],
            )

        for row in grouped_rows(
            MembershipStatusChange.objects.filter(
                dates_between("effective_on", first, last),
                committee_id__in=ids,
                kind__in=(
                    StatusChangeKind.ADDED,
                    StatusChangeKind.RESIGNED,
                    StatusChangeKind.REMOVED,
                ),
            ),
            "kind",
            n=Count("pk"),
        ):
            changes[row["committee_id"]][row["kind"]] = row["n"]

        standing = Position.objects.filter(committee_id__in=ids, kind=PositionKind.STANDING)
        started = list(
            standing.filter(dates_between("starts_on", first, last))
            .order_by()
            .values_list(
                "committee_id", "starts_on", "membership__term_id", "membership__term__starts_on"
            )
        )
        elected_until = _term_elections_end({(c, t) for c, _s, t, _t in started})
        standing_added = dict.fromkeys(ids, 0)
        for committee_id, starts_on, term_id, term_starts in started:
            if starts_on > elected_until.get((committee_id, term_id), term_starts):
                standing_added[committee_id] += 1
        standing_resigned = {
            row["committee_id"]: row["n"]
            for row in grouped_rows(
                standing.filter(
                    dates_between("ends_on", first, last),
                    end_reason__in=(PositionEndReason.RESIGNED, PositionEndReason.REMOVED),
                ),
                n=Count("pk"),
            )
        }

    return {
        pk: _figures(
            by_category[pk],
            counts[pk],
            changes[pk],
            standing_added=standing_added[pk],
            standing_resigned=standing_resigned.get(pk, 0),
        )
        for pk in ids
    }


def _figures(by_category, counts, changes, *, standing_added, standing_resigned):
    """One committee's figures from its counts: meetings {category: n}, invitations {category:
    (invited, attended, leave)} and status changes {kind: n}."""
    invited = sum(c[0] for c in counts.values())
    attended = sum(c[1] for c in counts.values())
    leave = sum(c[2] for c in counts.values())
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


def _term_elections_end(committee_terms):
    """{(committee id, term id): closing day of the term's first session of that committee}
    (the election of its standing committee), for the given pairs, in one query."""
    if not committee_terms:
        return {}
    ends = {}
    sessions = (
        Session.objects.filter(
            committee_id__in={c for c, _t in committee_terms},
            term_id__in={t for _c, t in committee_terms},
        )
        .order_by("committee_id", "term_id", "opens_on")
        .values_list("committee_id", "term_id", "closes_on")
    )
    for committee_id, term_id, closes_on in sessions:
        ends.setdefault((committee_id, term_id), closes_on)
    return ends
