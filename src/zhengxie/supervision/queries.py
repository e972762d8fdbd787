"""Reads of democratic supervision, scoped to the active committee and the user's role."""

from django.db.models import Prefetch

from zhengxie.core.models import Role
from zhengxie.core.rules import active_role
from zhengxie.supervision.models import (
    SENT_STATES,
    AppraisalScore,
    GroupMember,
    LetterState,
    SupervisionGroup,
    SupervisionLetter,
)
from zhengxie.supervision.rules import reads_all


def visible_groups(user):
    """Staff, admins, chairs and leaders see every group; members the groups they are in."""
    role = active_role(user)
    qs = SupervisionGroup.objects.all()
    if role is None:
        return qs.none()
    if reads_all(user):
        return qs
    if role.role == Role.MEMBER:
        return qs.filter(group_members__membership__person__user=user).distinct()
    return qs.none()


def visible_letters(user):
    """Every letter for those who read all; members the letters of their groups; a
    department's users the letters sent to their department."""
    role = active_role(user)
    qs = SupervisionLetter.objects.all()
    if role is None:
        return qs.none()
    if reads_all(user):
        return qs
    if role.role == Role.MEMBER:
        return qs.filter(group__group_members__membership__person__user=user).distinct()
    if role.role == Role.UNIT and role.handling_unit_id:
        return qs.filter(group__unit_id=role.handling_unit_id, state__in=SENT_STATES)
    return qs.none()


def _members_prefetch():
    return Prefetch(
        "group_members",
        queryset=GroupMember.objects.select_related("membership__person").order_by("role", "pk"),
    )


def group_list(user, *, year=None):
    qs = (
        visible_groups(user)
        .select_related("unit", "topic")
        .prefetch_related(
            _members_prefetch(),
            Prefetch("letters", queryset=SupervisionLetter.objects.order_by("-created", "-pk")),
        )
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "name", "pk")


def group_years(user):
    return list(visible_groups(user).order_by("-year").values_list("year", flat=True).distinct())


def group_detail_queryset(user):
    return (
        visible_groups(user).select_related("unit", "topic").prefetch_related(_members_prefetch())
    )


def letter_queryset(user):
    return visible_letters(user).select_related("group__unit", "topic", "committee")


def unit_letters(user, *, pending_only=False):
    """The letters sent to the user's department, awaiting answer first."""
    qs = letter_queryset(user)
    if pending_only:
        qs = qs.filter(state=LetterState.SENT)
    return qs.order_by("state", "-sent_on", "-pk")


def ranking(appraisal):
    """The appraisal's scores, best first, each with its rank (equal scores share a rank)."""
    scores = list(
        AppraisalScore.objects.filter(appraisal=appraisal)
        .select_related("unit")
        .order_by("-score", "unit__name", "pk")
    )
    previous, rank = None, 0
    for position, score in enumerate(scores, start=1):
        if score.score != previous:
            rank, previous = position, score.score
        score.rank = rank
    return scores
