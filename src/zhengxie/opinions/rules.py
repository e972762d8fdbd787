"""Who may do what with public-opinion reports (django-rules). Nothing here is public."""

import rules

from zhengxie.core.config import get_setting
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

OPINION_OFFICES = (StaffOffice.RESEARCH, StaffOffice.GENERAL)


@rules.predicate
def is_opinion_staff(user):
    role = active_role(user)
    return role is not None and role.role == Role.STAFF and role.office in OPINION_OFFICES


@rules.predicate
def is_submitter(user, report):
    if report is None:
        return False
    if report.lead_id and report.lead.person.user_id == user.pk:
        return True
    if report.person_id and report.person.user_id == user.pk:
        return True
    return report.lead_id is None and report.person_id is None and report.created_by_id == user.pk


@rules.predicate
def is_cosubmitter(user, report):
    return report is not None and report.cosubmitters.filter(membership__person__user=user).exists()


def _named_role(setting):
    @rules.predicate(name=f"named_by_{setting}")
    def predicate(user, report=None):
        role = active_role(user)
        if role is None:
            return False
        named = get_setting(role.committee, setting)
        key = f"{role.role}:{role.office}" if role.office else role.role
        return role.role in named or key in named

    return predicate


is_approver = _named_role("opinion_approver_roles")
is_signer = _named_role("opinion_signer_roles")


@rules.predicate
def has_person(user):
    return hasattr(user, "person")


rules.add_perm("opinions.list", is_member | is_staff | is_chair | is_admin | is_leader | has_person)
rules.add_perm("opinions.create", is_member | is_opinion_staff | has_person)
rules.add_perm("opinions.submit", is_submitter)
rules.add_perm("opinions.edit_draft", is_submitter)
rules.add_perm("opinions.review", is_opinion_staff)
rules.add_perm("opinions.edit", is_opinion_staff)
rules.add_perm("opinions.approve", is_approver)
rules.add_perm("opinions.sign_off", is_signer)
rules.add_perm("opinions.compose_bulletin", is_opinion_staff)
rules.add_perm("opinions.forward", is_opinion_staff)
rules.add_perm("opinions.record_adoption", is_opinion_staff)
rules.add_perm("opinions.view_stats", is_staff | is_chair | is_admin | is_leader)
rules.add_perm("opinions.export", is_opinion_staff | is_chair | is_admin)
rules.add_perm("opinions.import_history", is_opinion_staff | is_admin)
rules.add_perm(
    "opinions.view",
    is_submitter | is_cosubmitter | is_staff | is_chair | is_admin | is_leader,
)


# Bulletins (刊物) and departments' handling -------------------------------------------------


@rules.predicate
def is_handling_unit(user, handling):
    """A unit user, for a handling transferred to their own unit."""
    role = active_role(user)
    return (
        handling is not None
        and role is not None
        and role.role == Role.UNIT
        and role.handling_unit_id == handling.unit_id
    )


rules.add_perm("opinions.view_bulletins", is_staff | is_chair | is_admin | is_leader)
rules.add_perm("opinions.handle", is_unit)
rules.add_perm("opinions.answer_handling", is_handling_unit | is_opinion_staff)
