"""Who may do what with meetings and plenary speeches (django-rules)."""

import rules

from zhengxie.core.rules import (
    is_admin,
    is_chair,
    is_committee_insider,
    is_leader,
    is_member,
    is_staff,
)


@rules.predicate
def is_invitee(user, invitation):
    """The member the invitation is for."""
    return (
        invitation is not None
        and getattr(invitation, "membership", None) is not None
        and invitation.membership.person.user_id == user.pk
    )


@rules.predicate
def is_speaker(user, speech):
    if speech is None:
        return False
    if speech.membership_id is not None:
        return speech.membership.person.user_id == user.pk
    return speech.created_by_id == user.pk


is_manager = is_staff | is_admin

# Meetings
rules.add_perm("meetings.list", is_committee_insider)
rules.add_perm("meetings.view", is_committee_insider)
rules.add_perm("meetings.manage", is_manager)
rules.add_perm("meetings.record_attendance", is_manager)
rules.add_perm("meetings.view_attendance", is_manager | is_chair | is_leader)
rules.add_perm("meetings.view_own", is_member)
rules.add_perm("meetings.sign_in", is_member & is_invitee)
rules.add_perm("meetings.request_leave", is_member & is_invitee)
rules.add_perm("meetings.decide", is_manager)
rules.add_perm("meetings.view_stats", is_manager | is_chair | is_leader)
rules.add_perm("meetings.import_history", is_manager)
rules.add_perm("meetings.view_calendar", is_committee_insider)

# Plenary speeches (大会发言)
rules.add_perm("meetings.list_speeches", is_member | is_manager | is_chair | is_leader)
rules.add_perm("meetings.create_speech", is_member | is_manager)
rules.add_perm("meetings.submit_speech", is_speaker)
rules.add_perm("meetings.edit_speech", is_speaker | is_manager)
rules.add_perm("meetings.view_speech", is_speaker | is_manager | is_chair | is_leader)
rules.add_perm("meetings.review_speech", is_manager)
rules.add_perm("meetings.compile_speeches", is_manager | is_chair)
