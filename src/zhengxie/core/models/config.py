from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeSetting(models.Model):
    """A committee's value for one typed setting declared in ``core.config.SETTINGS``."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="settings"
    )
    key = models.CharField(max_length=64)
    value = models.JSONField()
    updated_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("委员会配置")
        verbose_name_plural = _("委员会配置")
        constraints = [models.UniqueConstraint(fields=["committee", "key"], name="setting_once")]


class CalendarDay(models.Model):
    """An override of the working-day calendar for one date (holiday or make-up day).

    ``committee`` empty: platform-wide (set by the platform operator); otherwise one committee's
    own day (e.g. a local holiday), which wins over the platform-wide row and the State Council
    calendar. Read through ``core.calendar``, never directly.
    """

    committee = models.ForeignKey(
        "organisation.Committee",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="calendar_days",
    )
    date = models.DateField(_("日期"))
    is_workday = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=64, blank=True)
    updated_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("工作日历调整")
        verbose_name_plural = _("工作日历调整")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "date"], name="calendar_day_once"),
            models.UniqueConstraint(
                fields=["date"],
                condition=models.Q(committee__isnull=True),
                name="calendar_day_once_platform_wide",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.note}".strip()
