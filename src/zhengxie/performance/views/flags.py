"""Exit flags (退出情形): the list with its state filter and evidence, a flag's page with the
staff's actions from the workflow table, and the 立即检查 button. Staff manage; chairs and
leaders read; a flag the user may not see answers 404 like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.workflow import InvalidTransition
from zhengxie.performance import exits
from zhengxie.performance.forms_flags import FlagFilterForm, flag_action_form
from zhengxie.performance.models import ExitFlag


def _require(user, permission):
    if not user.has_perm(permission):
        raise PermissionDenied


def _flags():
    return ExitFlag.objects.select_related(
        "membership__person", "membership__sector", "membership__term"
    )


def _flag_or_404(request, pk):
    _require(request.user, "performance.view_flags")
    return get_object_or_404(_flags(), pk=pk)


@login_required
def flag_list(request):
    _require(request.user, "performance.view_flags")
    form = FlagFilterForm(request.GET or None)
    flags = _flags().order_by("state", "-raised_on", "pk")
    if form.is_valid() and form.cleaned_data.get("state"):
        flags = flags.filter(state=form.cleaned_data["state"])
    page = Paginator(flags, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "performance/flag_list.html",
        {
            "page": page,
            "form": form,
            "can_manage": request.user.has_perm("performance.manage_flags"),
        },
    )


def _action_label(action):
    if action == "raise":
        return _("发现退出情形")
    return next(
        (str(t.label) for t in exits.FLAG_WORKFLOW.transitions if t.action == action), action
    )


def _detail(request, flag, bound=None, status=200):
    bound = bound or {}
    actions = [
        {"t": t, "form": bound.get(t.action) or flag_action_form(t.action)}
        for t in exits.FLAG_WORKFLOW.available(flag, request.user)
        if not t.automatic
    ]
    timeline = [
        {
            "when": h.created,
            "actor": h.actor,
            "action": _action_label(h.action),
            "state": exits.FLAG_WORKFLOW.state_label(h.to_state),
            "note": h.note,
            "data": h.data,
        }
        for h in flag.history.select_related("actor").order_by("created", "pk")
    ]
    return render(
        request,
        "performance/flag_detail.html",
        {"flag": flag, "actions": actions, "timeline": timeline},
        status=status,
    )


@login_required
def flag_detail(request, pk):
    return _detail(request, _flag_or_404(request, pk))


@login_required
@require_POST
def flag_action(request, pk, action):
    flag = _flag_or_404(request, pk)
    if action not in exits.FLAG_WORKFLOW.actions:
        raise Http404
    form = flag_action_form(action, request.POST)
    if form is not None and not form.is_valid():
        return _detail(request, flag, {action: form}, status=400)
    payload = form.cleaned_data if form is not None else {}
    try:
        exits.flag_act(
            actor=request.user,
            flag=flag,
            action=action,
            note=payload.get("note", ""),
            effective_on=payload.get("effective_on"),
            decided_by=payload.get("decided_by", ""),
        )
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(error_messages(exc)))
            return _detail(request, flag, status=400)
        attach_errors(form, exc)
        return _detail(request, _flag_or_404(request, pk), {action: form}, status=400)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
        return _detail(request, _flag_or_404(request, pk), status=409)
    messages.success(request, _("已处理:%(a)s") % {"a": _action_label(action)})
    return redirect("performance:flag_detail", pk=flag.pk)


@login_required
@require_POST
def flags_check(request):
    _require(request.user, "performance.manage_flags")
    created = exits.raise_flags(committee=request.committee, actor=request.user)
    if created:
        messages.warning(request, _("检查完成,新发现%(n)s条退出情形。") % {"n": created})
    else:
        messages.success(request, _("检查完成,未发现新的退出情形。"))
    return redirect("performance:flags")


urlpatterns = [
    path("flags/", flag_list, name="flags"),
    path("flags/check/", flags_check, name="flags_check"),
    path("flags/<int:pk>/", flag_detail, name="flag_detail"),
    path("flags/<int:pk>/<slug:action>/", flag_action, name="flag_action"),
]
