"""Meetings (会议): plenary, standing-committee, chairs', special-committee and other meetings;
agenda, invitations with attendance and leave (请假), QR sign-in, minutes and decisions; and
plenary speeches (大会发言). States change only through ``meetings.services`` (tables in
``workflow.py``)."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengxie.core.models.base import HistoryEntry
from zhengxie.core.scoping import CommitteeScopedManager


class MeetingCategory(models.TextChoices):
    """What figures and the duty ledger count a meeting as; the kind label shown may be finer."""

    PLENARY = "plenary", _("全体会议")
    STANDING = "standing", _("常委会议")
    CHAIRS = "chairs", _("主席会议")
    SPECIAL_COMMITTEE = "special_committee", _("专委会会议")
    OTHER = "other", _("其他会议")


class MeetingState(models.TextChoices):
    DRAFT = "draft", _("筹备中")
    NOTIFIED = "notified", _("已通知")
    SIGNING_IN = "signing_in", _("签到中")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


OPEN_MEETING_STATES = (MeetingState.DRAFT, MeetingState.NOTIFIED, MeetingState.SIGNING_IN)


def new_secret():
    return secrets.token_hex(16)


class Meeting(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("会议类别"), max_length=24, choices=MeetingCategory.choices)
    kind_label = models.CharField(
        _("会议名称类型"), max_length=32, blank=True, help_text=_("其他会议的具体类型,如:座谈会")
    )
    title = models.CharField(_("会议名称"), max_length=200)
    session = models.ForeignKey(
        "organisation.Session",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("届次会议"),
    )
    special_committee = models.ForeignKey(
        "organisation.SpecialCommittee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("专门委员会"),
    )
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    place = models.CharField(_("地点"), max_length=128)
    half_days = models.DecimalField(
        _("会期(半天)"),
        max_digits=4,
        decimal_places=1,
        default=1,
        help_text=_("出席计入履职的时长,以半天计。"),
    )
    description = models.TextField(_("会议说明"), blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=MeetingState.choices, default=MeetingState.DRAFT
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    sign_in_secret = models.CharField(max_length=32, default=new_secret, editable=False)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["committee", "category", "starts_at"])]

    def __str__(self):
        return self.title

    @property
    def kind_display(self):
        return self.kind_label or self.get_category_display()


class MeetingHistory(HistoryEntry):
    subject = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )


class AgendaItem(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议程"), max_length=200)
    presenter = models.CharField(_("汇报人/主持人"), max_length=64, blank=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class AttendanceState(models.TextChoices):
    INVITED = "invited", _("待参会")
    SIGNED_IN = "signed_in", _("已签到")
    LEAVE_REQUESTED = "leave_requested", _("请假")
    LEAVE_APPROVED = "leave_approved", _("同意请假")
    ABSENT = "absent", _("缺席")
    CANCELLED = "cancelled", _("取消")


# The ledger's attendance sub-kind (``<category>.<outcome>``) for each final state.
LEDGER_OUTCOME = {
    AttendanceState.SIGNED_IN: "attended",
    AttendanceState.LEAVE_APPROVED: "leave_approved",
    AttendanceState.LEAVE_REQUESTED: "leave_requested",
    AttendanceState.ABSENT: "absent",
}


class SignInMethod(models.TextChoices):
    QR = "qr", _("扫码签到")
    STAFF = "staff", _("工作人员登记")


class Invitation(models.Model):
    """One invited member of one meeting and their attendance (出席情况)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="invitations"
    )
    state = models.CharField(
        _("出席情况"),
        max_length=16,
        choices=AttendanceState.choices,
        default=AttendanceState.INVITED,
    )
    leave_reason = models.CharField(_("请假事由"), max_length=255, blank=True)
    signed_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    sign_in_method = models.CharField(
        _("签到方式"), max_length=8, choices=SignInMethod.choices, blank=True
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("参会人员")
        verbose_name_plural = _("参会人员")
        ordering = ["membership__person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="invited_once")
        ]
        indexes = [models.Index(fields=["meeting", "state"])]

    def __str__(self):
        return f"{self.meeting} · {self.membership}"


class InvitationHistory(HistoryEntry):
    subject = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )


class DecisionKind(models.TextChoices):
    MEMBER_ADDED = "member_added", _("增补委员")
    MEMBER_RESIGNED = "member_resigned", _("接受辞去委员")
    MEMBER_REMOVED = "member_removed", _("撤销委员资格")
    STANDING_ADDED = "standing_added", _("增补常委")
    STANDING_RESIGNED = "standing_resigned", _("接受辞去常委")
    KEY_PROPOSAL = "key_proposal", _("确定重点提案")
    OTHER = "other", _("其他决定")


class Decision(models.Model):
    """A decision of a meeting. Those on members and standing members change the member's dated
    status or position (linked here); those on key proposals link the proposal."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("决定事项"), max_length=24, choices=DecisionKind.choices)
    text = models.TextField(_("决定内容"))
    effective_on = models.DateField(_("生效日期"))
    membership = models.ForeignKey(
        "organisation.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_decisions",
        verbose_name=_("委员"),
    )
    status_change = models.OneToOneField(
        "organisation.MembershipStatusChange",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision",
    )
    position = models.ForeignKey(
        "organisation.Position",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    proposal = models.ForeignKey(
        "proposals.Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meeting_decisions",
        verbose_name=_("提案"),
    )
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("会议决定")
        verbose_name_plural = _("会议决定")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.get_kind_display()}:{self.text[:30]}"


# Plenary speeches (大会发言) -----------------------------------------------------------------


class SpeechState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    ORAL = "oral", _("大会口头发言")
    WRITTEN = "written", _("书面发言")
    NOT_USED = "not_used", _("未采用")
    WITHDRAWN = "withdrawn", _("已撤回")


SUBMITTED_SPEECH_STATES = (
    SpeechState.SUBMITTED,
    SpeechState.ORAL,
    SpeechState.WRITTEN,
    SpeechState.NOT_USED,
)


class Speech(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        "organisation.Session",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("届次会议"),
    )
    membership = models.ForeignKey(
        "organisation.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="speeches",
        verbose_name=_("发言委员"),
    )
    speaker_body = models.CharField(
        _("发言单位"),
        max_length=128,
        blank=True,
        help_text=_("以党派团体、界别或专委会名义发言时填写"),
    )
    category = models.ForeignKey(
        "proposals.ProposalCategory",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("类别"),
    )
    title = models.CharField(_("题目"), max_length=200)
    body = models.TextField(_("发言内容"))
    state = models.CharField(
        _("状态"), max_length=16, choices=SpeechState.choices, default=SpeechState.DRAFT
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    order = models.PositiveSmallIntegerField(_("编排顺序"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("大会发言")
        verbose_name_plural = _("大会发言")
        ordering = ["order", "-submitted_at", "-pk"]
        indexes = [models.Index(fields=["committee", "session", "state"])]

    def __str__(self):
        return self.title


class SpeechHistory(HistoryEntry):
    subject = models.ForeignKey(Speech, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
