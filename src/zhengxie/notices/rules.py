"""Who may do what with notices (django-rules). Staff and admin compose, send, remind and
withdraw; chair and leader read every sent notice and its receipts; a member reads the
notices addressed to them; units and the public see nothing."""

import rules

from zhengxie.core.rules import is_admin, is_chair, is_leader, is_member, is_staff

is_manager = is_staff | is_admin
is_reader = is_manager | is_chair | is_leader


@rules.predicate
def is_recipient(user, notice):
    """The notice went to one of the user's memberships (drafts go to nobody)."""
    from zhengxie.notices.models import NoticeState

    return (
        notice is not None
        and notice.state != NoticeState.DRAFT
        and notice.recipients.filter(membership__person__user=user).exists()
    )


rules.add_perm("notices.manage", is_manager)
rules.add_perm("notices.view_all", is_reader)
rules.add_perm("notices.mine", is_member)
rules.add_perm("notices.view", is_reader | (is_member & is_recipient))
rules.add_perm("notices.acknowledge", is_member & is_recipient)
