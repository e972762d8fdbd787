"""Members' duty performance (委员履职): each committee's yearly point table (rules as data, every
edit a new version), exit rules, flags raised by them and what staff did, duty claimed from
outside the platform, the yearly duty report (年度述职) and the political self-check (政治体检).

Scores are never stored: ``scoring.py`` computes them from the duty ledger and a table version,
so a rule change re-scores without touching the ledger.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengxie.core.models.base import HistoryEntry, ImmutableModel
from zhengxie.core.models.ledger import Level
from zhengxie.core.scoping import CommitteeScopedManager


class PointTable(models.Model):
    """A committee's point table for one year; its rules live in numbered versions."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("履职积分表")
        verbose_name_plural = _("履职积分表")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year"], name="one_point_table_a_year")
        ]

    def __str__(self):
        return _("%(year)s年度履职积分表") % {"year": self.year}


class PointTableVersion(ImmutableModel):
    """One saved state of a table: its rules, pass mark, commendation threshold and exit rules.
    Saving an edit writes a new version; old versions stay for reproducing earlier scores."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    table = models.ForeignKey(PointTable, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    pass_mark = models.DecimalField(_("合格分"), max_digits=7, decimal_places=2)
    commendation_threshold = models.DecimalField(
        _("优秀委员推荐分"), max_digits=7, decimal_places=2
    )
    commendation_share = models.PositiveSmallIntegerField(
        _("优秀委员推荐比例(%)"),
        default=10,
        help_text=_("达到推荐分且排名在前百分之几的委员列为优秀委员候选人。"),
    )
    note = models.CharField(_("修改说明"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("积分表版本")
        verbose_name_plural = _("积分表版本")
        ordering = ["table", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["table", "number"], name="version_numbered_once")
        ]

    def __str__(self):
        return _("%(table)s 第%(n)s版") % {"table": self.table, "n": self.number}


class Per(models.TextChoices):
    ITEM = "item", _("每件")
    TIME = "time", _("每次")
    HALF_DAY = "half_day", _("每半天")


class Split(models.TextChoices):
    """How a record shared by several members is credited (the ledger row's role, order and
    number of participants)."""

    FULL = "full", _("每人全额")
    ROLE = "role", _("牵头人全额,其他人按次要分值")
    ORDER = "order", _("第一人全额,其他人按次要分值")
    DIVIDE = "divide", _("按参与人数平分")


class PointRule(ImmutableModel):
    """A row of a table version: which ledger records it scores and how."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(PointTableVersion, on_delete=models.PROTECT, related_name="rules")
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("履职事项"), max_length=32)
    sub_kind = models.CharField(
        _("细项"), max_length=48, blank=True, help_text=_("留空表示全部细项")
    )
    level = models.CharField(
        _("级别"), max_length=16, choices=Level.choices, blank=True, help_text=_("留空表示不限级别")
    )
    label = models.CharField(_("名称"), max_length=64)
    points = models.DecimalField(_("分值"), max_digits=7, decimal_places=2)
    per = models.CharField(_("计分单位"), max_length=16, choices=Per.choices, default=Per.ITEM)
    cap = models.DecimalField(
        _("年度上限"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("本项一年最多计多少分(扣分项为最多扣多少分);留空表示不设上限"),
    )
    split = models.CharField(
        _("多人共同履职"), max_length=16, choices=Split.choices, default=Split.FULL
    )
    secondary_points = models.DecimalField(
        _("次要分值"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("联名、附议等非牵头者每人所得分值"),
    )

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["version", "position"]


class ExitRuleKind(models.TextChoices):
    ABSENCES = "absences", _("无故缺席会议")
    LOW_SCORE = "low_score", _("年度积分低于合格分")


class ExitScope(models.TextChoices):
    CONSECUTIVE = "consecutive", _("连续")
    TERM = "term", _("一届内累计")


class ExitRule(ImmutableModel):
    """An exit rule (退出机制) of a table version, e.g. two consecutive unexcused plenary
    absences, three within a term, or a score below the pass mark two years running."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        PointTableVersion, on_delete=models.PROTECT, related_name="exit_rules"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("情形"), max_length=16, choices=ExitRuleKind.choices)
    meeting_category = models.CharField(
        _("会议类别"), max_length=24, blank=True, help_text=_("无故缺席情形适用的会议类别")
    )
    scope = models.CharField(
        _("计算方式"), max_length=16, choices=ExitScope.choices, default=ExitScope.TERM
    )
    count = models.PositiveSmallIntegerField(_("次数/年数"))

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("退出规则")
        verbose_name_plural = _("退出规则")
        ordering = ["version", "position"]


class FlagState(models.TextChoices):
    OPEN = "open", _("待处理")
    TALKED = "talked", _("已谈话提醒")
    RESIGNED = "resigned", _("已接受辞职")
    REMOVED = "removed", _("已撤销委员资格")
    DISMISSED = "dismissed", _("经核实不予处理")


class ExitFlag(models.Model):
    """A member who meets an exit rule, with the evidence, and what staff did about it."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="exit_flags"
    )
    rule_kind = models.CharField(_("情形"), max_length=16, choices=ExitRuleKind.choices)
    key = models.CharField(max_length=64, help_text="what the flag is about, e.g. absences:plenary")
    description = models.CharField(_("情形说明"), max_length=255)
    evidence = models.JSONField(_("依据"), default=list)
    raised_on = models.DateField(_("发现日期"))
    state = models.CharField(
        _("处理情况"), max_length=16, choices=FlagState.choices, default=FlagState.OPEN
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("退出情形")
        verbose_name_plural = _("退出情形")
        ordering = ["state", "-raised_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "key"], name="flag_once_per_case")
        ]


class ExitFlagHistory(HistoryEntry):
    subject = models.ForeignKey(ExitFlag, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )


class ClaimState(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已认定")
    DECLINED = "declined", _("未认定")
    WITHDRAWN = "withdrawn", _("已撤回")


class DutyClaim(models.Model):
    """A duty done outside the platform (e.g. a city event) that a member asks to be credited;
    approval appends the ledger row."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="duty_claims"
    )
    kind = models.CharField(_("履职事项"), max_length=32)
    sub_kind = models.CharField(_("细项"), max_length=48, blank=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices, blank=True)
    occurred_on = models.DateField(_("日期"))
    half_days = models.DecimalField(
        _("时长(半天)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    title = models.CharField(_("事项名称"), max_length=200)
    description = models.TextField(_("情况说明"))
    state = models.CharField(
        _("状态"), max_length=16, choices=ClaimState.choices, default=ClaimState.SUBMITTED
    )
    decision_note = models.CharField(_("审核意见"), max_length=255, blank=True)
    record = models.OneToOneField(
        "core.DutyRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="claim"
    )
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("履职补录申请")
        verbose_name_plural = _("履职补录申请")
        ordering = ["-created", "-pk"]


class DutyClaimHistory(HistoryEntry):
    subject = models.ForeignKey(DutyClaim, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )


class ReportState(models.TextChoices):
    ASSIGNED = "assigned", _("待撰写")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回修改")
    SCHEDULED = "scheduled", _("已安排述职")
    ASSESSED = "assessed", _("已测评")


class Assessment(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


class DutyReport(models.Model):
    """A member's yearly duty report (年度述职): drafted from the dossier, written and submitted by
    the member, presented at a meeting and assessed (测评); the result stays in the dossier."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="duty_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    state = models.CharField(
        _("状态"), max_length=16, choices=ReportState.choices, default=ReportState.ASSIGNED
    )
    draft = models.TextField(_("系统生成初稿"), blank=True)
    text = models.TextField(_("述职报告"), blank=True)
    due_on = models.DateField(_("提交期限"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duty_reports",
        verbose_name=_("述职会议"),
    )
    assessment = models.CharField(
        _("测评结果"), max_length=16, choices=Assessment.choices, blank=True
    )
    assessment_score = models.DecimalField(
        _("测评得分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    assessment_note = models.CharField(_("测评说明"), max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("年度述职")
        verbose_name_plural = _("年度述职")
        ordering = ["-year", "membership__person__name"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="one_duty_report_a_year")
        ]


class DutyReportHistory(HistoryEntry):
    subject = models.ForeignKey(DutyReport, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )


class PoliticalCheck(models.Model):
    """The yearly political self-check (政治体检) a member fills in; kept in the dossier."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="political_checks"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    answers = models.JSONField(_("自查内容"), default=dict)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.CharField(_("审阅意见"), max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("政治体检")
        verbose_name_plural = _("政治体检")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "year"], name="one_check_a_year")
        ]
