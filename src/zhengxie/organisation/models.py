"""Committees, terms and sessions, sectors, special committees, groups, people, units."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengxie.core.fields import EncryptedCharField, mask_id_number, mask_phone
from zhengxie.core.models.base import HistoryEntry
from zhengxie.core.models.ledger import Level
from zhengxie.core.scoping import CommitteeScopedManager


class CommitteeQuerySet(models.QuerySet):
    pass


class Committee(models.Model):
    """A CPPCC committee. Not scoped by manager: ``queries.visible_committees`` decides."""

    name = models.CharField(_("名称"), max_length=128, unique=True)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    code = models.CharField(_("代码"), max_length=32, unique=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    region = models.CharField(_("行政区划"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("政协委员会")
        verbose_name_plural = _("政协委员会")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def ancestors(self):
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def descendant_ids(self):
        """IDs of every committee below this one (for aggregate figures only)."""
        ids, frontier = [], [self.pk]
        while frontier:
            frontier = list(
                Committee.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            ids.extend(frontier)
        return ids


class Term(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(_("届次"))
    name = models.CharField(_("名称"), max_length=32, help_text=_("如:第十届"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["committee", "number"], name="term_once")]

    def __str__(self):
        return self.name


class Session(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="sessions")
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("次"))
    name = models.CharField(_("名称"), max_length=32, help_text=_("如:十届五次会议"))
    opens_on = models.DateField(_("开幕日期"))
    closes_on = models.DateField(_("闭幕日期"))
    proposal_deadline = models.DateField(_("大会提案截止日期"), null=True, blank=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("会议(届次)")
        verbose_name_plural = _("会议(届次)")
        ordering = ["-opens_on"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="session_once")]

    def __str__(self):
        return self.name


class Sector(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="sectors")
    name = models.CharField(_("界别"), max_length=64)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("界别")
        verbose_name_plural = _("界别")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="sector_once")]

    def __str__(self):
        return self.name


class SpecialCommittee(models.Model):
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="special_committees"
    )
    name = models.CharField(_("名称"), max_length=64)
    handles_proposals = models.BooleanField(_("提案委员会"), default=False)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("专门委员会")
        verbose_name_plural = _("专门委员会")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="special_committee_once")
        ]

    def __str__(self):
        return self.name


class GroupKind(models.TextChoices):
    TOWNSHIP = "township", _("乡镇活动小组")
    SECTOR = "sector", _("界别活动小组")
    THINK_TANK = "think_tank", _("智库")
    OTHER = "other", _("其他")


class MemberGroup(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="member_groups")
    name = models.CharField(_("名称"), max_length=64)
    kind = models.CharField(
        _("类型"), max_length=16, choices=GroupKind.choices, default=GroupKind.TOWNSHIP
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("委员活动小组")
        verbose_name_plural = _("委员活动小组")
        ordering = ["kind", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="group_once")]

    def __str__(self):
        return self.name


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("政府部门")
    PARTY = "party", _("党委部门")
    JUDICIAL = "judicial", _("法院/检察院")
    TOWNSHIP = "township", _("乡镇(街道)")
    ENTERPRISE = "enterprise", _("国有企业")
    OTHER = "other", _("其他单位")


class HandlingUnit(models.Model):
    committee = models.ForeignKey(
        Committee, on_delete=models.CASCADE, related_name="handling_units"
    )
    name = models.CharField(_("单位名称"), max_length=128)
    short_name = models.CharField(_("简称"), max_length=32, blank=True)
    kind = models.CharField(
        _("类型"), max_length=16, choices=UnitKind.choices, default=UnitKind.DEPARTMENT
    )
    contact_name = models.CharField(_("联系人"), max_length=32, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["committee", "name"], name="unit_once")]

    def __str__(self):
        return self.name


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Person(models.Model):
    """A natural person. May hold memberships in several committees, or none (think tank …).

    Visible in a committee that registered the person, or where they hold a membership or an
    affiliation.
    """

    committee = models.ForeignKey(
        Committee, on_delete=models.PROTECT, related_name="+", verbose_name=_("登记单位")
    )
    user = models.OneToOneField(
        "core.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    name = models.CharField(_("姓名"), max_length=32, db_index=True)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=16, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)
    party = models.CharField(_("党派"), max_length=32, blank=True)
    religion = models.CharField(_("宗教信仰"), max_length=32, blank=True)
    education = models.CharField(_("学历"), max_length=32, blank=True)
    id_number = EncryptedCharField(_("身份证号"), blank=True)
    id_number_digest = models.CharField(max_length=64, blank=True, db_index=True)
    phone = EncryptedCharField(_("手机号码"), blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)

    objects = CommitteeScopedManager(
        extra_lookups=("memberships__committee", "affiliations__committee")
    )

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)


class AffiliationKind(models.TextChoices):
    THINK_TANK = "think_tank", _("智库专家")
    INFO_OFFICER = "info_officer", _("社情民意信息员")
    FRIENDS = "friends", _("政协之友")


class Affiliation(models.Model):
    """A non-member tie of a person to a committee."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="affiliations")
    kind = models.CharField(_("类型"), max_length=16, choices=AffiliationKind.choices)
    group = models.ForeignKey(MemberGroup, null=True, blank=True, on_delete=models.SET_NULL)
    field = models.CharField(_("专业领域"), max_length=64, blank=True)
    starts_on = models.DateField(_("开始日期"), default=timezone.localdate)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("关联人员")
        verbose_name_plural = _("关联人员")

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()}"


