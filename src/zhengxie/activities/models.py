"""Inspections (视察), research (调研) and other member activities, with the yearly plans they
come from, their participants and attendance, and the reports written afterwards.

States change only through ``activities.services`` (table in ``workflow.py``). An activity may
belong to another app's record through ``context`` (e.g. a supervision group's visit) and may be
shared with other committees as joint work (联动, ``core.sharing`` kind ``joint``).
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengxie.core.models.base import HistoryEntry
from zhengxie.core.scoping import CommitteeScopedManager


class PlanKind(models.TextChoices):
    TOPICS = "topics", _("年度视察调研监督议题计划")
    SPECIAL_COMMITTEE = "special_committee", _("专委会工作计划")


class Plan(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=24, choices=PlanKind.choices)
    special_committee = models.ForeignKey(
        "organisation.SpecialCommittee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("专门委员会"),
    )
    title = models.CharField(_("名称"), max_length=128)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ["-year", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "year"],
                condition=models.Q(kind="topics"),
                name="activities_one_topic_plan_per_year",
            ),
            models.UniqueConstraint(
                fields=["committee", "year", "special_committee"],
                condition=models.Q(kind="special_committee"),
                name="activities_one_sc_plan_per_year",
            ),
        ]

    def __str__(self):
        return self.title


class Category(models.TextChoices):
    INSPECTION = "inspection", _("视察")
    RESEARCH = "research", _("调研")
    SECTOR = "sector", _("界别活动")
    SUPERVISION = "supervision", _("民主监督")
    OTHER = "other", _("其他")


class PlanItem(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    topic = models.CharField(_("议题"), max_length=200)
    category = models.CharField(_("活动类别"), max_length=16, choices=Category.choices)
    lead_special_committee = models.ForeignKey(
        "organisation.SpecialCommittee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("牵头专委会"),
    )
    lead_office = models.CharField(_("牵头科室"), max_length=64, blank=True)
    lead_chair = models.CharField(_("牵头领导"), max_length=32, blank=True)
    planned_month = models.PositiveSmallIntegerField(_("计划月份"), null=True, blank=True)
    planned_quarter = models.PositiveSmallIntegerField(_("计划季度"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("计划事项")
        verbose_name_plural = _("计划事项")
        ordering = ["plan", "position", "pk"]

    def __str__(self):
        return self.topic

    @property
    def lead_label(self):
        parts = [
            str(self.lead_special_committee) if self.lead_special_committee_id else "",
            self.lead_office,
            self.lead_chair,
        ]
        return "、".join(p for p in parts if p)

    @property
    def when_label(self):
        if self.planned_month:
            return _("%(m)s月") % {"m": self.planned_month}
        if self.planned_quarter:
            return _("第%(q)s季度") % {"q": self.planned_quarter}
        return ""


class ActivityState(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    OPEN = "open", _("报名中")
    HELD = "held", _("已开展")
    CANCELLED = "cancelled", _("已取消")


class Activity(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("活动名称"), max_length=200)
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    kind = models.CharField(
        _("活动形式"), max_length=32, blank=True, help_text=_("本会设置的活动类型")
    )
    starts_on = models.DateField(_("开始日期"), db_index=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    half_days = models.DecimalField(
        _("时长(半天)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text=_("每位参加委员的履职时长,以半天计"),
    )
    place = models.CharField(_("地点"), max_length=128, blank=True)
    organiser = models.CharField(_("组织单位"), max_length=128, blank=True)
    special_committee = models.ForeignKey(
        "organisation.SpecialCommittee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("组织专委会"),
    )
    group = models.ForeignKey(
        "organisation.MemberGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("组织委员小组"),
    )
    sector = models.ForeignKey(
        "organisation.Sector",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("组织界别"),
    )
    description = models.TextField(_("活动内容"), blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=ActivityState.choices, default=ActivityState.PLANNED
    )
    signup_deadline = models.DateField(_("报名截止"), null=True, blank=True)
    context_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    context_id = models.PositiveBigIntegerField(null=True, blank=True)
    context = GenericForeignKey("context_type", "context_id")
    plan_item = models.ForeignKey(
        PlanItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("计划事项"),
    )
    imported = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager(shareable=True)

    class Meta:
        verbose_name = _("视察调研活动")
        verbose_name_plural = _("视察调研活动")
        ordering = ["-starts_on", "-pk"]
        indexes = [
            models.Index(fields=["committee", "state", "starts_on"]),
            models.Index(fields=["context_type", "context_id"]),
        ]

    def __str__(self):
        return self.title


class ActivityHistory(HistoryEntry):
    subject = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class How(models.TextChoices):
    SIGNED_UP = "signed_up", _("自主报名")
    ASSIGNED = "assigned", _("机关安排")


class Attendance(models.TextChoices):
    PENDING = "pending", _("待确认")
    ATTENDED = "attended", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("带队")
    PARTICIPANT = "participant", _("参加")


class Participation(models.Model):
    """A member taking part in an activity. ``committee`` is the member's own committee (for a
    joint activity a participating committee's members are its own rows, which only it sees)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="participations")
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="activity_participations"
    )
    how = models.CharField(_("方式"), max_length=16, choices=How.choices)
    attendance = models.CharField(
        _("出勤"), max_length=16, choices=Attendance.choices, default=Attendance.PENDING
    )
    half_days = models.DecimalField(
        _("时长(半天)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    role = models.CharField(
        _("角色"),
        max_length=16,
        choices=ParticipantRole.choices,
        default=ParticipantRole.PARTICIPANT,
    )
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("参加委员")
        verbose_name_plural = _("参加委员")
        ordering = ["activity", "-role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "membership"], name="activities_participate_once"
            )
        ]

    def __str__(self):
        return f"{self.activity} · {self.membership_id}"

    @property
    def effective_half_days(self):
        return self.half_days if self.half_days is not None else self.activity.half_days


class ActivityReport(models.Model):
    """The report (视察报告 / 调研报告) written after an activity; its recommendations are
    followed through ``core.followup`` (attached to this report)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="reports")
    title = models.CharField(_("报告标题"), max_length=200)
    text = models.TextField(_("报告正文"), blank=True)
    written_on = models.DateField(_("成文日期"), db_index=True)
    adopted_on = models.DateField(_("采纳日期"), null=True, blank=True)
    authors = models.ManyToManyField(
        "organisation.Membership", blank=True, related_name="+", verbose_name=_("执笔委员")
    )
    attachment = models.ForeignKey(
        "core.Attachment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("附件"),
    )
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("视察调研报告")
        verbose_name_plural = _("视察调研报告")
        ordering = ["written_on", "pk"]

    def __str__(self):
        return self.title
