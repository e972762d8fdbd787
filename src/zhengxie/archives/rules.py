"""Who may do what with the archives app (django-rules). Staff and admin manage everything;
chair and leader read; members read campaigns, submit materials and see their own; units and
the public see nothing."""

import rules

from zhengxie.archives.models import EDITABLE_MATERIAL_STATES
from zhengxie.core.rules import is_admin, is_chair, is_leader, is_member, is_staff

is_manager = is_staff | is_admin
is_reader = is_manager | is_chair | is_leader


@rules.predicate
def is_own_material(user, material):
    """The member who contributed the material or submitted it."""
    if material is None:
        return False
    if material.submitted_by_id is not None and material.submitted_by_id == user.pk:
        return True
    return material.membership_id is not None and material.membership.person.user_id == user.pk


@rules.predicate
def is_editable(user, material):
    return material is not None and material.state in EDITABLE_MATERIAL_STATES


rules.add_perm("archives.view_campaigns", is_reader | is_member)
rules.add_perm("archives.manage", is_manager)
rules.add_perm("archives.view_all", is_reader)
rules.add_perm("archives.view_personal", is_manager)
rules.add_perm("archives.submit", is_member)
rules.add_perm("archives.my_materials", is_member)
rules.add_perm("archives.view_material", is_reader | (is_member & is_own_material))
rules.add_perm("archives.edit_material", (is_manager | (is_member & is_own_material)) & is_editable)
rules.add_perm("archives.attach", is_manager | (is_member & is_own_material))
rules.add_perm("archives.review", is_manager)
rules.add_perm("archives.resubmit", is_manager | (is_member & is_own_material))
rules.add_perm("archives.view_stats", is_reader)
