"""The moderation queue: text from the public waits for a moderator before anyone else sees it.

Text containing one of the committee's blocked words (setting ``blocked_words``) is flagged and
listed first, but still waits for a person's decision. Two moderators deciding the same item at
once: the row is locked, the first decision stands, the second gets a Chinese error.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core.audit import audit_change, audit_record, snapshot
from zhengxie.core.config import get_setting
from zhengxie.core.models import AuditAction, ModerationItem, ModerationState

MAX_TEXT_LENGTH = 5000


def blocked_words_in(text: str, words) -> list[str]:
    """The blocked words that occur in ``text`` (case-insensitive), in list order."""
    folded = text.casefold()
    return [w for w in words if w and w.casefold() in folded]


@transaction.atomic
def submit_for_moderation(*, committee, text: str, author, ip, target=None) -> ModerationItem:
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("内容不能为空。"))
    if len(text) > MAX_TEXT_LENGTH:
        raise ValidationError(_("内容不能超过 %(max)s 个字。") % {"max": MAX_TEXT_LENGTH})
    flagged = blocked_words_in(text, get_setting(committee, "blocked_words"))
    item = ModerationItem(
        committee=committee,
        author=author if author is not None and author.is_authenticated else None,
        author_ip=ip or None,
        text=text,
        flagged_words=flagged,
        flagged=bool(flagged),
    )
    if target is not None:
        item.target_type = ContentType.objects.get_for_model(target)
        item.target_id = target.pk
    item.save()
    audit_record(actor=author, action=AuditAction.CREATE, obj=item, after=snapshot(item))
    return item


def _locked(item, actor, *, expected):
    if not actor.has_perm("core.moderate", item):
        raise PermissionDenied(_("您没有审核内容的权限。"))
    locked = ModerationItem.objects.select_for_update().get(pk=item.pk)
    if locked.state != expected:
        raise ValidationError(
            _("该内容当前为“%(state)s”,可能已被他人处理,请刷新后重试。")
            % {"state": locked.get_state_display()}
        )
    return locked


@transaction.atomic
def moderation_decide(*, item, actor, approve: bool, reason: str = "") -> ModerationItem:
    """Publish (``approve``) or reject a pending item; a rejection needs a reason."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError(_("请填写未通过的理由。"))
    if len(reason) > 255:
        raise ValidationError(_("理由不能超过255个字。"))
    locked = _locked(item, actor, expected=ModerationState.PENDING)
    before = snapshot(locked)
    locked.state = ModerationState.APPROVED if approve else ModerationState.REJECTED
    locked.reason, locked.decided_by, locked.decided_at = reason, actor, timezone.now()
    locked.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    audit_change(actor=actor, obj=locked, before=before)
    return locked


@transaction.atomic
def moderation_remove(*, item, actor, reason: str) -> ModerationItem:
    """Take down an item that was published."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写撤下的理由。"))
    if len(reason) > 255:
        raise ValidationError(_("理由不能超过255个字。"))
    locked = _locked(item, actor, expected=ModerationState.APPROVED)
    before = snapshot(locked)
    locked.state = ModerationState.REMOVED
    locked.reason, locked.decided_by, locked.decided_at = reason, actor, timezone.now()
    locked.save(update_fields=["state", "reason", "decided_by", "decided_at"])
    audit_change(actor=actor, obj=locked, before=before)
    return locked


# Reads -------------------------------------------------------------------------------------


def pending_items():
    """The active committee's pending items, flagged first, then oldest first."""
    return (
        ModerationItem.objects.filter(state=ModerationState.PENDING)
        .select_related("author")
        .order_by("-flagged", "created", "pk")
    )


def published_for(target):
    """The published items on ``target``, oldest first (for public pages)."""
    return ModerationItem.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        state=ModerationState.APPROVED,
    ).order_by("created", "pk")
