from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class ShareKind(models.TextChoices):
    FORWARDED = "forwarded", _("报送上级")
    JOINT = "joint", _("联合开展")


class Share(models.Model):
    """The only way a record becomes visible outside its committee (see ``core.scoping``).

    A record forwarded to another committee, or joint work with it, gets one row per receiving
    committee. Ancestors read aggregate figures (no row access) and the copy check reads only
    similarity metadata; neither needs a Share.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="shares_received"
    )
    kind = models.CharField(max_length=16, choices=ShareKind.choices)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("共享")
        verbose_name_plural = _("共享")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "committee"], name="share_once_per_committee"
            )
        ]

    @classmethod
    def object_ids_for(cls, model, committee):
        content_type = ContentType.objects.get_for_model(model)
        return cls.objects.filter(content_type=content_type, committee=committee).values(
            "object_id"
        )
