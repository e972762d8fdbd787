"""Who may do what in democratic supervision (django-rules). Staff and admins manage; chairs and
party/government leaders read everything; members read the groups they belong to (and their
letters); a department's users read and answer the letters sent to their department."""

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
from zhengxie.supervision.models import SENT_STATES, SupervisionGroup, SupervisionLetter


def _group_of(obj):
    if isinstance(obj, SupervisionGroup):
        return obj
    if isinstance(obj, SupervisionLetter):
        return obj.group
    return None


@rules.predicate
def is_group_member(user, obj):
    """A member of the group (or of the group that wrote the letter)."""
    group = _group_of(obj)
    if group is None or active_role(user) is None:
        return False
    return group.group_members.filter(membership__person__user=user).exists()


@rules.predicate
def is_letter_unit(user, letter):
    """A user of the department a sent letter is addressed to."""
    role = active_role(user)
    return (
        isinstance(letter, SupervisionLetter)
        and role is not None
        and role.role == Role.UNIT
        and letter.state in SENT_STATES
        and role.handling_unit_id == letter.group.unit_id
    )


is_manager = is_staff | is_admin
reads_all = is_staff | is_admin | is_chair | is_leader

rules.add_perm("supervision.manage", is_manager)
rules.add_perm("supervision.list_groups", reads_all | is_member)
rules.add_perm("supervision.view_group", reads_all | (is_member & is_group_member))
rules.add_perm(
    "supervision.view_letter", reads_all | (is_member & is_group_member) | is_letter_unit
)
rules.add_perm("supervision.answer_letter", is_manager | is_letter_unit)
rules.add_perm("supervision.unit_letters", is_unit)
rules.add_perm("supervision.view_topics", reads_all | is_member)
rules.add_perm("supervision.view_appraisals", reads_all)
rules.add_perm("supervision.view_stats", reads_all)
