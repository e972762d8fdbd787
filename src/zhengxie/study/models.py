"""学习与培训: the yearly study plan (学习计划), collective study sessions and trainings with
their attendance, the library of study materials with the copies handed out, and reading groups
(书香政协) with their sessions.

States change only through ``study.services`` (tables in ``workflow.py``); attended members get
duty-ledger rows (kind ``study``) when a session is closed. "Copies handed out" is always the
sum of ``Distribution`` rows, never a stored counter.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengxie.core.models.base import HistoryEntry
from zhengxie.core.scoping import CommitteeScopedManager
from zhengxie.organisation.queries import AUDIENCES

AUDIENCE_CHOICES = list(AUDIENCES.items())


class StudyKind(models.TextChoices):
    """What a plan item is: the ledger's ``study`` sub-kinds."""

    STUDY = "study", _("集体学习")
    TRAINING = "training", _("培训")
    READING = "reading", _("读书")


class PlanState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("已发布")


class StudyPlan(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=128)
    note = models.TextField(_("说明"), blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=PlanState.choices, default=PlanState.DRAFT
    )
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("学习计划")
        verbose_name_plural = _("学习计划")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="study_one_plan_per_year")
        ]

    def __str__(self):
        return self.title


class StudyPlanHistory(HistoryEntry):
    subject = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class StudyPlanItem(models.Model):
    """One topic of the plan: when, what kind, and for whom (an audience as for meeting
    invitations, with its parameter)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(StudyPlan, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    topic = models.CharField(_("学习主题"), max_length=200)
    kind = models.CharField(_("形式"), max_length=16, choices=StudyKind.choices)
    planned_on = models.DateField(_("计划日期"), null=True, blank=True)
    planned_month = models.PositiveSmallIntegerField(_("计划月份"), null=True, blank=True)
    audience = models.CharField(_("学习对象"), max_length=24, choices=AUDIENCE_CHOICES)
    special_committee = models.ForeignKey(
        "organisation.SpecialCommittee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("专门委员会"),
    )
    group = models.ForeignKey(
        "organisation.MemberGroup",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("委员活动小组"),
    )
    sector = models.ForeignKey(
        "organisation.Sector",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("界别"),
    )
    memberships = models.ManyToManyField(
        "organisation.Membership", blank=True, related_name="+", verbose_name=_("指定委员")
    )
    note = models.CharField(_("备注"), max_length=255, blank=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("学习计划事项")
        verbose_name_plural = _("学习计划事项")
        ordering = ["plan", "position", "pk"]

    def __str__(self):
        return self.topic

    @property
    def when_label(self):
        if self.planned_on:
            return self.planned_on.strftime("%Y-%m-%d")
        if self.planned_month:
            return _("%(m)s月") % {"m": self.planned_month}
        return ""

    @property
    def audience_label(self):
        label = str(AUDIENCES.get(self.audience, self.audience))
        detail = {
            "special_committee": self.special_committee,
            "group": self.group,
            "sector": self.sector,
        }.get(self.audience)
        if detail is not None:
            return f"{label}:{detail}"
        if self.audience == "list":
            names = "、".join(m.person.name for m in self.memberships.all())
            return f"{label}:{names}" if names else label
        return label


class SessionKind(models.TextChoices):
    STUDY = "study", _("集体学习")
    TRAINING = "training", _("培训")


class SessionState(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    HELD = "held", _("已举办")
    CLOSED = "closed", _("已结束")
    CANCELLED = "cancelled", _("已取消")


# Sessions that took place: counted by the figures and by a plan item's fulfilment.
TOOK_PLACE = (SessionState.HELD, SessionState.CLOSED)


class StudySession(models.Model):
    """A collective study session (集体学习) or a training (培训)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=16, choices=SessionKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    plan_item = models.ForeignKey(
        StudyPlanItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("计划事项"),
    )
    date = models.DateField(_("日期"), db_index=True)
    half_days = models.DecimalField(
        _("时长(半天)"),
        max_digits=4,
        decimal_places=1,
        default=1,
        help_text=_("出席计入履职的时长,以半天计。"),
    )
    place = models.CharField(_("地点"), max_length=128, blank=True)
    speaker = models.CharField(_("主讲人"), max_length=128, blank=True)
    description = models.TextField(_("内容"), blank=True)
    signup_open = models.BooleanField(
        _("允许委员自主报名"), default=False, help_text=_("仅适用于培训。")
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=SessionState.choices, default=SessionState.PLANNED
    )
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("学习培训活动")
        verbose_name_plural = _("学习培训活动")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["committee", "kind", "state", "date"])]

    def __str__(self):
        return self.title

    @property
    def open_for_signup(self):
        return (
            self.kind == SessionKind.TRAINING
            and self.signup_open
            and self.state == SessionState.PLANNED
        )


