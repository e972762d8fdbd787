from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengxie.core.models.base import ImmutableModel, ImmutableQuerySet
from zhengxie.core.scoping import CommitteeScopedManager


class Level(models.TextChoices):
    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("全国")


class DutyRole(models.TextChoices):
    LEAD = "lead", _("牵头/第一提案人")
    CO_SIGNER = "co_signer", _("联名")
    PARTICIPANT = "participant", _("参加")


class ScopedImmutableManager(CommitteeScopedManager.from_queryset(ImmutableQuerySet)):
    pass


class DutyRecord(ImmutableModel):
    """One duty event of one member: the single source for points, dossiers and statistics.

    Rows are appended by the services of each app; a correction is a new row with a negative
    ``weight`` pointing at the same source, never an edit.
    """

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    membership = models.ForeignKey(
        "organisation.Membership", on_delete=models.PROTECT, related_name="duty_records"
    )
    kind = models.CharField(_("事项"), max_length=32, db_index=True)
    sub_kind = models.CharField(_("细项"), max_length=48, blank=True)
    occurred_on = models.DateField(_("日期"), db_index=True)
    half_days = models.DecimalField(
        _("时长(半天)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices, blank=True)
    role = models.CharField(_("角色"), max_length=16, choices=DutyRole.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), null=True, blank=True)
    participants = models.PositiveIntegerField(_("参与人数"), null=True, blank=True)
    weight = models.SmallIntegerField(default=1, help_text="1, or -1 for a correcting row")
    source_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    title = models.CharField(_("标题"), max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedImmutableManager()

    class Meta:
        verbose_name = _("履职记录")
        verbose_name_plural = _("履职记录")
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["committee", "kind", "occurred_on"])]
