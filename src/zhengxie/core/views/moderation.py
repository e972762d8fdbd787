"""The moderation queue page (staff, admin): pending public text, flagged first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zhengxie.core import moderation as service
from zhengxie.core.models import ModerationItem


@login_required
def moderation_queue(request):
    if not request.user.has_perm("core.moderate"):
        raise PermissionDenied
    page = Paginator(service.pending_items(), 30).get_page(request.GET.get("page"))
    return render(request, "core/moderation.html", {"page": page})


@login_required
@require_POST
def moderation_decide(request, pk):
    if not request.user.has_perm("core.moderate"):
        raise PermissionDenied
    item = get_object_or_404(ModerationItem.objects.all(), pk=pk)
    error = ""
    try:
        item = service.moderation_decide(
            item=item,
            actor=request.user,
            approve=request.POST.get("decision") == "approve",
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        error = " ".join(exc.messages)
    if request.htmx:
        return render(
            request,
            "core/moderation.html#item",
            {"item": item, "error": error},
            status=200,  # htmx swaps only 2xx: the error shows in the row
        )
    if error:
        messages.error(request, error)
    return redirect("core:moderation")