class StudySessionHistory(HistoryEntry):
    subject = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class AttendanceState(models.TextChoices):
    INVITED = "invited", _("待参加")
    ATTENDED = "attended", _("出席")
    LEAVE = "leave", _("请假")
    ABSENT = "absent", _("缺席")


class How(models.TextChoices):
    INVITED = "invited", _("机关通知")
    SIGNED_UP = "signed_up", _("自主报名")


class Attendance(models.Model):
    """One member expected at a session, and whether they came."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(StudySession, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="study_attendances"
    )
    state = models.CharField(
        _("出席情况"),
        max_length=16,
        choices=AttendanceState.choices,
        default=AttendanceState.INVITED,
    )
    how = models.CharField(_("方式"), max_length=16, choices=How.choices, default=How.INVITED)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("学习出席")
        verbose_name_plural = _("学习出席")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "membership"], name="study_attend_once")
        ]
        indexes = [models.Index(fields=["session", "state"])]

    def __str__(self):
        return f"{self.session} · {self.membership_id}"


class MaterialKind(models.TextChoices):
    DOCUMENT = "document", _("文件")
    LINK = "link", _("链接")
    BOOK = "book", _("书籍")
    VIDEO = "video", _("视频")


class StudyMaterial(models.Model):
    """An item of the study library. ``tags`` is stored as ``,tag,tag,`` so that one tag is
    found with a plain ``contains`` lookup."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=MaterialKind.choices)
    url = models.URLField(_("链接地址"), max_length=500, blank=True)
    attachment = models.ForeignKey(
        "core.Attachment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("附件"),
    )
    description = models.TextField(_("简介"), blank=True)
    tags = models.CharField(_("主题标签"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("学习资料")
        verbose_name_plural = _("学习资料")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return self.title

    @property
    def tag_list(self):
        return [t for t in self.tags.split(",") if t]


class Distribution(models.Model):
    """Copies of a material handed out on one day (optionally at a session)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    material = models.ForeignKey(
        StudyMaterial, on_delete=models.PROTECT, related_name="distributions"
    )
    date = models.DateField(_("发放日期"), db_index=True)
    copies = models.PositiveIntegerField(_("发放数量(册)"))
    session = models.ForeignKey(
        StudySession,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="distributions",
        verbose_name=_("学习培训活动"),
    )
    recipients = models.CharField(_("发放对象"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("资料发放")
        verbose_name_plural = _("资料发放")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(copies__gte=1), name="study_distribution_copies_positive"
            )
        ]

    def __str__(self):
        return f"{self.material} · {self.date:%Y-%m-%d} · {self.copies}"


class ReadingGroup(models.Model):
    """A reading group (书香政协读书小组) of members, led by one of them."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("名称"), max_length=64)
    leader = models.ForeignKey(
        "organisation.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("组长"),
    )
    members = models.ManyToManyField(
        "organisation.Membership", related_name="reading_groups", verbose_name=_("成员")
    )
    current_book = models.CharField(_("在读书目"), max_length=200, blank=True)
    description = models.TextField(_("简介"), blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("读书小组")
        verbose_name_plural = _("读书小组")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="study_group_name_once")
        ]

    def __str__(self):
        return self.name


class ReadingState(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    CLOSED = "closed", _("已举办")
    CANCELLED = "cancelled", _("已取消")


class ReadingSession(models.Model):
    """A meeting of a reading group (读书分享会); attendees get a ledger row when it is
    closed."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(ReadingGroup, on_delete=models.PROTECT, related_name="sessions")
    plan_item = models.ForeignKey(
        StudyPlanItem,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reading_sessions",
        verbose_name=_("计划事项"),
    )
    date = models.DateField(_("日期"), db_index=True)
    book_title = models.CharField(_("书目"), max_length=200)
    half_days = models.DecimalField(_("时长(半天)"), max_digits=4, decimal_places=1, default=1)
    notes = models.TextField(_("活动记录"), blank=True)
    state = models.CharField(
        _("状态"), max_length=16, choices=ReadingState.choices, default=ReadingState.PLANNED
    )
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("读书活动")
        verbose_name_plural = _("读书活动")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.group.name} · {self.book_title}"


class ReadingSessionHistory(HistoryEntry):
    subject = models.ForeignKey(ReadingSession, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class ReadingAttendance(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        ReadingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("出席情况"),
        max_length=16,
        choices=AttendanceState.choices,
        default=AttendanceState.INVITED,
    )

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("读书活动出席")
        verbose_name_plural = _("读书活动出席")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "membership"], name="study_reading_attend_once"
            )
        ]

    def __str__(self):
        return f"{self.session} · {self.membership_id}"
