"""The public portal (no sign-in, phone first), addressed by committee code: latest news, the
committee's introduction and contact, members who consented to be listed (only the fields they
consented to), and links to public proposals and reception rooms. Only published news is ever
read here: a draft, an item under review or a withdrawn one answers 404."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path

from zhengxie.core.models import Attachment
from zhengxie.core.scoping import scope, scopes_disabled
from zhengxie.organisation.models import Committee
from zhengxie.portal import queries
from zhengxie.portal.models import CommitteeProfile, NewsCategory
from zhengxie.portal.views.files import image_response

HOME_NEWS = 6


def _committee(code):
    with scopes_disabled():
        return get_object_or_404(Committee, code=code)


def _page(request, template, committee, section, **context):
    return render(
        request,
        template,
        {"committee": committee, "section": section, **context},
    )


def index(request):
    """Committees with a portal (those whose staff filled in the portal settings)."""
    with scopes_disabled():
        ids = CommitteeProfile.objects.values_list("committee_id", flat=True)
        committees = list(Committee.objects.filter(pk__in=ids).order_by("code"))
    return render(request, "portal/public_index.html", {"committees": committees})


def home(request, code):
    committee = _committee(code)
    with scope(committee=committee):
        return _page(
            request,
            "portal/public_home.html",
            committee,
            "home",
            news=list(queries.public_news()[:HOME_NEWS]),
            profile=queries.committee_profile(),
        )


def news_list(request, code):
    committee = _committee(code)
    category = request.GET.get("category", "")
    if category not in NewsCategory.values:
        category = ""
    with scope(committee=committee):
        page = Paginator(queries.public_news(category), 12).get_page(request.GET.get("page"))
        return _page(
            request,
            "portal/public_news_list.html",
            committee,
            "news",
            page=page,
            category=category,
            categories=NewsCategory.choices,
        )


def news_detail(request, code, pk):
    committee = _committee(code)
    with scope(committee=committee):
        news = queries.public_news_item(pk)
        if news is None:
            raise Http404
        return _page(request, "portal/public_news_detail.html", committee, "news", news=news)


def members(request, code):
    committee = _committee(code)
    with scope(committee=committee):
        return _page(
            request,
            "portal/public_members.html",
            committee,
            "members",
            profiles=list(queries.public_members()),
        )


def about(request, code):
    committee = _committee(code)
    with scope(committee=committee):
        return _page(
            request,
            "portal/public_about.html",
            committee,
            "about",
            profile=queries.committee_profile(),
        )


def image(request, code, pk):
    """A published news item's image or a consenting member's photo; anything else 404."""
    committee = _committee(code)
    with scope(committee=committee):
        if not queries.is_public_image(pk):
            raise Http404
        attachment = get_object_or_404(Attachment.objects.filter(committee=committee), pk=pk)
        return image_response(attachment, public=True)


urlpatterns = [
    path("", index, name="index"),
    path("c/<slug:code>/", home, name="public_home"),
    path("c/<slug:code>/news/", news_list, name="public_news"),
    path("c/<slug:code>/news/<int:pk>/", news_detail, name="public_news_detail"),
    path("c/<slug:code>/members/", members, name="public_members"),
    path("c/<slug:code>/about/", about, name="public_about"),
    path("c/<slug:code>/images/<int:pk>/", image, name="public_image"),
]
