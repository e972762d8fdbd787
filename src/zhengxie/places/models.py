"""委员之家 / 委员会客室 / 委员联系点 / 协商议事室: places in the county, townships and villages
(三级联动) where members on duty meet residents. A room's state and a resident issue's routing
change only through ``places.services`` (tables in ``workflow.py``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengxie.core.fields import EncryptedCharField, mask_phone
from zhengxie.core.models.base import HistoryEntry
from zhengxie.core.scoping import CommitteeScopedManager


class RoomKind(models.TextChoices):
    HOME = "home", _("委员之家")
    PARLOUR = "parlour", _("委员会客室")
    CONTACT_POINT = "contact_point", _("委员联系点")
    DELIBERATION = "deliberation", _("协商议事室")


class RoomLevel(models.TextChoices):
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡镇(街道)")
    VILLAGE = "village", _("村(社区)")


class RoomState(models.TextChoices):
    SETTING_UP = "setting_up", _("筹建中")
    IN_USE = "in_use", _("在用")
    SUSPENDED = "suspended", _("停用")


class ReceptionRoom(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=128)
    kind = models.CharField(_("类型"), max_length=16, choices=RoomKind.choices)
    level = models.CharField(_("层级"), max_length=16, choices=RoomLevel.choices)
    township = models.CharField(_("所在乡镇(街道)"), max_length=64, blank=True)
    address = models.CharField(_("地址"), max_length=255, blank=True)
    contact = models.CharField(_("联系方式"), max_length=64, blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=RoomState.choices, default=RoomState.SETTING_UP
    )
    opened_on = models.DateField(_("启用日期"), null=True, blank=True)
    group = models.ForeignKey(
        "organisation.MemberGroup",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("委员活动小组"),
    )
    is_public = models.BooleanField(_("在公众页面展示"), default=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("委员之家")
        verbose_name_plural = _("委员之家")
        ordering = ["level", "township", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="place_room_name_once")
        ]

    def __str__(self):
        return self.name


class RoomHistory(HistoryEntry):
    """State changes of a room; ``data["on"]`` is the day the change took effect."""

    subject = models.ForeignKey(ReceptionRoom, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class HalfDay(models.TextChoices):
    AM = "am", _("上午")
    PM = "pm", _("下午")
    FULL = "full", _("全天")


HALF_DAYS = {HalfDay.AM: 1, HalfDay.PM: 1, HalfDay.FULL: 2}


class DutyShift(models.Model):
    """One duty slot (值班) of a room: a date and a half day, with the members on duty."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    room = models.ForeignKey(ReceptionRoom, on_delete=models.PROTECT, related_name="shifts")
    date = models.DateField(_("值班日期"), db_index=True)
    half_day = models.CharField(_("时段"), max_length=8, choices=HalfDay.choices)
    memberships = models.ManyToManyField(
        "organisation.Membership", through="ShiftMember", related_name="+"
    )
    note = models.CharField(_("备注"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        ordering = ["date", "half_day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["room", "date", "half_day"], name="place_shift_once_per_slot"
            )
        ]

    def __str__(self):
        return f"{self.room.name}值班 {self.date:%Y-%m-%d} {self.get_half_day_display()}"

    @property
    def half_days(self):
        return HALF_DAYS[self.half_day]


class ShiftMember(models.Model):
    """A member on a shift; ``served`` once confirmed, with the ledger row it wrote."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    shift = models.ForeignKey(DutyShift, on_delete=models.CASCADE, related_name="shift_members")
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="+"
    )
    served = models.BooleanField(_("已履职"), default=False)
    confirmed_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    duty_record = models.ForeignKey(
        "core.DutyRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("值班委员")
        verbose_name_plural = _("值班委员")
        ordering = ["shift", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "membership"], name="place_shift_member_once")
        ]


class Visit(models.Model):
    """A reception (接待) held at a room, usually during a shift."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    room = models.ForeignKey(ReceptionRoom, on_delete=models.PROTECT, related_name="visits")
    shift = models.ForeignKey(
        DutyShift, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    date = models.DateField(_("接待日期"), db_index=True)
    members = models.ManyToManyField(
        "organisation.Membership", related_name="+", verbose_name=_("接待委员")
    )
    residents_count = models.PositiveIntegerField(_("接待群众(人次)"), default=0)
    summary = models.TextField(_("接待情况"), blank=True)
    recorded_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("接待记录")
        verbose_name_plural = _("接待记录")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.room.name}接待 {self.date:%Y-%m-%d}"


class IssueState(models.TextChoices):
    PENDING = "pending", _("待处理")
    TO_OPINION = "to_opinion", _("已转社情民意")
    TO_PROPOSAL = "to_proposal", _("已转提案")
    TO_UNIT = "to_unit", _("已转交单位")
    ON_SPOT = "on_spot", _("当场解答")


ROUTED_STATES = (
    IssueState.TO_OPINION,
    IssueState.TO_PROPOSAL,
    IssueState.TO_UNIT,
    IssueState.ON_SPOT,
)


class ResidentIssue(models.Model):
    """One matter a resident raised, recorded at a visit or taken from a public message, and
    routed once: to a public-opinion draft, a proposal draft, a unit (a follow-up
    recommendation it answers) or answered on the spot."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    room = models.ForeignKey(ReceptionRoom, on_delete=models.PROTECT, related_name="issues")
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="issues"
    )
    message = models.OneToOneField(
        "core.ModerationItem",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resident_issue",
    )
    recorded_on = models.DateField(_("登记日期"), db_index=True)
    text = models.TextField(_("反映内容"))
    resident_name = EncryptedCharField(_("反映人"), blank=True)
    contact = EncryptedCharField(_("联系方式"), blank=True)
    state = models.CharField(
        _("处理状态"), max_length=16, choices=IssueState.choices, default=IssueState.PENDING
    )
    routed_on = models.DateField(_("处理日期"), null=True, blank=True)
    route_note = models.TextField(_("处理说明"), blank=True)
    opinion_report = models.OneToOneField(
        "opinions.OpinionReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resident_issue",
    )
    proposal = models.OneToOneField(
        "proposals.Proposal",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resident_issue",
    )
    unit = models.ForeignKey(
        "organisation.HandlingUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("转交单位"),
    )
    recommendation = models.OneToOneField(
        "core.Recommendation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resident_issue",
    )
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("群众反映")
        verbose_name_plural = _("群众反映")
        ordering = ["-recorded_on", "-pk"]
        indexes = [models.Index(fields=["committee", "state"])]

    def __str__(self):
        return self.text[:40]

    @property
    def masked_contact(self):
        return mask_phone(self.contact)


class IssueHistory(HistoryEntry):
    subject = models.ForeignKey(ResidentIssue, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
