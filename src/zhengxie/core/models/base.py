"""Append-only rows: audit entries and workflow history can be written once and never changed."""

from django.db import models
from django.utils.translation import gettext as _


class ImmutableRowError(Exception):
    pass


class ImmutableQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRowError(_("记录只能追加,不能修改。"))

    def delete(self):
        raise ImmutableRowError(_("记录只能追加,不能删除。"))

    def bulk_update(self, objs, fields, batch_size=None):
        raise ImmutableRowError(_("记录只能追加,不能修改。"))


class ImmutableModel(models.Model):
    """Rows that are inserted once. Saving an existing row or deleting raises."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRowError(_("记录只能追加,不能修改。"))
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError(_("记录只能追加,不能删除。"))


class HistoryEntry(ImmutableModel):
    """Base for every workflow object's history: one row per state change.

    A concrete history model adds ``subject = models.ForeignKey(<workflow model>,
    related_name="history")`` and is named in the app's ``Workflow`` table.
    """

    from_state = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=48)
    to_state = models.CharField(max_length=32)
    actor = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["created", "pk"]
