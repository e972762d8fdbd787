"""Who may do what with proposals (django-rules; see core/rules.py for the roles)."""

import rules

from zhengxie.core.models import Role, StaffOffice
from zhengxie.core.rules import (
    active_role,
    is_admin,
    is_chair,
    is_leader,
    is_member,
    is_staff,
    is_unit,
)
from zhengxie.proposals.models import (
    ANSWERING_ROLES,
    REGISTERED_STATES,
    AssignmentRole,
    KeyState,
    ProposalState,
)


@rules.predicate
def is_proposal_staff(user):
    role = active_role(user)
    return role is not None and role.role == Role.STAFF and role.office == StaffOffice.PROPOSALS


def _person_user_id(membership):
    return membership.person.user_id if membership is not None else None


@rules.predicate
def is_lead(user, proposal):
    return (
        proposal is not None
        and proposal.lead_id is not None
        and _person_user_id(proposal.lead) == user.pk
    )


@rules.predicate
def is_entered_by_user(user, proposal):
    """Staff enter proposals of parties, special committees and sector groups for them."""
    return proposal is not None and proposal.lead_id is None and proposal.created_by_id == user.pk


@rules.predicate
def is_cosigner(user, proposal):
    return (
        proposal is not None and proposal.cosigners.filter(membership__person__user=user).exists()
    )


@rules.predicate
def is_assigned_unit(user, assignment):
    role = active_role(user)
    return (
        assignment is not None
        and role is not None
        and role.role == Role.UNIT
        and role.handling_unit_id == assignment.unit_id
    )


@rules.predicate
def answers_proposer(user, assignment):
    return (
        assignment is not None
        and assignment.role in ANSWERING_ROLES
        and assignment.role != AssignmentRole.LETTER
    )


@rules.predicate
def is_co_unit_assignment(user, assignment):
    return assignment is not None and assignment.role == AssignmentRole.CO


@rules.predicate
def is_letter(user, assignment):
    return assignment is not None and assignment.role == AssignmentRole.LETTER


@rules.predicate
def leads_proposal_of(user, assignment):
    return assignment is not None and is_lead(user, assignment.proposal)


@rules.predicate
def is_key_leader(user, proposal):
    return (
        proposal is not None
        and proposal.key_state == KeyState.DECIDED
        and proposal.key_leader_user_id == user.pk
    )


@rules.predicate
def is_registered(user, proposal):
    return proposal is not None and proposal.state in REGISTERED_STATES


@rules.predicate
def is_not_draft(user, proposal):
    return proposal is not None and proposal.state != ProposalState.DRAFT


rules.add_perm("proposals.list", is_member | is_staff | is_chair | is_admin | is_leader | is_unit)
rules.add_perm("proposals.create", is_member | is_proposal_staff)
rules.add_perm("proposals.submit", is_lead | is_entered_by_user)
rules.add_perm("proposals.edit", is_lead | is_entered_by_user)
rules.add_perm("proposals.withdraw", is_lead | is_entered_by_user)
rules.add_perm("proposals.review", is_proposal_staff)
rules.add_perm("proposals.assign", is_proposal_staff)
rules.add_perm("proposals.close", is_proposal_staff)
rules.add_perm("proposals.decide_return", is_proposal_staff)
rules.add_perm("proposals.correct_category", is_proposal_staff)
rules.add_perm("proposals.decide_extension", is_proposal_staff)
rules.add_perm("proposals.manage_key", is_proposal_staff)
rules.add_perm("proposals.supervise", is_proposal_staff | is_chair | is_key_leader)
rules.add_perm("proposals.add_instruction", is_proposal_staff)
rules.add_perm("proposals.award", is_proposal_staff)
rules.add_perm("proposals.import_history", is_proposal_staff | is_admin)
rules.add_perm("proposals.view_stats", is_staff | is_chair | is_admin | is_leader)
rules.add_perm("proposals.export", is_staff | is_chair | is_admin)
rules.add_perm(
    "proposals.view",
    is_lead
    | is_cosigner
    | (is_member & is_registered)
    | ((is_staff | is_chair | is_admin) & is_not_draft)
    | (is_leader & (is_registered | is_key_leader)),
)

# Assignments (the unit's part)
rules.add_perm("proposals.handle", is_assigned_unit)
rules.add_perm("proposals.contact", is_assigned_unit & answers_proposer)
rules.add_perm("proposals.reply", is_assigned_unit & (answers_proposer | is_letter))
rules.add_perm("proposals.reply_letter", is_assigned_unit & is_letter)
rules.add_perm("proposals.send_view", is_assigned_unit & is_co_unit_assignment)
rules.add_perm("proposals.request_extension", is_assigned_unit)


@rules.predicate
def entered_proposal_of(user, assignment):
    return assignment is not None and is_entered_by_user(user, assignment.proposal)


rules.add_perm("proposals.rate", (leads_proposal_of | entered_proposal_of) & answers_proposer)


# Documents (pdocs): the assignment letter (交办函) goes to proposal staff and to the unit itself.
@rules.predicate
def is_own_unit(user, unit):
    role = active_role(user)
    return (
        unit is not None
        and role is not None
        and role.role == Role.UNIT
        and role.handling_unit_id == unit.pk
    )


rules.add_perm("proposals.download_letter", is_proposal_staff | is_own_unit)
rules.add_perm("proposals.manage_categories", is_proposal_staff | is_admin)
