"""Duty claims (履职补录): a member's own claims and the form to make one; staff see every
claim, filter by state and decide. A claim the user may not see answers 404 like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengxie.core.attachments import attachments_for
from zhengxie.core.duty import DUTY_KINDS
from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.workflow import InvalidTransition
from zhengxie.organisation.queries import own_seat
from zhengxie.performance import claims
from zhengxie.performance.forms_flags import ClaimFilterForm, ClaimForm, claim_action_form
from zhengxie.performance.models import DutyClaim


def _visible(user):
    """The claims ``user`` may open: staff every claim of the committee, a member their own."""
    rows = DutyClaim.objects.select_related("membership__person", "membership__sector")
    if user.has_perm("performance.decide_claim"):
        return rows
    if user.has_perm("performance.create_claim"):
        return rows.filter(membership__person__user=user)
    return rows.none()


def _claim_or_404(request, pk):
    return get_object_or_404(_visible(request.user), pk=pk)


def kind_label(claim):
    kind = DUTY_KINDS.get(claim.kind)
    if kind is None:
        return claim.kind
    sub = kind.sub_kinds.get(claim.sub_kind)
    return f"{kind.label}·{sub}" if sub else str(kind.label)


@login_required
def claim_list(request):
    if not request.user.has_perm("performance.list_claims"):
        raise PermissionDenied
    form = ClaimFilterForm(request.GET or None)
    rows = _visible(request.user).order_by("-created", "-pk")
    if form.is_valid() and form.cleaned_data.get("state"):
        rows = rows.filter(state=form.cleaned_data["state"])
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    for claim in page:
        claim.kind_label = kind_label(claim)
    return render(
        request,
        "performance/claim_list.html",
        {
            "page": page,
            "form": form,
            "is_manager": request.user.has_perm("performance.decide_claim"),
            "can_create": request.user.has_perm("performance.create_claim"),
        },
    )


@login_required
def claim_create(request):
    if not request.user.has_perm("performance.create_claim"):
        raise PermissionDenied
    membership = own_seat(request.user, request.committee)
    if membership is None:
        raise PermissionDenied(_("您当前不是在任委员,不能申请履职补录。"))
    form = ClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = claims.claim_create(
                actor=request.user,
                membership=membership,
                data=form.cleaned_data,
                uploads=form.cleaned_data.get("files") or [],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("履职补录申请已提交,请等待审核。"))
            return redirect("performance:claim_detail", pk=claim.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "performance/claim_form.html",
        {"form": form, "membership": membership},
        status=status,
    )


def _detail(request, claim, bound=None, status=200):
    bound = bound or {}
    actions = [
        {"t": t, "form": bound.get(t.action) or claim_action_form(t.action)}
        for t in claims.CLAIM_WORKFLOW.available(claim, request.user)
        if not t.automatic
    ]
    labels = {t.action: str(t.label) for t in claims.CLAIM_WORKFLOW.transitions}
    labels["submit"] = _("提交申请")
    timeline = [
        {
            "when": h.created,
            "actor": h.actor,
            "action": labels.get(h.action, h.action),
            "state": claims.CLAIM_WORKFLOW.state_label(h.to_state),
            "note": h.note,
        }
        for h in claim.history.select_related("actor").order_by("created", "pk")
    ]
    return render(
        request,
        "performance/claim_detail.html",
        {
            "claim": claim,
            "kind_label": kind_label(claim),
            "actions": actions,
            "timeline": timeline,
            "attachments": attachments_for(claim),
        },
        status=status,
    )


@login_required
def claim_detail(request, pk):
    return _detail(request, _claim_or_404(request, pk))


@login_required
@require_POST
def claim_action(request, pk, action):
    claim = _claim_or_404(request, pk)
    if action not in claims.CLAIM_WORKFLOW.actions:
        raise Http404
    form = claim_action_form(action, request.POST)
    if form is not None and not form.is_valid():
        return _detail(request, claim, {action: form}, status=400)
    note = form.cleaned_data.get("note", "") if form is not None else ""
    try:
        claims.claim_act(actor=request.user, claim=claim, action=action, note=note)
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(error_messages(exc)))
            return _detail(request, claim, status=400)
        attach_errors(form, exc)
        return _detail(request, claim, {action: form}, status=400)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
        return _detail(request, _claim_or_404(request, pk), status=409)
    messages.success(request, _("操作成功。"))
    return redirect("performance:claim_detail", pk=claim.pk)


urlpatterns = [
    path("claims/", claim_list, name="claim_list"),
    path("claims/new/", claim_create, name="claim_create"),
    path("claims/<int:pk>/", claim_detail, name="claim_detail"),
    path("claims/<int:pk>/<slug:action>/", claim_action, name="claim_action"),
]
