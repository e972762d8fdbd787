"""Public participation basics: phone verification codes and the moderation queue."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengxie.core.scoping import CommitteeScopedManager


class PhoneCode(models.Model):
    phone_digest = models.CharField(max_length=64, db_index=True)
    code_digest = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")


class ModerationState(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已发布")
    REJECTED = "rejected", _("未通过")
    REMOVED = "removed", _("已撤下")


class ModerationItem(models.Model):
    """Text the public posts waits here until a moderator publishes or rejects it."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    author = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_ip = models.GenericIPAddressField(null=True, blank=True)
    text = models.TextField(_("内容"))
    state = models.CharField(
        _("状态"), max_length=16, choices=ModerationState.choices, default=ModerationState.PENDING
    )
    flagged_words = models.JSONField(_("命中敏感词"), default=list, blank=True)
    flagged = models.BooleanField(_("命中敏感词"), default=False, db_index=True)
    reason = models.CharField(_("处理理由"), max_length=255, blank=True)
    decided_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("审核队列")
        verbose_name_plural = _("审核队列")
        ordering = ["created", "pk"]
