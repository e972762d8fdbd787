"""Who may do what with activities and plans (django-rules).

Staff and administrators manage; chairs and leaders read; members read their committee's
activities (and joint ones shared with it), sign up while sign-up is open and see their own
participation. For a joint activity shared with it, a participating committee's staff add and
record their own members only; editing the activity stays with the organising committee.
"""

import rules

from zhengxie.activities.models import ActivityState
from zhengxie.core.rules import (
    active_role,
    is_admin,
    is_chair,
    is_committee_insider,
    is_leader,
    is_member,
    is_staff,
)


@rules.predicate
def is_own_committee(user, obj):
    role = active_role(user)
    return obj is None or (role is not None and role.committee_id == obj.committee_id)


@rules.predicate
def is_open_for_signup(user, activity):
    return activity is not None and activity.state == ActivityState.OPEN


is_manager = is_staff | is_admin

rules.add_perm("activities.list", is_committee_insider)
rules.add_perm("activities.view", is_committee_insider)
rules.add_perm("activities.create", is_manager)
rules.add_perm("activities.edit", is_manager & is_own_committee)
rules.add_perm("activities.share", is_manager & is_own_committee)
rules.add_perm("activities.manage_participants", is_manager)
rules.add_perm("activities.record_attendance", is_manager)
rules.add_perm("activities.write_report", is_manager & is_own_committee)
rules.add_perm("activities.sign_up", is_member & is_open_for_signup)
rules.add_perm("activities.view_participants", is_manager | is_chair | is_leader)
rules.add_perm("activities.import_history", is_manager)
rules.add_perm("activities.view_plans", is_committee_insider)
rules.add_perm("activities.manage_plans", is_manager & is_own_committee)
rules.add_perm("activities.mine", is_member)
