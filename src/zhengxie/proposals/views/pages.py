"""Proposal pages: lists, the submit form, the detail page with its timeline, and the action
endpoints. Buttons come from the workflow tables; every write is a service call."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengxie.core.attachments import attachment_create, attachments_for
from zhengxie.core.config import get_setting
from zhengxie.core.followup import followup_for
from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.models import Attachment, Role
from zhengxie.core.workflow import InvalidTransition
from zhengxie.organisation.models import Membership, MembershipStatus
from zhengxie.proposals import forms, queries, services
from zhengxie.proposals.models import (
    REGISTERED_STATES,
    Assignment,
    AssignmentHistory,
    CoSigner,
    ExtensionRequest,
    KeyState,
    Proposal,
    Reply,
    SubmitterType,
    SupervisionRecord,
)
from zhengxie.proposals.workflow import ASSIGNMENT_WORKFLOW, PROPOSAL_WORKFLOW

DEFAULT_VIEW = {
    Role.MEMBER: "mine",
    Role.STAFF: "review",
    Role.UNIT: "unit",
    Role.LEADER: "key",
}


@login_required
def proposal_list(request):
    role = request.active_role
    if role is None:
        raise PermissionDenied
    view = request.GET.get("view") or DEFAULT_VIEW.get(role.role, "all")
    if view not in queries.LIST_VIEWS:
        view = "all"
    form = forms.ListFilterForm(request.GET or None)
    proposals = queries.proposal_list(request.user, view=view, **form.filters())
    page = Paginator(proposals, 30).get_page(request.GET.get("page"))
    views = [(k, v) for k, v in queries.LIST_VIEWS.items() if _view_allowed(request.user, role, k)]
    context = {
        "page": page,
        "form": form,
        "view": view,
        "views": views,
        "can_create": request.user.has_perm("proposals.create"),
        "can_bulk_register": view == "review" and request.user.has_perm("proposals.review"),
        "pending_signatures": queries.pending_signatures(request.user)
        if role.role == Role.MEMBER
        else [],
    }
    template = "proposals/list.html#results" if request.htmx else "proposals/list.html"
    return render(request, template, context)


def _view_allowed(user, role, view):
    if view == "mine":
        return role.role == Role.MEMBER or user.has_perm("proposals.review")
    if view == "review":
        return user.has_perm("proposals.review")
    if view == "unit":
        return role.role == Role.UNIT
    if view == "overdue":
        return user.has_perm("proposals.assign") or user.has_perm("proposals.view_stats")
    return True


def _save_attachment(request, proposal, upload):
    if upload:
        attachment_create(
            committee=proposal.committee, upload=upload, actor=request.user, target=proposal
        )


@login_required
def proposal_create(request):
    if not request.user.has_perm("proposals.create"):
        raise PermissionDenied
    body_entry = request.active_role.role != Role.MEMBER
    lead = (
        Membership.objects.filter(person__user=request.user, status=MembershipStatus.IN_OFFICE)
        .order_by("-term__starts_on")
        .first()
    )
    form = forms.ProposalForm(
        request.POST or None,
        request.FILES or None,
        committee=request.committee,
        lead=lead,
        body_entry=body_entry,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                proposal = services.proposal_create(
                    actor=request.user,
                    committee=request.committee,
                    data=data,
                    cosigners=data.get("cosigners") or (),
                    suggested_units=data.get("suggested_units") or (),
                    submitter_type=data.get("submitter_type", SubmitterType.MEMBER),
                    submitting_body=data.get("submitting_body", ""),
                )
                _save_attachment(request, proposal, data.get("attachment"))
                if request.POST.get("submit_now"):
                    proposal = services.proposal_submit(actor=request.user, proposal=proposal)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, _("提案已保存。") if proposal.state == "draft" else _("提案已提交。")
            )
            return redirect("proposals:detail", pk=proposal.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "proposals/form.html", {"form": form, "body_entry": body_entry}, status=status
    )


@login_required
def proposal_edit(request, pk):
    proposal = get_object_or_404(queries.visible_proposals(request.user), pk=pk)
    if not request.user.has_perm("proposals.edit", proposal):
        raise PermissionDenied
    initial = {
        "title": proposal.title,
        "category": proposal.category,
        "situation": proposal.situation,
        "suggestions": proposal.suggestions,
        "publish_consent": proposal.publish_consent,
        "no_publish_reason": proposal.no_publish_reason,
        "suggested_units": list(proposal.suggested_units.all()),
        "cosigners": [c.membership for c in proposal.cosigners.all()],
    }
    form = forms.ProposalForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        committee=request.committee,
        lead=proposal.lead,
        body_entry=proposal.lead_id is None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                proposal = services.proposal_update(
                    actor=request.user,
                    proposal=proposal,
                    data=data,
                    cosigners=data.get("cosigners"),
                    suggested_units=data.get("suggested_units"),
                )
                _save_attachment(request, proposal, data.get("attachment"))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("提案已保存。"))
            return redirect("proposals:detail", pk=proposal.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "proposals/form.html", {"form": form, "proposal": proposal}, status=status
    )


NOTE_ACTIONS = {
    "assign": _("交办"),
    "cosign_confirmed": _("确认联名"),
    "cosign_declined": _("谢绝联名"),
    "correct_category": _("核定答复类别"),
    "request_extension": _("申请延期"),
    "approve_extension": _("批准延期"),
    "deny_extension": _("不批准延期"),
    "key_propose": _("拟定重点提案"),
    "key_decide": _("主席会议决定为重点提案"),
    "supervise": _("督办"),
    "mark_replied": _("全部单位已答复"),
    "reopen": _("重新办理"),
    "finish": _("办结"),
    "rehandle": _("转入重新办理"),
    "import": _("历史导入"),
}


def _action_label(workflow, action):
    if action in NOTE_ACTIONS:
        return NOTE_ACTIONS[action]
    return next(
        (str(t.label) for t in workflow.transitions if t.action == action and t.label), action
    )


def _timeline(proposal):
    """Proposal and assignment history in one list, oldest first, with Chinese labels."""
    assignment_rows = AssignmentHistory.objects.filter(subject__proposal=proposal).select_related(
        "actor", "subject__unit"
    )
    rows = [(h, None, PROPOSAL_WORKFLOW) for h in proposal.history.all()] + [
        (h, h.subject.unit, ASSIGNMENT_WORKFLOW) for h in assignment_rows
    ]
    rows.sort(key=lambda r: (r[0].created, r[0].pk))
    return [
        {
            "when": h.created,
            "unit": unit,
            "actor": h.actor,
            "action": _action_label(workflow, h.action),
            "state": workflow.state_label(h.to_state) if h.from_state != h.to_state else "",
            "note": h.note,
        }
        for h, unit, workflow in rows
    ]


def _detail_context(request, proposal, bound=None):
    """Everything the detail page shows; ``bound`` holds a failed form to show with its errors."""
    bound = bound or {}
    user = request.user
    actions = []
    for t in PROPOSAL_WORKFLOW.available(proposal, user):
        form = bound.get(("p", t.action)) or forms.proposal_action_form(t.action, proposal)
        actions.append({"t": t, "form": form})
    assignments = []
    for a in proposal.assignments.all():
        a_actions = []
        for t in ASSIGNMENT_WORKFLOW.available(a, user):
            form = bound.get(("a", a.pk, t.action)) or forms.assignment_action_form(t.action, a)
            a_actions.append({"t": t, "form": form})
        replies = list(a.replies.all())
        assignments.append(
            {
                "a": a,
                "actions": a_actions,
                "replies": replies,
                "can_see_private": user.has_perm("proposals.review")
                or user.has_perm("proposals.handle", a)
                or user.has_perm("proposals.rate", a),
                "extension_form": bound.get(("ext", a.pk))
                or forms.ExtensionForm(prefix=f"ext{a.pk}")
                if user.has_perm("proposals.request_extension", a)
                and a.state in ("accepted", "contacted", "rehandling")
                else None,
                "pending_extensions": [e for e in a.extensions.all() if e.state == "requested"],
                "can_download_letter": user.has_perm("proposals.download_letter", a.unit),
            }
        )
    categories = get_setting(proposal.committee, "reply_categories")
    my_signature = next(
        (
            c
            for c in proposal.cosigners.all()
            if c.membership.person.user_id == user.pk and c.state == "invited"
        ),
        None,
    )
    return {
        "proposal": proposal,
        "actions": actions,
        "assignments": assignments,
        "timeline": _timeline(proposal),
        "attachments": attachments_for(proposal),
        "categories": categories,
        "my_signature": my_signature if proposal.state == "collecting_signatures" else None,
        "can_edit": user.has_perm("proposals.edit", proposal)
        and proposal.state in ("draft", "returned"),
        "can_review": user.has_perm("proposals.review", proposal),
        "can_manage_key": user.has_perm("proposals.manage_key", proposal),
        "can_supervise": user.has_perm("proposals.supervise", proposal)
        and proposal.key_state == KeyState.DECIDED,
        "can_correct": user.has_perm("proposals.correct_category", proposal),
        "key_form": bound.get("key") or forms.KeyDecisionForm(prefix="key"),
        "supervision_form": bound.get("supervision") or forms.SupervisionForm(prefix="sup"),
        "supervision_records": _with_photos(proposal.supervision_records.all()),
        "followup_form": forms.FollowUpForm(prefix="fu"),
        "followup": followup_for(proposal, user) if proposal.state in REGISTERED_STATES else None,
    }


def _with_photos(records):
    """Supervision records, each with its ``photos`` (one query for all)."""
    records = list(records)
    photos = Attachment.objects.filter(
        target_type=ContentType.objects.get_for_model(SupervisionRecord),
        target_id__in=[r.pk for r in records],
    ).order_by("pk")
    for record in records:
        record.photos = [p for p in photos if p.target_id == record.pk]
    return records


def _proposal_or_404(request, pk):
    try:
        return queries.proposal_detail(request.user, pk)
    except Proposal.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def proposal_detail(request, pk):
    proposal = _proposal_or_404(request, pk)
    return render(request, "proposals/detail.html", _detail_context(request, proposal))


def _render_failed(request, proposal, bound, exc=None):
    if exc is not None:
        messages.error(request, " ".join(error_messages(exc)))
    proposal = _proposal_or_404(request, proposal.pk)
    return render(
        request, "proposals/detail.html", _detail_context(request, proposal, bound), status=400
    )


@login_required
@require_POST
def proposal_action(request, pk, action):
    proposal = _proposal_or_404(request, pk)
    form = forms.proposal_action_form(action, proposal, request.POST, request.FILES)
    if form is None and action not in PROPOSAL_WORKFLOW.actions:
        raise Http404
    payload = {}
    if form is not None:
        if not form.is_valid():
            return _render_failed(request, proposal, {("p", action): form})
        payload = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        if action == "assign":
            payload["units"] = list(payload.get("units", []))
    try:
        result = services.proposal_act(
            actor=request.user, proposal=proposal, action=action, **payload
        )
    except (ValidationError, InvalidTransition, PermissionDenied) as exc:
        if isinstance(exc, PermissionDenied):
            raise
        if isinstance(exc, ValidationError) and form is not None:
            attach_errors(form, exc)
            return _render_failed(request, proposal, {("p", action): form})
        return _render_failed(request, proposal, {}, exc)
    messages.success(request, _("操作成功:%(s)s") % {"s": result.get_state_display()})
    return redirect("proposals:detail", pk=proposal.pk)


@login_required
@require_POST
def assignment_action(request, pk, action):
    assignment = get_object_or_404(Assignment.objects.select_related("proposal"), pk=pk)
    proposal = _proposal_or_404(request, assignment.proposal_id)
    form = forms.assignment_action_form(action, assignment, request.POST, request.FILES)
    if form is None and action not in ASSIGNMENT_WORKFLOW.actions:
        raise Http404
    payload = {}
    if form is not None:
        if not form.is_valid():
            return _render_failed(request, proposal, {("a", assignment.pk, action): form})
        payload = dict(form.cleaned_data)
        if action == "reply":
            upload = payload.pop("document", None)
            payload["document"] = (
                attachment_create(
                    committee=assignment.committee,
                    upload=upload,
                    actor=request.user,
                    target=assignment,
                )
                if upload
                else None
            )
    try:
        with transaction.atomic():
            services.assignment_act(
                actor=request.user, assignment=assignment, action=action, **payload
            )
    except PermissionDenied:
        raise
    except (ValidationError, InvalidTransition) as exc:
        if isinstance(exc, ValidationError) and form is not None:
            attach_errors(form, exc)
            return _render_failed(request, proposal, {("a", assignment.pk, action): form})
        return _render_failed(request, proposal, {}, exc)
    messages.success(request, _("操作成功。"))
    return redirect("proposals:detail", pk=proposal.pk)


@login_required
@require_POST
def cosign(request, pk):
    cosigner = get_object_or_404(CoSigner, pk=pk, membership__person__user=request.user)
    try:
        services.cosign_answer(
            actor=request.user, cosigner=cosigner, confirm=request.POST.get("confirm") == "1"
        )
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(
            request, _("已确认联名。") if request.POST.get("confirm") == "1" else _("已谢绝联名。")
        )
    return redirect("proposals:detail", pk=cosigner.proposal_id)


@login_required
@require_POST
def key_action(request, pk):
    proposal = _proposal_or_404(request, pk)
    step = request.POST.get("step")
    try:
        if step == "propose":
            services.key_propose(actor=request.user, proposal=proposal)
        elif step == "decide":
            form = forms.KeyDecisionForm(request.POST, prefix="key")
            if not form.is_valid():
                return _render_failed(request, proposal, {"key": form})
            try:
                services.key_decide(actor=request.user, proposal=proposal, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
                return _render_failed(request, proposal, {"key": form})
        else:
            raise Http404
    except ValidationError as exc:
        return _render_failed(request, proposal, {}, exc)
    messages.success(request, _("重点提案已更新。"))
    return redirect("proposals:detail", pk=proposal.pk)


@login_required
@require_POST
def supervision_add(request, pk):
    proposal = _proposal_or_404(request, pk)
    form = forms.SupervisionForm(request.POST, request.FILES, prefix="sup")
    if not form.is_valid():
        return _render_failed(request, proposal, {"supervision": form})
    data = dict(form.cleaned_data)
    photo = data.pop("photo", None)
    try:
        with transaction.atomic():
            record = services.supervision_add(actor=request.user, proposal=proposal, **data)
            if photo:
                attachment_create(
                    committee=proposal.committee, upload=photo, actor=request.user, target=record
                )
    except ValidationError as exc:
        attach_errors(form, exc)
        return _render_failed(request, proposal, {"supervision": form})
    messages.success(request, _("督办记录已保存。"))
    return redirect("proposals:detail", pk=proposal.pk)


def _reply_or_404(request, pk):
    reply = get_object_or_404(
        Reply.objects.select_related("assignment__proposal", "assignment__unit"), pk=pk
    )
    _proposal_or_404(request, reply.assignment.proposal_id)
    return reply


@login_required
@require_POST
def correct_category(request, pk):
    reply = _reply_or_404(request, pk)
    form = forms.CategoryCorrectionForm(request.POST, committee=reply.committee)
    try:
        if not form.is_valid():
            raise ValidationError(_("请选择有效的答复类别。"))
        services.reply_correct_category(
            actor=request.user,
            reply=reply,
            category=form.cleaned_data["category"],
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, _("答复类别已核定。"))
    return redirect("proposals:detail", pk=reply.assignment.proposal_id)


@login_required
@require_POST
def follow_up(request, pk):
    reply = _reply_or_404(request, pk)
    form = forms.FollowUpForm(request.POST, prefix="fu")
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写回头看日期。"))
        services.follow_up_b_class(actor=request.user, reply=reply, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, _("已安排回头看。"))
    return redirect("proposals:detail", pk=reply.assignment.proposal_id)


@login_required
@require_POST
def extension_request(request, pk):
    assignment = get_object_or_404(Assignment, pk=pk)
    proposal = _proposal_or_404(request, assignment.proposal_id)
    form = forms.ExtensionForm(request.POST, prefix=f"ext{assignment.pk}")
    if not form.is_valid():
        return _render_failed(request, proposal, {("ext", assignment.pk): form})
    try:
        services.extension_request(actor=request.user, assignment=assignment, **form.cleaned_data)
    except ValidationError as exc:
        attach_errors(form, exc)
        return _render_failed(request, proposal, {("ext", assignment.pk): form})
    messages.success(request, _("延期申请已提交。"))
    return redirect("proposals:detail", pk=proposal.pk)


@login_required
@require_POST
def extension_decide(request, pk):
    extension = get_object_or_404(ExtensionRequest.objects.select_related("assignment"), pk=pk)
    proposal = _proposal_or_404(request, extension.assignment.proposal_id)
    try:
        services.extension_decide(
            actor=request.user,
            extension=extension,
            approve=request.POST.get("approve") == "1",
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, _("延期申请已处理。"))
    return redirect("proposals:detail", pk=proposal.pk)


@login_required
@require_POST
def bulk_register(request):
    if not request.user.has_perm("proposals.review"):
        raise PermissionDenied
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    proposals = list(queries.visible_proposals(request.user).filter(pk__in=ids))
    if not proposals or len(proposals) != len(set(ids)):
        messages.error(request, _("请选择要立案的提案。"))
        return redirect(f"{_list_url()}?view=review")
    try:
        registered = services.bulk_register(actor=request.user, proposals=proposals)
    except (ValidationError, InvalidTransition) as exc:
        messages.error(
            request,
            _("批量立案未完成,没有任何提案被立案:%(e)s") % {"e": " ".join(error_messages(exc))},
        )
    else:
        messages.success(request, _("已立案%(n)s件提案。") % {"n": len(registered)})
    return redirect(f"{_list_url()}?view=review")


def _list_url():
    from django.urls import reverse

    return reverse("proposals:list")


urlpatterns = [
    path("", proposal_list, name="list"),
    path("new/", proposal_create, name="create"),
    path("bulk-register/", bulk_register, name="bulk_register"),
    path("<int:pk>/", proposal_detail, name="detail"),
    path("<int:pk>/edit/", proposal_edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", proposal_action, name="act"),
    path("<int:pk>/key/", key_action, name="key"),
    path("<int:pk>/supervision/", supervision_add, name="supervision_add"),
    path("assignments/<int:pk>/act/<slug:action>/", assignment_action, name="assignment_act"),
    path("assignments/<int:pk>/extension/", extension_request, name="extension_request"),
    path("extensions/<int:pk>/decide/", extension_decide, name="extension_decide"),
    path("cosign/<int:pk>/", cosign, name="cosign"),
    path("replies/<int:pk>/category/", correct_category, name="correct_category"),
    path("replies/<int:pk>/follow-up/", follow_up, name="follow_up"),
]
