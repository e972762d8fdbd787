"""Public-opinion reports (社情民意信息): collected, reviewed and edited, approved and signed
off, published in numbered bulletin issues, forwarded upward, tracked for adoption and
instructions. States change only through ``opinions.services`` (table in ``workflow.py``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengxie.core.models.base import HistoryEntry
from zhengxie.core.models.ledger import Level
from zhengxie.core.scoping import CommitteeScopedManager


class SourceKind(models.TextChoices):
    MEMBER = "member", _("委员")
    JOINT = "joint", _("委员联名")
    GROUP = "group", _("委员活动小组")
    SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
    PARTY_GROUP = "party_group", _("党派团体")
    INFO_OFFICER = "info_officer", _("信息员")
    STAFF = "staff", _("机关代群众反映")
    PROPOSAL = "proposal", _("提案转来")
    FORWARDED = "forwarded", _("下级政协报送")


BODY_SOURCES = (SourceKind.GROUP, SourceKind.SPECIAL_COMMITTEE, SourceKind.PARTY_GROUP)


class ReportState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    UNDER_REVIEW = "under_review", _("编审中")
    RETURNED = "returned", _("退回修改")
    NOT_USED = "not_used", _("未采用")
    USED = "used", _("已采用")
    APPROVED = "approved", _("已审核")
    SIGNED_OFF = "signed_off", _("已签发")
    PUBLISHED = "published", _("已刊发")


USED_STATES = (
    ReportState.USED,
    ReportState.APPROVED,
    ReportState.SIGNED_OFF,
    ReportState.PUBLISHED,
)
RECEIVED_EXCLUDED_STATES = (ReportState.DRAFT,)


class OpinionReport(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        "organisation.Session", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_kind = models.CharField(_("来源"), max_length=24, choices=SourceKind.choices)
    lead = models.ForeignKey(
        "organisation.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinion_reports",
        verbose_name=_("报送委员"),
    )
    person = models.ForeignKey(
        "organisation.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("信息员"),
    )
    submitting_body = models.CharField(_("报送单位"), max_length=128, blank=True)
    source_note = models.CharField(
        _("来源说明"), max_length=255, blank=True, help_text=_("如:某委员会客室接待群众反映")
    )
    title = models.CharField(_("标题"), max_length=200)
    situation = models.TextField(_("基本情况"))
    analysis = models.TextField(_("分析"), blank=True)
    suggestion = models.TextField(_("建议"))
    original = models.JSONField(
        _("原稿"),
        default=dict,
        blank=True,
        help_text="title/situation/analysis/suggestion before the first edit",
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True, db_index=True)
    not_used_reason = models.CharField(_("未采用理由"), max_length=255, blank=True)
    review_note = models.TextField(_("编审意见"), blank=True)
    from_proposal = models.OneToOneField(
        "proposals.Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opinion_report",
    )
    origin = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_copies",
        verbose_name=_("原报送信息"),
    )
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("社情民意信息")
        verbose_name_plural = _("社情民意信息")
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["committee", "state"])]

    def __str__(self):
        return self.title

    @property
    def submitter_label(self):
        if self.lead_id:
            return self.lead.person.name
        if self.person_id:
            return self.person.name
        return self.submitting_body


class ReportHistory(HistoryEntry):
    subject = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class CoSubmitter(models.Model):
    """Another member credited on a joint report (shares the credit)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="cosubmitters")
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField()

    objects = CommitteeScopedManager()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "membership"], name="cosubmit_once")
        ]


class BulletinState(models.TextChoices):
    DRAFT = "draft", _("编辑中")
    SENT = "sent", _("已印发")


class Bulletin(models.Model):
    """One issue (期) of the committee's bulletin (《政协社情民意》), numbered per year."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveSmallIntegerField(_("期号"))
    title = models.CharField(_("刊名"), max_length=64)
    issued_on = models.DateField(_("印发日期"))
    recipients = models.TextField(
        _("报送范围"), blank=True, help_text=_("县委、县政府领导及有关部门")
    )
    state = models.CharField(
        _("状态"), max_length=8, choices=BulletinState.choices, default=BulletinState.DRAFT
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("社情民意刊物")
        verbose_name_plural = _("社情民意刊物")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year", "number"], name="bulletin_number_once"
            )
        ]

    def __str__(self):
        return f"《{self.title}》{self.year}年第{self.number}期"


class ItemKind(models.TextChoices):
    SINGLE = "single", _("单篇")
    COMBINED = "combined", _("综合")


class BulletinItem(models.Model):
    """An item (篇) of a bulletin issue: one report, or a combined report made from several."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("类型"), max_length=8, choices=ItemKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    reports = models.ManyToManyField(OpinionReport, related_name="bulletin_items")

    objects = CommitteeScopedManager()

    class Meta:
        ordering = ["bulletin", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["bulletin", "position"], name="bulletin_item_position_once"
            )
        ]

    def __str__(self):
        return self.title


class HandlingState(models.TextChoices):
    TRANSFERRING = "transferring", _("转办中")
    DONE = "done", _("已办理")


class ItemHandling(models.Model):
    """A department's handling of a bulletin item (转办中 → 已办理, with its answer)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(BulletinItem, on_delete=models.CASCADE, related_name="handlings")
    unit = models.ForeignKey(
        "organisation.HandlingUnit", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        max_length=16, choices=HandlingState.choices, default=HandlingState.TRANSFERRING
    )
    answer = models.TextField(_("办理情况"), blank=True)
    answered_on = models.DateField(null=True, blank=True)

    objects = CommitteeScopedManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "unit"], name="item_handling_once")]


class Forwarding(models.Model):
    """A report sent to a higher committee: on the platform (it arrives in that committee's
    inbox as ``received``) or off it (recorded by name)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="forwardings")
    to_committee = models.ForeignKey(
        "organisation.Committee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_level = models.CharField(_("报送级别"), max_length=16, choices=Level.choices)
    to_name = models.CharField(_("报送单位"), max_length=128)
    forwarded_on = models.DateField(_("报送日期"))
    received = models.OneToOneField(
        OpinionReport,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="received_from",
    )
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CommitteeScopedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "to_committee"],
                condition=models.Q(to_committee__isnull=False),
                name="forward_once_per_committee",
            )
        ]


class AdoptionKind(models.TextChoices):
    ADOPTED = "adopted", _("单独采用")
    COMBINED = "combined", _("综合采用")
    PUBLISHED = "published", _("编入刊物")
    FORWARDED = "forwarded", _("继续上报")


class Adoption(models.Model):
    """What a committee at some level did with a report: the record belongs to the report's
    own committee (decisions flow back to the origin), written by that committee's staff or by
    the higher committee's actions on the platform."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(OpinionReport, on_delete=models.CASCADE, related_name="adoptions")
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    by_committee = models.ForeignKey(
        "organisation.Committee", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_name = models.CharField(_("采用单位"), max_length=128)
    kind = models.CharField(_("方式"), max_length=16, choices=AdoptionKind.choices)
    decided_on = models.DateField(_("日期"))
    evidence = models.CharField(
        _("依据"), max_length=255, blank=True, help_text=_("如:刊物期号、采用通知")
    )
    recorded_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("采用情况")
        verbose_name_plural = _("采用情况")
        ordering = ["decided_on", "pk"]
