"""Reads of the archives app: what each role may see, with the joins and totals the pages
need. A volume's word and image counts are always sums over its materials, computed here."""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from zhengxie.archives.models import (
    Campaign,
    Chapter,
    ChapterMaterial,
    Material,
    MaterialState,
    PeriodicalIssue,
    Volume,
    VolumeEditor,
)


def _zero(expression):
    return Coalesce(expression, Value(0), output_field=IntegerField())


def material_totals(queryset) -> dict:
    """{"materials", "word_count", "image_count"} summed over ``queryset``."""
    totals = queryset.order_by().aggregate(
        materials=Count("pk"),
        word_count=_zero(Sum("word_count")),
        image_count=_zero(Sum("image_count")),
    )
    return totals


def volume_materials(volume):
    return Material.objects.filter(placement__chapter__volume=volume)


def volume_totals(volume) -> dict:
    """The volume's word count, image count and number of materials: sums over the materials
    placed in its chapters (never stored)."""
    return material_totals(volume_materials(volume))


def _per_volume(aggregate):
    return _zero(
        Subquery(
            Material._base_manager.filter(placement__chapter__volume=OuterRef("pk"))
            .order_by()
            .values("placement__chapter__volume")
            .annotate(total=aggregate)
            .values("total")
        )
    )


def volume_list(*, state=""):
    qs = Volume.objects.select_related("campaign").annotate(
        word_count=_per_volume(Sum("word_count")),
        image_count=_per_volume(Sum("image_count")),
        material_count=_per_volume(Count("pk")),
    )
    if state:
        qs = qs.filter(state=state)
    return qs.prefetch_related(_editors()).order_by("-created", "-pk")


def _editors():
    return Prefetch(
        "editors",
        queryset=VolumeEditor.objects.select_related("membership__person", "user").order_by(
            "role", "pk"
        ),
    )


def volumes_with_editors():
    return Volume.objects.select_related("campaign").prefetch_related(_editors())


def volume_contents(volume):
    """The chapters in order, each with its placed materials in order."""
    entries = ChapterMaterial.objects.select_related("material__membership__person").order_by(
        "position", "pk"
    )
    return list(
        Chapter.objects.filter(volume=volume)
        .prefetch_related(Prefetch("entries", queryset=entries))
        .order_by("position", "pk")
    )


def placeable_materials():
    """Accepted materials with consent that are in no volume yet."""
    return (
        Material.objects.filter(
            state=MaterialState.ACCEPTED, consent_given=True, placement__isnull=True
        )
        .select_related("membership__person", "campaign")
        .order_by("campaign", "title", "pk")
    )


def _material_sum(field, state=None):
    condition = Q(materials__state=state) if state else Q()
    return _zero(Sum(f"materials__{field}", filter=condition))


def campaign_list(*, state=""):
    qs = Campaign.objects.select_related("special_committee").annotate(
        material_count=Count("materials"),
        accepted_count=Count("materials", filter=Q(materials__state=MaterialState.ACCEPTED)),
        word_count=_material_sum("word_count", MaterialState.ACCEPTED),
        image_count=_material_sum("image_count", MaterialState.ACCEPTED),
    )
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-opens_on", "-pk")


def campaign_totals(campaign) -> dict:
    """Totals of a campaign's materials: all received (not returned) and accepted."""
    materials = Material.objects.filter(campaign=campaign)
    return {
        "received": material_totals(materials.exclude(state=MaterialState.RETURNED)),
        "accepted": material_totals(materials.filter(state=MaterialState.ACCEPTED)),
    }


def materials_visible(user):
    """The materials ``user`` may open: every one for readers, a member their own."""
    qs = Material.objects.select_related(
        "campaign", "membership__person", "placement__chapter__volume"
    )
    if user.has_perm("archives.view_all"):
        return qs
    if user.has_perm("archives.my_materials"):
        return qs.filter(Q(membership__person__user=user) | Q(submitted_by=user))
    return qs.none()


def material_list(user, *, campaign=None, state="", kind="", q="", contributor=""):
    qs = materials_visible(user)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(text__contains=q))
    if contributor == "member":
        qs = qs.filter(membership__isnull=False)
    elif contributor == "outside":
        qs = qs.filter(membership__isnull=True)
    return qs.order_by("-received_on", "-pk")


def issue_list(periodical):
    return PeriodicalIssue.objects.filter(periodical=periodical).select_related("contents")
