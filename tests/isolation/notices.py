"""The notices app's part of the cross-committee route walk (see tests/test_isolation.py)."""

from django.utils import timezone


def build(committee, world):
    """Records of the notices app in ``committee``; ``world`` holds the base records."""
    from zhengxie.notices.models import Notice, Recipient, Reminder

    notice = Notice.objects.create(
        committee=committee,
        title="关于召开专题协商会的通知",
        body="请准时参加。",
        audience="all",
        reply_required=True,
        state="sent",
        sent_at=timezone.now(),
    )
    recipient = Recipient.objects.create(
        committee=committee, notice=notice, membership=world["membership"]
    )
    reminder = Reminder.objects.create(committee=committee, notice=notice, count=1)
    return {"notice": notice, "notice_recipient": recipient, "notice_reminder": reminder}


def _notice(w, i):
    return {"pk": i(w["notice"])}


# route name -> how to build its kwargs from a world and the id to use
FOREIGN = {
    "notices:detail": _notice,
    "notices:edit": _notice,
    "notices:act": lambda w, i: {"pk": i(w["notice"]), "action": "withdraw"},
    "notices:remind": _notice,
    "notices:acknowledge": _notice,
    "notices:receipts_export": _notice,
}
# Routes addressed by committee code rather than the user's committee.
PUBLIC_ROUTES = set()
