"""Reads of proposals, scoped to the active committee (core.scoping) and to the user's role."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from zhengxie.core.models import Role, StaffOffice
from zhengxie.core.rules import active_role
from zhengxie.proposals.models import (
    ACTIVE_ASSIGNMENT_STATES,
    OPEN_ASSIGNMENT_STATES,
    REGISTERED_STATES,
    Assignment,
    CoSigner,
    KeyState,
    Proposal,
    ProposalState,
    SignatureState,
)


def visible_proposals(user):
    """Proposals the acting user may open — the one place the rules of who sees what live:
    members their own (lead or co-signer) and every registered one; staff, chairs and admins
    everything but others' drafts; units only their unit's cases; leaders registered ones and
    the key proposals they lead."""
    role = active_role(user)
    qs = Proposal.objects.all()
    if role is None:
        return qs.none()
    own = Q(lead__person__user=user) | Q(
        Exists(CoSigner.objects.filter(proposal=OuterRef("pk"), membership__person__user=user))
    )
    registered = Q(state__in=REGISTERED_STATES)
    if role.role == Role.MEMBER:
        return qs.filter(own | registered)
    if role.role in (Role.STAFF, Role.CHAIR, Role.ADMIN):
        return qs.filter(~Q(state=ProposalState.DRAFT) | Q(created_by=user))
    if role.role == Role.UNIT:
        mine = Assignment.objects.filter(
            proposal=OuterRef("pk"),
            unit_id=role.handling_unit_id,
            state__in=ACTIVE_ASSIGNMENT_STATES,
        )
        return qs.filter(Exists(mine))
    if role.role == Role.LEADER:
        return qs.filter(registered | Q(key_state=KeyState.DECIDED, key_leader_user=user))
    return qs.none()


def is_proposal_staff(user):
    role = active_role(user)
    return role is not None and role.role == Role.STAFF and role.office == StaffOffice.PROPOSALS


LIST_VIEWS = {
    "mine": "我的提案",
    "review": "审查",
    "unit": "本单位承办",
    "key": "重点提案",
    "overdue": "超期未复",
    "all": "全部提案",
}


def proposal_list(
    user,
    *,
    view="all",
    session=None,
    year=None,
    category=None,
    state=None,
    unit=None,
    submitter_type=None,
    sector=None,
    key=None,
    q=None,
):
    """The filtered proposal list shared by the page, the export and the API."""
    qs = visible_proposals(user).select_related(
        "session", "category", "lead__person", "lead__sector"
    )
    role = active_role(user)
    if view == "mine":
        qs = qs.filter(
            Q(lead__person__user=user)
            | Q(cosigners__membership__person__user=user)
            | Q(lead__isnull=True, created_by=user)
        ).distinct()
    elif view == "review":
        qs = qs.filter(state__in=(ProposalState.SUBMITTED, ProposalState.UNDER_REVIEW))
    elif view == "unit" and role is not None and role.handling_unit_id:
        qs = qs.filter(
            assignments__unit_id=role.handling_unit_id,
            assignments__state__in=ACTIVE_ASSIGNMENT_STATES,
        ).distinct()
    elif view == "key":
        qs = qs.exclude(key_state="")
    elif view == "overdue":
        qs = qs.filter(Exists(overdue_assignments().filter(proposal=OuterRef("pk"))))
    if session:
        qs = qs.filter(session=session)
    if year:
        qs = qs.filter(submitted_at__year=year)
    if category:
        qs = qs.filter(category=category)
    if state:
        qs = qs.filter(state=state)
    if unit:
        qs = qs.filter(Exists(Assignment.objects.filter(proposal=OuterRef("pk"), unit=unit)))
    if submitter_type:
        qs = qs.filter(submitter_type=submitter_type)
    if sector:
        qs = qs.filter(lead__sector=sector)
    if key is not None:
        qs = qs.exclude(key_state="") if key else qs.filter(key_state="")
    if q:
        qs = qs.filter(Q(title__contains=q.strip()) | Q(lead__person__name=q.strip()))
    return qs.order_by("-submitted_at", "-pk")


def overdue_assignments(on=None):
    on = on or timezone.localdate()
    return Assignment.objects.filter(state__in=OPEN_ASSIGNMENT_STATES, deadline__lt=on)


def proposal_detail(user, pk):
    """The proposal with everything its page shows, or DoesNotExist if the user may not see it."""
    assignments = Assignment.objects.select_related("unit").prefetch_related(
        "replies__rating", "replies__document", "extensions"
    )
    return (
        visible_proposals(user)
        .select_related("session", "category", "lead__person", "lead__sector", "merged_into")
        .prefetch_related(
            Prefetch("assignments", queryset=assignments),
            Prefetch("cosigners", queryset=CoSigner.objects.select_related("membership__person")),
            "suggested_units",
            "history__actor",
            "supervision_records",
            "merged",
            "awards",
        )
        .get(pk=pk)
    )


def pending_signatures(user):
    """Joint proposals waiting for this member's confirmation."""
    return CoSigner.objects.filter(
        membership__person__user=user,
        state=SignatureState.INVITED,
        proposal__state=ProposalState.COLLECTING_SIGNATURES,
    ).select_related("proposal__lead__person")


def home_summary(user):
    """Counts for the role's home page, each linking to its list."""
    role = active_role(user)
    if role is None:
        return []
    rows = []
    if role.role == Role.MEMBER:
        mine = proposal_list(user, view="mine")
        awaiting_rating = Assignment.objects.filter(
            proposal__lead__person__user=user, state="replied", role__in=("single", "split", "main")
        )
        rows = [
            ("mine", "我的提案", mine.count()),
            ("mine", "待我评价的答复", awaiting_rating.count()),
            ("mine", "待我确认的联名", pending_signatures(user).count()),
        ]
    elif role.role == Role.UNIT:
        cases = Assignment.objects.filter(unit_id=role.handling_unit_id)
        rows = [
            ("unit", "办理中的提案", cases.filter(state__in=OPEN_ASSIGNMENT_STATES).count()),
            (
                "unit",
                "超期未复",
                overdue_assignments().filter(unit_id=role.handling_unit_id).count(),
            ),
        ]
    elif is_proposal_staff(user):
        rows = [
            ("review", "待审查提案", proposal_list(user, view="review").count()),
            ("overdue", "超期未复", overdue_assignments().values("proposal").distinct().count()),
            ("key", "重点提案", proposal_list(user, view="key").count()),
        ]
    elif role.role in (Role.CHAIR, Role.LEADER):
        rows = [("key", "重点提案", proposal_list(user, view="key").count())]
    return rows
