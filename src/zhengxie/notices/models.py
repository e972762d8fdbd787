"""通知公告: notices staff send to members, with read receipts (已读), acknowledgements (回执)
and reminders. A notice's state changes only through ``notices.services`` (table in
``workflow.py``); sending snapshots the audience as one ``Recipient`` row per membership."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengxie.core.models.base import HistoryEntry, ImmutableModel
from zhengxie.core.scoping import CommitteeScopedManager
from zhengxie.organisation.queries import AUDIENCES


class NoticeState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SENT = "sent", _("已发送")
    WITHDRAWN = "withdrawn", _("已撤回")


# What recipients see in their list (a withdrawn notice stays there, without its content).
DELIVERED_STATES = (NoticeState.SENT, NoticeState.WITHDRAWN)

AUDIENCE_CHOICES = list(AUDIENCES.items())


class Notice(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    audience = models.CharField(_("发送范围"), max_length=24, choices=AUDIENCE_CHOICES)
    audience_special_committee = models.ForeignKey(
        "organisation.SpecialCommittee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("专门委员会"),
    )
    audience_group = models.ForeignKey(
        "organisation.MemberGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("委员活动小组"),
    )
    audience_sector = models.ForeignKey(
        "organisation.Sector",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("界别"),
    )
    audience_memberships = models.ManyToManyField(
        "organisation.Membership", blank=True, related_name="+", verbose_name=_("指定委员")
    )
    reply_required = models.BooleanField(_("需要回执"), default=False)
    reply_by = models.DateField(_("回执截止日期"), null=True, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=NoticeState.choices, default=NoticeState.DRAFT
    )
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True, db_index=True)
    sent_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["committee", "state"])]

    def __str__(self):
        return self.title

    @property
    def audience_label(self):
        """The audience in words, e.g. 界别:教育界."""
        label = str(AUDIENCES.get(self.audience, self.audience))
        detail = {
            "special_committee": self.audience_special_committee,
            "group": self.audience_group,
            "sector": self.audience_sector,
        }.get(self.audience)
        return f"{label}:{detail.name}" if detail is not None else label


class NoticeHistory(HistoryEntry):
    """Sending, withdrawal, and reminders (``action="remind"``, state unchanged)."""

    subject = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class Recipient(models.Model):
    """One member a sent notice went to (the audience as it was at send time): the read
    receipt (``read_at``, first open only), the acknowledgement (回执) and the reminders."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="recipients")
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="+"
    )
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("回执时间"), null=True, blank=True)
    reply_text = models.CharField(_("回执内容"), max_length=200, blank=True)
    reminded_count = models.PositiveSmallIntegerField(_("提醒次数"), default=0)
    last_reminded_at = models.DateTimeField(_("最近提醒时间"), null=True, blank=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("通知接收人")
        verbose_name_plural = _("通知接收人")
        ordering = ["notice", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "membership"], name="notice_recipient_once")
        ]
        indexes = [models.Index(fields=["notice", "read_at"])]

    def __str__(self):
        return f"{self.notice_id}:{self.membership_id}"


class Reminder(ImmutableModel):
    """One reminder round (催阅) of a notice: who sent it, when, to how many recipients."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="reminders")
    actor = models.ForeignKey("core.User", null=True, on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("提醒人数"))
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("通知提醒")
        verbose_name_plural = _("通知提醒")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.notice_id}@{self.created:%Y-%m-%d %H:%M}"
