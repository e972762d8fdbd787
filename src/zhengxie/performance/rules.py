"""Who may do what with duty performance (django-rules)."""

import rules

from zhengxie.core.rules import is_admin, is_chair, is_leader, is_member, is_staff


@rules.predicate
def is_own_membership(user, membership):
    return membership is not None and membership.person.user_id == user.pk


@rules.predicate
def is_own_record(user, obj):
    """A claim, duty report or political check of the user's own seat."""
    return obj is not None and obj.membership.person.user_id == user.pk


is_manager = is_staff | is_admin

rules.add_perm("performance.view_rules", is_manager | is_chair | is_member)
rules.add_perm("performance.edit_rules", is_admin)
rules.add_perm("performance.view_scores", is_manager | is_chair)
rules.add_perm("performance.own_dossier", is_member)
rules.add_perm("performance.view_dossier", is_manager | is_chair | (is_member & is_own_membership))
rules.add_perm("performance.export_dossier", is_manager | (is_member & is_own_membership))
rules.add_perm("performance.manage_flags", is_manager)
rules.add_perm("performance.view_flags", is_manager | is_chair | is_leader)
rules.add_perm("performance.list_claims", is_member | is_manager)
rules.add_perm("performance.create_claim", is_member)
rules.add_perm("performance.withdraw_claim", is_member & is_own_record)
rules.add_perm("performance.decide_claim", is_manager)
rules.add_perm("performance.view_claim", is_manager | (is_member & is_own_record))
rules.add_perm("performance.list_reports", is_member | is_manager | is_chair)
rules.add_perm("performance.assign_reports", is_manager)
rules.add_perm("performance.write_report", is_member & is_own_record)
rules.add_perm("performance.view_report", is_manager | is_chair | (is_member & is_own_record))
rules.add_perm("performance.review_report", is_manager)
rules.add_perm("performance.fill_check", is_member & is_own_record)
rules.add_perm("performance.review_check", is_manager)
