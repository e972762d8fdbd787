"""Proposals (提案): 提、立、办、督、评.

A Proposal moves through ``ProposalState``; each unit it is assigned to gets an Assignment with
its own ``AssignmentState``. Replies and ratings are rows per round (a re-handled case has a
second round), so the first answer is kept when the second comes. States change only through
``proposals.services`` (which call the tables in ``proposals.workflow``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengxie.core.models.base import HistoryEntry
from zhengxie.core.scoping import CommitteeScopedManager


class CategoryGroup(models.TextChoices):
    ECONOMY = "economy", _("经济建设")
    POLITICS = "politics", _("政治建设")
    CULTURE = "culture", _("文化建设")
    SOCIETY = "society", _("社会建设")
    ECOLOGY = "ecology", _("生态文明建设")
    OTHER = "other", _("其他")


class ProposalCategory(models.Model):
    """A committee's proposal category; ``is_livelihood`` puts it in the 民生 grouping."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("类别"), max_length=32)
    group = models.CharField(_("大类"), max_length=16, choices=CategoryGroup.choices)
    is_livelihood = models.BooleanField(_("民生类"), default=False)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("提案类别")
        verbose_name_plural = _("提案类别")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="proposal_category_once")
        ]

    def __str__(self):
        return self.name


class SubmitterType(models.TextChoices):
    MEMBER = "member", _("委员个人")
    JOINT = "joint", _("委员联名")
    PARTY_GROUP = "party_group", _("党派团体")
    SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
    SECTOR_GROUP = "sector_group", _("界别/小组")


MEMBER_SUBMITTERS = (SubmitterType.MEMBER, SubmitterType.JOINT)


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    COLLECTING_SIGNATURES = "collecting_signatures", _("征集联名")
    SUBMITTED = "submitted", _("已提交")
    UNDER_REVIEW = "under_review", _("审查中")
    RETURNED = "returned", _("退回修改")
    REGISTERED = "registered", _("已立案")
    NOT_REGISTERED = "not_registered", _("不予立案")
    TO_OPINION_LETTER = "to_opinion_letter", _("转意见建议")
    TO_PUBLIC_OPINION = "to_public_opinion", _("转社情民意")
    MERGED = "merged", _("并案")
    WITHDRAWN = "withdrawn", _("已撤回")
    ASSIGNED = "assigned", _("办理中")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


# Named groups of states, used instead of repeating lists.
PRE_REVIEW_STATES = (
    ProposalState.DRAFT,
    ProposalState.COLLECTING_SIGNATURES,
    ProposalState.SUBMITTED,
    ProposalState.RETURNED,
)
RECEIVED_EXCLUDED_STATES = (
    ProposalState.DRAFT,
    ProposalState.COLLECTING_SIGNATURES,
    ProposalState.WITHDRAWN,
)
REGISTERED_STATES = (
    ProposalState.REGISTERED,
    ProposalState.ASSIGNED,
    ProposalState.REPLIED,
    ProposalState.CLOSED,
)
REVIEW_OUTCOME_STATES = (
    *REGISTERED_STATES,
    ProposalState.NOT_REGISTERED,
    ProposalState.TO_OPINION_LETTER,
    ProposalState.TO_PUBLIC_OPINION,
    ProposalState.MERGED,
)


class KeyState(models.TextChoices):
    NONE = "", _("否")
    PROPOSED = "proposed", _("拟定重点")
    DECIDED = "decided", _("重点提案")