class MembershipStatus(models.TextChoices):
    IN_OFFICE = "in_office", _("在任")
    RESIGNED = "resigned", _("辞去")
    REMOVED = "removed", _("撤销")
    ENDED = "ended", _("届满")


class StatusChangeKind(models.TextChoices):
    ELECTED = "elected", _("换届产生")
    ADDED = "added", _("增补")
    RESIGNED = "resigned", _("辞去")
    REMOVED = "removed", _("撤销")
    ENDED = "ended", _("届满")


STATUS_AFTER_CHANGE = {
    StatusChangeKind.ELECTED: MembershipStatus.IN_OFFICE,
    StatusChangeKind.ADDED: MembershipStatus.IN_OFFICE,
    StatusChangeKind.RESIGNED: MembershipStatus.RESIGNED,
    StatusChangeKind.REMOVED: MembershipStatus.REMOVED,
    StatusChangeKind.ENDED: MembershipStatus.ENDED,
}


class MembershipQuerySet(models.QuerySet):
    def in_office(self):
        return self.filter(status=MembershipStatus.IN_OFFICE)

    def with_flags(self, on=None):
        """Annotate ``is_standing`` (常委 on date ``on``)."""
        on = on or timezone.localdate()
        standing = Position.objects.open_on(on).filter(
            membership=models.OuterRef("pk"), kind=PositionKind.STANDING
        )
        return self.annotate(is_standing=models.Exists(standing))


class Membership(models.Model):
    """A person's seat in one committee for one term. ``status`` changes only through
    ``organisation.services.membership_change_status``, which writes the history row."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("界别")
    )
    group = models.ForeignKey(
        MemberGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
        verbose_name=_("活动小组"),
    )
    number = models.CharField(_("委员编号"), max_length=16, blank=True)
    work_unit = models.CharField(_("工作单位"), max_length=128, blank=True)
    job_title = models.CharField(_("职务"), max_length=128, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.IN_OFFICE,
    )
    joined_on = models.DateField(_("任职日期"))
    left_on = models.DateField(_("离任日期"), null=True, blank=True)

    objects = CommitteeScopedManager.from_queryset(MembershipQuerySet)()

    class Meta:
        verbose_name = _("委员")
        verbose_name_plural = _("委员")
        ordering = ["person__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["term", "person"], name="one_seat_per_term")]
        indexes = [models.Index(fields=["committee", "status"])]

    def __str__(self):
        return self.person.name


class MembershipStatusChange(HistoryEntry):
    """增补 / 辞去 / 撤销 … with the date and the meeting that decided it."""

    subject = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("变动"), max_length=16, choices=StatusChangeKind.choices)
    effective_on = models.DateField(_("日期"), db_index=True)
    decided_by = models.CharField(_("决定会议"), max_length=128, blank=True)

    class Meta(HistoryEntry.Meta):
        verbose_name = _("委员变动")
        verbose_name_plural = _("委员变动")


class PositionKind(models.TextChoices):
    STANDING = "standing", _("常委")
    OFFICE = "office", _("领导职务")
    SPECIAL_COMMITTEE = "special_committee", _("专委会")
    GROUP_LEAD = "group_lead", _("小组召集人")


class Office(models.TextChoices):
    CHAIR = "chair", _("主席")
    VICE_CHAIR = "vice_chair", _("副主席")
    SECRETARY_GENERAL = "secretary_general", _("秘书长")


class PositionEndReason(models.TextChoices):
    RESIGNED = "resigned", _("辞去")
    REMOVED = "removed", _("撤销")
    ENDED = "ended", _("届满")
    CHANGED = "changed", _("调整")


class PositionQuerySet(models.QuerySet):
    def open_on(self, on):
        return self.filter(Q(starts_on__lte=on), Q(ends_on__isnull=True) | Q(ends_on__gte=on))


class Position(models.Model):
    """A dated role within a membership: 常委, 主席/副主席/秘书长, a special committee seat."""

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="positions")
    kind = models.CharField(_("类型"), max_length=24, choices=PositionKind.choices)
    office = models.CharField(_("职务"), max_length=24, choices=Office.choices, blank=True)
    special_committee = models.ForeignKey(
        SpecialCommittee, null=True, blank=True, on_delete=models.PROTECT, related_name="positions"
    )
    role_title = models.CharField(
        _("职务名称"), max_length=32, blank=True, help_text=_("如:主任、副主任、委员")
    )
    starts_on = models.DateField(_("开始日期"))
    start_decided_by = models.CharField(_("决定会议"), max_length=128, blank=True)
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    end_reason = models.CharField(
        _("结束原因"), max_length=16, choices=PositionEndReason.choices, blank=True
    )
    end_decided_by = models.CharField(_("决定会议"), max_length=128, blank=True)

    objects = CommitteeScopedManager.from_queryset(PositionQuerySet)()

    class Meta:
        verbose_name = _("职务")
        verbose_name_plural = _("职务")
        ordering = ["starts_on", "pk"]

    def __str__(self):
        if self.kind == PositionKind.OFFICE:
            return self.get_office_display()
        if self.kind == PositionKind.SPECIAL_COMMITTEE and self.special_committee_id:
            return f"{self.special_committee.name}{self.role_title}"
        return self.get_kind_display()
