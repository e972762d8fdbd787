"""Democratic supervision (民主监督): groups delegated to government departments for a year,
their recommendation letters (民主监督建议书) answered by the department and re-checked (回头看),
multi-year special topics (专项民主监督, possibly joint with higher committees), and democratic
appraisal (民主评议) of departments with scores. Letter states change only through
``supervision.services`` (table in ``workflow.py``)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengxie.core.models.base import HistoryEntry
from zhengxie.core.scoping import CommitteeScopedManager


class SupervisionTopic(models.Model):
    """A special supervision topic (专项民主监督), running over one or more years. Shared with a
    higher committee (kind "joint") it is seen there too, and that committee adds its own groups."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("监督专题"), max_length=200)
    starts_year = models.PositiveSmallIntegerField(_("开始年度"))
    ends_year = models.PositiveSmallIntegerField(_("结束年度"), null=True, blank=True)
    description = models.TextField(_("说明"), blank=True)
    lead = models.CharField(_("牵头领导或单位"), max_length=128, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager(shareable=True)

    class Meta:
        verbose_name = _("专项民主监督")
        verbose_name_plural = _("专项民主监督")
        ordering = ["-starts_year", "-pk"]

    def __str__(self):
        return self.title

    def active_in(self, year):
        return self.starts_year <= year and (self.ends_year is None or year <= self.ends_year)

    @property
    def years_label(self):
        if self.ends_year is None:
            return f"{self.starts_year}—"
        if self.ends_year == self.starts_year:
            return str(self.starts_year)
        return f"{self.starts_year}—{self.ends_year}"


class GroupRole(models.TextChoices):
    LEADER = "leader", _("组长")
    MEMBER = "member", _("成员")


class SupervisionGroup(models.Model):
    """A supervision group (民主监督小组) delegated to one department for one year."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    name = models.CharField(_("小组名称"), max_length=64, help_text=_("如:第三民主监督小组"))
    unit = models.ForeignKey(
        "organisation.HandlingUnit",
        on_delete=models.PROTECT,
        related_name="supervision_groups",
        verbose_name=_("监督单位"),
    )
    topic = models.ForeignKey(
        SupervisionTopic,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups",
        verbose_name=_("监督专题"),
    )
    members = models.ManyToManyField(
        "organisation.Membership", through="GroupMember", related_name="supervision_groups"
    )
    note = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("民主监督小组")
        verbose_name_plural = _("民主监督小组")
        ordering = ["-year", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="supervision_group_unit_year")
        ]

    def __str__(self):
        return f"{self.year}年{self.name}"


class GroupMember(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    group = models.ForeignKey(
        SupervisionGroup, on_delete=models.CASCADE, related_name="group_members"
    )
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(
        _("分工"), max_length=8, choices=GroupRole.choices, default=GroupRole.MEMBER
    )

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("监督小组成员")
        verbose_name_plural = _("监督小组成员")
        ordering = ["role", "pk"]  # "leader" sorts before "member"
        constraints = [
            models.UniqueConstraint(
                fields=["group", "membership"], name="supervision_group_member_once"
            ),
            models.UniqueConstraint(
                fields=["group"],
                condition=Q(role="leader"),
                name="supervision_group_one_leader",
            ),
        ]


class LetterState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SENT = "sent", _("已送达")
    ANSWERED = "answered", _("已答复")
    RECHECKED = "rechecked", _("已回头看")


SENT_STATES = (LetterState.SENT, LetterState.ANSWERED, LetterState.RECHECKED)
ANSWERED_STATES = (LetterState.ANSWERED, LetterState.RECHECKED)


class SupervisionLetter(models.Model):
    """A written recommendation (民主监督建议书) of a group to its department. Its individual
    recommendations are ``core.Recommendation`` rows addressed to the department."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        SupervisionGroup,
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("监督小组"),
    )
    topic = models.ForeignKey(
        SupervisionTopic,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name=_("监督专题"),
    )
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("正文"))
    state = models.CharField(
        _("状态"), max_length=16, choices=LetterState.choices, default=LetterState.DRAFT
    )
    sent_on = models.DateField(_("送达日期"), null=True, blank=True, db_index=True)
    due_on = models.DateField(_("答复期限"), null=True, blank=True)
    answer = models.TextField(_("单位答复"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("民主监督建议书")
        verbose_name_plural = _("民主监督建议书")
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["committee", "state"])]

    def __str__(self):
        return self.title


class LetterHistory(HistoryEntry):
    subject = models.ForeignKey(SupervisionLetter, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class RecheckRating(models.TextChoices):
    IMPLEMENTED = "implemented", _("落实")
    MOSTLY = "mostly", _("基本落实")
    NOT_IMPLEMENTED = "not_implemented", _("未落实")


class Recheck(models.Model):
    """The re-check (回头看) of an answered letter, sometimes with the government's inspection
    office (政府督查室)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    letter = models.OneToOneField(
        SupervisionLetter, on_delete=models.PROTECT, related_name="recheck"
    )
    checked_on = models.DateField(_("回头看日期"), db_index=True)
    participants = models.CharField(_("参加人员"), max_length=255)
    with_inspection_office = models.BooleanField(_("会同政府督查室"), default=False)
    findings = models.TextField(_("检查情况"))
    rating = models.CharField(_("落实评价"), max_length=16, choices=RecheckRating.choices)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("回头看")
        verbose_name_plural = _("回头看")


class Appraisal(models.Model):
    """A democratic appraisal (民主评议) of departments in one year."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    title = models.CharField(_("名称"), max_length=200)
    method = models.TextField(_("评议方式"), blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")
        ordering = ["-year", "-pk"]

    def __str__(self):
        return self.title


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    FAIR = "fair", _("一般")
    POOR = "poor", _("较差")


class AppraisalScore(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(
        "organisation.HandlingUnit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("被评议单位"),
    )
    score = models.DecimalField(
        _("得分"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    grade = models.CharField(_("等次"), max_length=16, choices=Grade.choices)
    comments = models.TextField(_("评议意见"), blank=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("评议得分")
        verbose_name_plural = _("评议得分")
        ordering = ["-score", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "unit"], name="appraisal_score_once"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=100), name="appraisal_score_range"
            ),
        ]
