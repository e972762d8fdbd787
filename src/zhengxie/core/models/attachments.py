from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhengxie.core.scoping import CommitteeScopedManager


def attachment_path(instance, filename):
    return f"attachments/{instance.committee_id}/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    """An uploaded file, checked by its content (not its name) and size before it is kept."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    uploaded_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    # Shareable: a record forwarded or done jointly shows its attachments to the partner too.
    objects = CommitteeScopedManager(shareable=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return self.original_name