class Proposal(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    session = models.ForeignKey(
        "organisation.Session",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("会议"),
    )
    is_plenary = models.BooleanField(_("大会提案"), default=False)
    submitter_type = models.CharField(_("提案者类型"), max_length=24, choices=SubmitterType.choices)
    lead = models.ForeignKey(
        "organisation.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_proposals",
        verbose_name=_("第一提案人"),
    )
    submitting_body = models.CharField(
        _("提案单位"),
        max_length=128,
        blank=True,
        help_text=_("党派团体、专门委员会或界别/小组的名称"),
    )
    title = models.CharField(_("案由"), max_length=200)
    category = models.ForeignKey(
        ProposalCategory, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("类别")
    )
    situation = models.TextField(_("情况与分析"))
    suggestions = models.TextField(_("具体建议"))
    suggested_units = models.ManyToManyField(
        "organisation.HandlingUnit", blank=True, related_name="+", verbose_name=_("建议承办单位")
    )
    publish_consent = models.BooleanField(_("同意公开"), default=True)
    no_publish_reason = models.CharField(_("不公开理由"), max_length=255, blank=True)
    state = models.CharField(
        _("状态"), max_length=24, choices=ProposalState.choices, default=ProposalState.DRAFT
    )
    signature_deadline = models.DateField(_("联名确认截止日期"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, db_index=True)
    number = models.PositiveIntegerField(_("案号"), null=True, blank=True)
    registered_on = models.DateField(_("立案日期"), null=True, blank=True)
    not_registered_ground = models.CharField(_("不立案理由"), max_length=128, blank=True)
    review_note = models.TextField(_("审查意见"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
        verbose_name=_("并入"),
    )
    key_state = models.CharField(
        _("重点提案"), max_length=16, choices=KeyState.choices, blank=True, default=""
    )
    key_decided_on = models.DateField(_("主席会议决定日期"), null=True, blank=True)
    key_decided_by = models.CharField(_("决定会议"), max_length=128, blank=True)
    key_leader = models.CharField(_("领办领导"), max_length=64, blank=True)
    key_supervisor = models.CharField(_("领衔督办政协领导"), max_length=64, blank=True)
    key_leader_user = models.ForeignKey(
        "core.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("领办领导账号"),
    )
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    imported = models.BooleanField(default=False, help_text="loaded by the history import")

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("提案")
        verbose_name_plural = _("提案")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "number"],
                condition=models.Q(number__isnull=False),
                name="proposal_number_once",
            )
        ]
        indexes = [models.Index(fields=["committee", "state"])]

    def __str__(self):
        return self.title

    @property
    def number_label(self):
        if self.number is None:
            return ""
        return f"{self.session.name}第{self.number:03d}号"

    @property
    def proposer_label(self):
        if self.lead_id:
            return self.lead.person.name
        return self.submitting_body


class ProposalHistory(HistoryEntry):
    subject = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class SignatureState(models.TextChoices):
    INVITED = "invited", _("待确认")
    CONFIRMED = "confirmed", _("已确认")
    DECLINED = "declined", _("已拒绝")


