"""Public-opinion report pages: the list with its tabs, the submit and edit forms, the detail
page (content, the difference an edit made, actions from the workflow table, forwarding,
adoption, bulletins, instructions, timeline) and its action endpoints. Every write is a service
call; a report the user may not see answers 404 like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhengxie.core.attachments import attachment_create, attachments_for
from zhengxie.core.followup import followup_for
from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.models import Role
from zhengxie.core.workflow import InvalidTransition
from zhengxie.opinions import forms, queries, services
from zhengxie.opinions.models import USED_STATES, ReportState
from zhengxie.opinions.rules import is_opinion_staff
from zhengxie.opinions.workflow import REPORT_WORKFLOW
from zhengxie.organisation.models import Membership, MembershipStatus

EDITABLE_STATES = (ReportState.UNDER_REVIEW, ReportState.USED, ReportState.APPROVED)
NOTE_ACTIONS = {
    "edit": gettext_lazy("编辑修改"),
    "forward": gettext_lazy("报送上级"),
    "adoption": gettext_lazy("登记采用"),
    "received": gettext_lazy("收到下级报送"),
    "from_proposal": gettext_lazy("由提案转来"),
    "import": gettext_lazy("历史导入"),
}


def _report_or_404(request, pk):
    return get_object_or_404(
        queries.visible_reports(request.user).select_related(
            "committee", "lead__person", "lead__sector", "person", "session"
        ),
        pk=pk,
    )


# List ---------------------------------------------------------------------------------------


def _view_allowed(user, view):
    if view == "mine":
        return user.has_perm("opinions.create") and not user.has_perm("opinions.review")
    if view in ("review", "received"):
        return user.has_perm("opinions.review")
    if view == "approve":
        return (
            user.has_perm("opinions.review")
            or user.has_perm("opinions.approve")
            or user.has_perm("opinions.sign_off")
        )
    return True


def _default_view(user, role):
    if is_opinion_staff(user):
        return "review"
    if user.has_perm("opinions.sign_off") or user.has_perm("opinions.approve"):
        return "approve"
    if role.role == Role.MEMBER or hasattr(user, "person"):
        return "mine"
    return "all"


@login_required
def report_list(request):
    role = request.active_role
    if role is None or not request.user.has_perm("opinions.list"):
        raise PermissionDenied
    views = [(k, v) for k, v in queries.LIST_VIEWS.items() if _view_allowed(request.user, k)]
    view = request.GET.get("view") or _default_view(request.user, role)
    if view not in dict(views):
        view = "all"
    form = forms.ListFilterForm(request.GET or None)
    reports = queries.report_list(request.user, view=view, **form.filters())
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "view": view,
        "views": views,
        "can_create": request.user.has_perm("opinions.create"),
        "body_entry": request.user.has_perm("opinions.review"),
    }
    template = "opinions/list.html#results" if request.htmx else "opinions/list.html"
    return render(request, template, context)


# Submit and edit ----------------------------------------------------------------------------


def _lead_of(request):
    return (
        Membership.objects.filter(
            person__user=request.user,
            committee=request.committee,
            status=MembershipStatus.IN_OFFICE,
        )
        .select_related("term")
        .order_by("-term__starts_on")
        .first()
    )


def _save_attachment(request, report, upload):
    if upload:
        attachment_create(
            committee=report.committee, upload=upload, actor=request.user, target=report
        )


@login_required
def report_create(request):
    if not request.user.has_perm("opinions.create"):
        raise PermissionDenied
    body_entry = request.user.has_perm("opinions.review")
    form = forms.ReportForm(
        request.POST or None,
        request.FILES or None,
        committee=request.committee,
        lead=None if body_entry else _lead_of(request),
        body_entry=body_entry,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                report = services.report_create(
                    actor=request.user,
                    committee=request.committee,
                    data=data,
                    source_kind=data.get("source_kind") or None,
                    cosubmitters=list(data.get("cosubmitters") or ()),
                    submitting_body=data.get("submitting_body", ""),
                    source_note=data.get("source_note", ""),
                )
                _save_attachment(request, report, data.get("attachment"))
                if request.POST.get("submit_now"):
                    report = services.report_submit(actor=request.user, report=report)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                _("信息已保存为草稿。") if report.state == ReportState.DRAFT else _("信息已报送。"),
            )
            return redirect("opinions:detail", pk=report.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "opinions/form.html", {"form": form, "body_entry": body_entry}, status=status
    )


@login_required
def report_update(request, pk):
    report = _report_or_404(request, pk)
    if not request.user.has_perm("opinions.edit_draft", report) or report.state not in (
        ReportState.DRAFT,
        ReportState.RETURNED,
    ):
        raise PermissionDenied
    initial = {f: getattr(report, f) for f in ("title", "situation", "analysis", "suggestion")}
    form = forms.ReportForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        committee=request.committee,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                report = services.report_update(actor=request.user, report=report, data=data)
                _save_attachment(request, report, data.get("attachment"))
                if request.POST.get("submit_now"):
                    report = services.report_submit(actor=request.user, report=report)
        except ValidationError as exc:
            attach_errors(form, exc)
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("信息已保存。"))
            return redirect("opinions:detail", pk=report.pk)
    status = 400 if form.is_bound else 200
    return render(request, "opinions/form.html", {"form": form, "report": report}, status=status)


# Detail -------------------------------------------------------------------------------------


def _action_label(action):
    if action in NOTE_ACTIONS:
        return str(NOTE_ACTIONS[action])
    return next(
        (str(t.label) for t in REPORT_WORKFLOW.transitions if t.action == action and t.label),
        action,
    )


def _timeline(report):
    return [
        {
            "when": h.created,
            "actor": h.actor,
            "action": _action_label(h.action),
            "state": REPORT_WORKFLOW.state_label(h.to_state) if h.from_state != h.to_state else "",
            "note": h.note,
        }
        for h in report.history.select_related("actor").order_by("created", "pk")
    ]


def _submitters(report):
    """Names credited on the report: the lead or the submitting person/body, then co-submitters."""
    names = [report.submitter_label] if report.submitter_label else []
    names += [
        c.membership.person.name for c in report.cosubmitters.select_related("membership__person")
    ]
    return names


def _detail_context(request, report, bound=None):
    """Everything the detail page shows; ``bound`` holds a failed form to show with its errors."""
    bound = bound or {}
    user = request.user
    actions = [
        {"t": t, "form": bound.get(t.action) or forms.action_form(t.action)}
        for t in REPORT_WORKFLOW.available(report, user)
        if not t.automatic
    ]
    used = report.state in USED_STATES
    can_revise = user.has_perm("opinions.edit", report) and report.state in EDITABLE_STATES
    can_forward = user.has_perm("opinions.forward", report) and used
    can_adopt = user.has_perm("opinions.record_adoption", report) and used
    instruction_allowed = used and user.has_perm("core.add_instruction", report)
    followup = followup_for(report, user) if used else None
    if followup is not None:
        # Instructions on a report go through opinions.services (they credit the ledger).
        followup["can_add_instruction"] = False
    return {
        "report": report,
        "submitters": _submitters(report),
        "actions": actions,
        "can_edit_draft": user.has_perm("opinions.edit_draft", report)
        and report.state in (ReportState.DRAFT, ReportState.RETURNED),
        "revise_form": bound.get("revise")
        or (forms.ReviseForm(initial=_content(report), prefix="revise") if can_revise else None),
        "differences": queries.report_differences(report),
        "forward_form": bound.get("forward")
        or (forms.ForwardForm(report=report, prefix="fwd") if can_forward else None),
        "forwardings": report.forwardings.all(),
        "adoption_form": bound.get("adoption")
        or (forms.AdoptionForm(prefix="adopt") if can_adopt else None),
        "adoptions": report.adoptions.all(),
        "bulletin_items": report.bulletin_items.select_related("bulletin"),
        "instruction_form": bound.get("instruction")
        or (forms.InstructionForm(prefix="ins") if instruction_allowed else None),
        "followup": followup,
        "attachments": attachments_for(report),
        "timeline": _timeline(report),
    }


def _content(report):
    return {f: getattr(report, f) for f in ("title", "situation", "analysis", "suggestion")}


@login_required
def report_detail(request, pk):
    report = _report_or_404(request, pk)
    return render(request, "opinions/detail.html", _detail_context(request, report))


def _render_failed(request, report, bound, exc=None):
    if exc is not None:
        messages.error(request, " ".join(error_messages(exc)))
    report = _report_or_404(request, report.pk)
    return render(
        request, "opinions/detail.html", _detail_context(request, report, bound), status=400
    )


@login_required
@require_POST
def report_action(request, pk, action):
    report = _report_or_404(request, pk)
    transition = next(
        (t for t in REPORT_WORKFLOW.transitions if t.action == action and not t.automatic), None
    )
    if transition is None:
        raise Http404
    form = forms.action_form(action, request.POST)
    payload = {}
    if form is not None:
        if not form.is_valid():
            return _render_failed(request, report, {action: form})
        payload = {k: v for k, v in form.cleaned_data.items() if v}
    try:
        result = services.report_act(actor=request.user, report=report, action=action, **payload)
    except ValidationError as exc:
        if form is not None:
            attach_errors(form, exc)
            return _render_failed(request, report, {action: form})
        return _render_failed(request, report, {}, exc)
    except InvalidTransition as exc:
        return _render_failed(request, report, {}, exc)
    messages.success(request, _("操作成功:%(s)s") % {"s": result.get_state_display()})
    return redirect("opinions:detail", pk=report.pk)


def _panel_post(request, pk, *, key, make_form, call, done):
    """A detail-page panel: validate its form, call the service, redirect or show the errors."""
    report = _report_or_404(request, pk)
    form = make_form(report)
    if not form.is_valid():
        return _render_failed(request, report, {key: form})
    try:
        call(report, form.cleaned_data)
    except ValidationError as exc:
        attach_errors(form, exc)
        return _render_failed(request, report, {key: form})
    except InvalidTransition as exc:
        form.add_error(None, str(exc))
        return _render_failed(request, report, {key: form})
    messages.success(request, done)
    return redirect("opinions:detail", pk=report.pk)


@login_required
@require_POST
def report_revise(request, pk):
    def call(report, data):
        services.report_edit(
            actor=request.user, report=report, data=data, note=data.get("note", "")
        )

    return _panel_post(
        request,
        pk,
        key="revise",
        make_form=lambda r: forms.ReviseForm(request.POST, prefix="revise"),
        call=call,
        done=_("修改已保存,原稿已保留。"),
    )


@login_required
@require_POST
def report_forward(request, pk):
    def call(report, data):
        services.report_forward(
            actor=request.user,
            report=report,
            to_committee=data.get("to_committee"),
            to_level=data.get("to_level") or "",
            to_name=data.get("to_name") or "",
        )

    return _panel_post(
        request,
        pk,
        key="forward",
        make_form=lambda r: forms.ForwardForm(request.POST, report=r, prefix="fwd"),
        call=call,
        done=_("已报送上级。"),
    )


@login_required
@require_POST
def adoption_add(request, pk):
    def call(report, data):
        services.adoption_record(actor=request.user, report=report, **data)

    return _panel_post(
        request,
        pk,
        key="adoption",
        make_form=lambda r: forms.AdoptionForm(request.POST, prefix="adopt"),
        call=call,
        done=_("采用情况已登记。"),
    )


@login_required
@require_POST
def instruction_add(request, pk):
    def call(report, data):
        services.instruction_add(actor=request.user, report=report, **data)

    return _panel_post(
        request,
        pk,
        key="instruction",
        make_form=lambda r: forms.InstructionForm(request.POST, prefix="ins"),
        call=call,
        done=_("领导批示已登记。"),
    )


urlpatterns = [
    path("", report_list, name="list"),
    path("new/", report_create, name="create"),
    path("<int:pk>/", report_detail, name="detail"),
    path("<int:pk>/edit/", report_update, name="edit"),
    path("<int:pk>/act/<slug:action>/", report_action, name="act"),
    path("<int:pk>/revise/", report_revise, name="revise"),
    path("<int:pk>/forward/", report_forward, name="forward"),
    path("<int:pk>/adoption/", adoption_add, name="adoption_add"),
    path("<int:pk>/instruction/", instruction_add, name="instruction_add"),
]
