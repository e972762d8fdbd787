"""Leader instructions (批示) and recommendations with follow-up (跟踪问效), for any record."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengxie.core.models.base import HistoryEntry
from zhengxie.core.models.ledger import Level
from zhengxie.core.scoping import CommitteeScopedManager


class Instruction(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    leader_name = models.CharField(_("批示领导"), max_length=64)
    leader_title = models.CharField(_("领导职务"), max_length=128)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices)
    given_on = models.DateField(_("批示日期"))
    text = models.TextField(_("批示内容"))
    scan = models.ForeignKey(
        "core.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.leader_name}{self.leader_title}批示({self.given_on})"


class RecommendationState(models.TextChoices):
    OPEN = "open", _("待答复")
    ANSWERED = "answered", _("已答复")
    ADOPTED = "adopted", _("已采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")
    IMPLEMENTED = "implemented", _("已落实")


class Recommendation(models.Model):
    """One recommendation of a consultation outcome, report or letter, followed until closed."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source = GenericForeignKey("source_type", "source_id")
    position = models.PositiveSmallIntegerField(_("序号"), default=1)
    aspect = models.CharField(_("方面"), max_length=128, blank=True)
    text = models.TextField(_("建议内容"))
    addressee = models.CharField(_("送达对象"), max_length=128)
    addressee_unit = models.ForeignKey(
        "organisation.HandlingUnit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("反馈期限"), null=True, blank=True)
    state = models.CharField(
        _("状态"),
        max_length=16,
        choices=RecommendationState.choices,
        default=RecommendationState.OPEN,
    )
    answer = models.TextField(_("答复"), blank=True)
    evidence = models.TextField(_("落实情况"), blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("建议")
        verbose_name_plural = _("建议")
        ordering = ["source_type", "source_id", "position", "pk"]
        indexes = [models.Index(fields=["source_type", "source_id"])]

    def __str__(self):
        return self.text[:40]


class RecommendationHistory(HistoryEntry):
    subject = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="history")