class CoSigner(models.Model):
    """A co-signer (附议人) of a joint proposal; counts only once confirmed before the deadline."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosigners")
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="cosigned"
    )
    order = models.PositiveSmallIntegerField(_("顺序"))
    state = models.CharField(
        _("状态"), max_length=16, choices=SignatureState.choices, default=SignatureState.INVITED
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("联名提案人")
        verbose_name_plural = _("联名提案人")
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "membership"], name="cosign_once")
        ]


class AssignmentRole(models.TextChoices):
    SINGLE = "single", _("单办")
    SPLIT = "split", _("分办")
    MAIN = "main", _("主办")
    CO = "co", _("会办")
    LETTER = "letter", _("意见建议办理")


ANSWERING_ROLES = (
    AssignmentRole.SINGLE,
    AssignmentRole.SPLIT,
    AssignmentRole.MAIN,
    AssignmentRole.LETTER,
)


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("待签收")
    ACCEPTED = "accepted", _("已签收")
    RETURN_REQUESTED = "return_requested", _("申请退回")
    RETURNED = "returned", _("已退回")
    CONTACTED = "contacted", _("已沟通")
    REPLIED = "replied", _("已答复")
    RATED = "rated", _("已评价")
    REHANDLING = "rehandling", _("重新办理")
    DONE = "done", _("已办结")


OPEN_ASSIGNMENT_STATES = (
    AssignmentState.PENDING,
    AssignmentState.ACCEPTED,
    AssignmentState.RETURN_REQUESTED,
    AssignmentState.CONTACTED,
    AssignmentState.REHANDLING,
)
ACTIVE_ASSIGNMENT_STATES = tuple(s for s in AssignmentState.values if s != AssignmentState.RETURNED)


class ContactWay(models.TextChoices):
    MEETING = "meeting", _("面谈")
    FORUM = "forum", _("座谈会")
    PHONE = "phone", _("电话")
    EMAIL = "email", _("邮件")
    LETTER = "letter", _("书信")
    OTHER = "other", _("其它")


class Assignment(models.Model):
    """One unit's part in handling one proposal (交办)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "organisation.HandlingUnit", on_delete=models.PROTECT, related_name="assignments"
    )
    role = models.CharField(_("办理方式"), max_length=16, choices=AssignmentRole.choices)
    state = models.CharField(
        _("状态"), max_length=24, choices=AssignmentState.choices, default=AssignmentState.PENDING
    )
    assigned_on = models.DateField(_("交办日期"))
    deadline = models.DateField(_("答复期限"))
    accepted_on = models.DateField(_("签收日期"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    contact_way = models.CharField(
        _("沟通方式"), max_length=16, choices=ContactWay.choices, blank=True
    )
    contact_on = models.DateField(_("沟通日期"), null=True, blank=True)
    contact_summary = models.TextField(_("沟通情况"), blank=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    replaces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("替代的交办"),
    )

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["proposal", "role", "pk"]
        indexes = [
            models.Index(fields=["committee", "unit", "state"]),
            models.Index(fields=["deadline"]),
        ]

    def __str__(self):
        return f"{self.proposal} · {self.unit}"

    @property
    def answers_proposer(self):
        return self.role in ANSWERING_ROLES


class AssignmentHistory(HistoryEntry):
    subject = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class Reply(models.Model):
    """A unit's written answer for one round (a co-unit's reply is its view for the main unit)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="replies")
    round = models.PositiveSmallIntegerField(_("轮次"))
    text = models.TextField(_("答复内容"))
    document = models.ForeignKey(
        "core.Attachment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("答复函"),
    )
    category = models.CharField(_("答复类别"), max_length=8, blank=True)
    corrected_category = models.CharField(_("核定类别"), max_length=8, blank=True)
    corrected_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_public = models.BooleanField(_("答复公开"), default=True)
    replied_on = models.DateField(_("答复日期"))
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["assignment", "round"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "round"], name="reply_once_per_round")
        ]

    @property
    def final_category(self):
        return self.corrected_category or self.category


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASICALLY = "basically", _("基本满意")
    UNSATISFIED = "unsatisfied", _("不满意")


SATISFIED_VALUES = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)


class Rating(models.Model):
    """The proposer's evaluation (评) of one reply."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    reply = models.OneToOneField(Reply, on_delete=models.CASCADE, related_name="rating")
    attitude = models.CharField(_("办理态度"), max_length=16, choices=Satisfaction.choices)
    result = models.CharField(_("办理结果"), max_length=16, choices=Satisfaction.choices)
    on_point = models.BooleanField(_("答复切题"), default=True)
    comment = models.TextField(_("意见"), blank=True)
    rated_by = models.ForeignKey("core.User", null=True, on_delete=models.PROTECT, related_name="+")
    rated_on = models.DateField(_("评价日期"))

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("办理评价")
        verbose_name_plural = _("办理评价")

    @property
    def satisfied(self):
        return self.attitude in SATISFIED_VALUES and self.result in SATISFIED_VALUES


class ExtensionState(models.TextChoices):
    REQUESTED = "requested", _("待审批")
    APPROVED = "approved", _("已批准")
    DENIED = "denied", _("未批准")


class ExtensionRequest(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="extensions")
    requested_until = models.DateField(_("申请延期至"))
    reason = models.TextField(_("理由"))
    state = models.CharField(
        _("状态"), max_length=16, choices=ExtensionState.choices, default=ExtensionState.REQUESTED
    )
    decided_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        ordering = ["-created"]


class SupervisionRecord(models.Model):
    """A supervision event (督办) on a key proposal: 面对面督办, 视察, 座谈 …"""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="supervision_records"
    )
    held_on = models.DateField(_("日期"))
    form = models.CharField(_("形式"), max_length=32)
    participants = models.TextField(_("参加人员"))
    notes = models.TextField(_("情况"))
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")
        ordering = ["-held_on", "-pk"]


class AwardKind(models.TextChoices):
    OUTSTANDING_PROPOSAL = "outstanding_proposal", _("优秀提案")
    OUTSTANDING_UNIT = "outstanding_unit", _("先进承办单位")


class Award(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=24, choices=AwardKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    awarded_on = models.DateField(_("表彰日期"))
    proposal = models.ForeignKey(
        Proposal, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    unit = models.ForeignKey(
        "organisation.HandlingUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    note = models.CharField(_("说明"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("表彰")
        verbose_name_plural = _("表彰")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="outstanding_proposal", proposal__isnull=False, unit__isnull=True)
                )
                | (models.Q(kind="outstanding_unit", unit__isnull=False, proposal__isnull=True)),
                name="award_has_its_subject",
            ),
            models.UniqueConstraint(
                fields=["kind", "year", "proposal"], name="proposal_award_once"
            ),
            models.UniqueConstraint(fields=["kind", "year", "unit"], name="unit_award_once"),
        ]


class ReminderKind(models.TextChoices):
    DAYS_30 = "30", _("距答复期限30个工作日")
    DAYS_7 = "7", _("距答复期限7个工作日")
    DAYS_0 = "0", _("今日到期")
    OVERDUE = "overdue", _("已超期")
    UNRATED = "unrated", _("答复未评价")


class Reminder(models.Model):
    """A reminder already sent for one assignment and round (so the daily job sends it once)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    round = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("催办提醒")
        verbose_name_plural = _("催办提醒")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "kind", "round"], name="reminder_once")
        ]
