"""The public's view of proposals: those whose proposer agreed to publication and whose reply
is public — title, proposers, category, the reply and its category. No sign-in needed."""

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, render
from django.urls import path

from zhengxie.core.scoping import scope, scopes_disabled
from zhengxie.organisation.models import Committee
from zhengxie.proposals.models import (
    ANSWERING_ROLES,
    REGISTERED_STATES,
    Assignment,
    CoSigner,
    Proposal,
    Reply,
    SignatureState,
)


def _committee(code):
    with scopes_disabled():
        return get_object_or_404(Committee, code=code)


def public_proposals():
    public_reply = Reply.objects.filter(
        assignment__proposal=OuterRef("pk"), assignment__role__in=ANSWERING_ROLES, is_public=True
    )
    return (
        Proposal.objects.filter(publish_consent=True, state__in=REGISTERED_STATES)
        .filter(Exists(public_reply))
        .select_related("session", "category", "lead__person")
        .order_by("-session__opens_on", "number")
    )


def _with_public_replies(qs):
    replies = Reply.objects.filter(is_public=True).order_by("round")
    return qs.prefetch_related(
        Prefetch(
            "assignments",
            queryset=Assignment.objects.filter(role__in=ANSWERING_ROLES)
            .select_related("unit")
            .prefetch_related(Prefetch("replies", queryset=replies)),
        ),
        Prefetch(
            "cosigners",
            queryset=CoSigner.objects.filter(state=SignatureState.CONFIRMED).select_related(
                "membership__person"
            ),
        ),
    )


def public_index(request):
    """Committees whose public proposals can be read here."""
    with scopes_disabled():
        committees = Committee.objects.order_by("code")
        return render(request, "proposals/public_index.html", {"committees": committees})


def public_list(request, code):
    committee = _committee(code)
    with scope(committee=committee):
        qs = public_proposals()
        q = request.GET.get("q", "").strip()[:50]
        if q:
            qs = qs.filter(title__contains=q)
        page = Paginator(qs, 20).get_page(request.GET.get("page"))
        return render(
            request, "proposals/public_list.html", {"committee": committee, "page": page, "q": q}
        )


def public_detail(request, code, pk):
    committee = _committee(code)
    with scope(committee=committee):
        proposal = get_object_or_404(_with_public_replies(public_proposals()), pk=pk)
        return render(
            request, "proposals/public_detail.html", {"committee": committee, "proposal": proposal}
        )


urlpatterns = [
    path("public/", public_index, name="public_index"),
    path("public/<slug:code>/", public_list, name="public_list"),
    path("public/<slug:code>/<int:pk>/", public_detail, name="public_detail"),
]
