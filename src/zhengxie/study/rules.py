"""Who may do what with the study app (django-rules).

Staff and admin manage; chair and leader read everything; members see published plans, the
sessions they are expected at (and trainings open for sign-up), their own reading groups and
the materials library; units and the public see nothing.
"""

import rules

from zhengxie.core.rules import (
    is_admin,
    is_chair,
    is_committee_insider,
    is_leader,
    is_member,
    is_staff,
)
from zhengxie.study.models import PlanState


@rules.predicate
def is_published_plan(user, plan):
    return plan is not None and plan.state == PlanState.PUBLISHED


@rules.predicate
def is_session_invitee(user, session):
    from zhengxie.study.models import Attendance

    return (
        session is not None
        and Attendance._base_manager.filter(
            session_id=session.pk, membership__person__user=user
        ).exists()
    )


@rules.predicate
def is_open_for_signup(user, session):
    return session is not None and session.open_for_signup


@rules.predicate
def is_group_member(user, group):
    return group is not None and group.members.filter(person__user=user).exists()


@rules.predicate
def is_reading_member(user, reading_session):
    return reading_session is not None and is_group_member(user, reading_session.group)


is_manager = is_staff | is_admin
is_reader = is_manager | is_chair | is_leader

rules.add_perm("study.view", is_committee_insider)
rules.add_perm("study.view_all", is_reader)
rules.add_perm("study.manage", is_manager)
rules.add_perm("study.view_plan", is_reader | (is_member & is_published_plan))
rules.add_perm(
    "study.view_session", is_reader | (is_member & (is_session_invitee | is_open_for_signup))
)
rules.add_perm("study.sign_up", is_member & is_open_for_signup)
rules.add_perm("study.view_group", is_reader | (is_member & is_group_member))
rules.add_perm("study.view_reading_session", is_reader | (is_member & is_reading_member))
rules.add_perm("study.mine", is_member)
rules.add_perm("study.view_stats", is_reader)
