"""Reads of the portal app: what each role may see internally, and the only rows the public
pages ever read (published news, consented profiles)."""

from django.db.models import Prefetch, Q

from zhengxie.organisation.models import Membership, MembershipStatus
from zhengxie.portal.models import (
    CommitteeProfile,
    MediaReport,
    NewsImage,
    NewsItem,
    NewsState,
    PublicProfile,
)


def _covers():
    return Prefetch("images", queryset=NewsImage.objects.filter(is_cover=True), to_attr="covers")


def news_visible(user):
    """Every item for staff, admin, chair and leader; published items for members."""
    qs = NewsItem.objects.select_related("author")
    if user.has_perm("portal.view_all_news"):
        return qs
    if user.has_perm("portal.view_news"):
        return qs.filter(state=NewsState.PUBLISHED)
    return qs.none()


def news_list(user, *, state="", category="", q=""):
    qs = news_visible(user).order_by("-updated", "-pk")
    if state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(summary__contains=q))
    return qs


def review_queue():
    return (
        NewsItem.objects.filter(state=NewsState.IN_REVIEW)
        .select_related("author")
        .order_by("updated", "pk")
    )


def news_images(news):
    return NewsImage.objects.filter(news=news).order_by("position", "pk")


# Public pages ---------------------------------------------------------------------------------


def public_news(category=""):
    qs = (
        NewsItem.objects.filter(state=NewsState.PUBLISHED)
        .prefetch_related(_covers())
        .order_by("-published_at", "-pk")
    )
    if category:
        qs = qs.filter(category=category)
    return qs


def public_news_item(pk):
    """A published item with its images, or None."""
    return (
        NewsItem.objects.filter(state=NewsState.PUBLISHED, pk=pk)
        .prefetch_related(
            Prefetch("images", queryset=NewsImage.objects.order_by("-is_cover", "position", "pk"))
        )
        .first()
    )


def committee_profile():
    return CommitteeProfile.objects.first()


def public_members():
    """Members in office who consented, with only what the page may show."""
    return (
        PublicProfile.objects.filter(
            consent_given_at__isnull=False, membership__status=MembershipStatus.IN_OFFICE
        )
        .select_related("membership__person", "membership__sector")
        .order_by("membership__person__name", "pk")
    )


def is_public_image(attachment_id):
    """Whether the attachment may be served to the public: the image of a published news item
    or the consented photo of a member in office."""
    published = NewsImage.objects.filter(
        attachment_id=attachment_id, news__state=NewsState.PUBLISHED
    )
    if published.exists():
        return True
    return public_members().filter(show_photo=True, photo_id=attachment_id).exists()


# Internal pages -------------------------------------------------------------------------------


def consent_overview():
    """Every member in office with their consent state (staff see it; they cannot change it)."""
    return (
        Membership.objects.in_office()
        .select_related("person", "sector", "public_profile")
        .order_by("person__name", "pk")
    )


def own_membership(user):
    """The user's seat in office in the active committee (latest term first), or None."""
    return (
        Membership.objects.filter(person__user=user, status=MembershipStatus.IN_OFFICE)
        .select_related("person", "sector", "committee")
        .order_by("-term__starts_on", "-pk")
        .first()
    )


def media_list(*, year=None, level="", q=""):
    qs = MediaReport.objects.order_by("-published_on", "-pk")
    if year:
        qs = qs.filter(published_on__year=year)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(outlet__contains=q))
    return qs
