"""Who may do what with the places app (django-rules). Staff and admin manage; chair and leader
read; members read rooms, see their shifts and record visits on them; units see the issues
routed to their unit; the public only the public pages."""

import rules

from zhengxie.core.models import Role
from zhengxie.core.rules import (
    active_role,
    is_admin,
    is_chair,
    is_leader,
    is_member,
    is_staff,
    is_unit,
)

is_manager = is_staff | is_admin


def _is_own_membership(user, membership):
    return membership is not None and membership.person.user_id == user.pk


@rules.predicate
def is_own_shift_member(user, shift_member):
    """The member on this shift slot (confirms their own service)."""
    return shift_member is not None and _is_own_membership(user, shift_member.membership)


@rules.predicate
def is_on_shift(user, shift):
    """A member on duty in this shift (records its visits)."""
    return shift is not None and shift.shift_members.filter(membership__person__user=user).exists()


@rules.predicate
def is_visit_member(user, issue):
    """A member who received the resident (on the issue's visit)."""
    return (
        issue is not None
        and issue.visit_id is not None
        and issue.visit.members.filter(person__user=user).exists()
    )


@rules.predicate
def is_issue_unit(user, issue):
    role = active_role(user)
    return (
        issue is not None
        and role is not None
        and role.role == Role.UNIT
        and issue.unit_id is not None
        and issue.unit_id == role.handling_unit_id
    )


is_reader = is_manager | is_chair | is_leader

rules.add_perm("places.view", is_reader | is_member)
rules.add_perm("places.manage", is_manager)
rules.add_perm("places.view_internal", is_reader)
rules.add_perm("places.view_personal", is_manager)
rules.add_perm("places.my_shifts", is_member)
rules.add_perm("places.record_visit", is_manager | (is_member & is_on_shift))
rules.add_perm("places.confirm_service", is_manager | (is_member & is_own_shift_member))
rules.add_perm("places.view_issue", is_reader | (is_member & is_visit_member) | is_issue_unit)
rules.add_perm("places.unit_issues", is_unit)
rules.add_perm("places.route_issue", is_manager | (is_member & is_visit_member))
rules.add_perm("places.route_to_unit", is_manager)
rules.add_perm("places.convert_message", is_manager)
rules.add_perm("places.view_stats", is_reader)
