"""通知公告 pages: the staff list (with the period's figures), compose and edit, a notice's
receipts with reminders, withdrawal and the .xlsx export; members' 我的通知 and the notice
itself, whose first open is the read receipt. Views are access → service → response; a notice
the user may not see answers 404 like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengxie.core.attachments import attachments_for
from zhengxie.core.audit import audit_record
from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.models import AuditAction
from zhengxie.core.periods import PeriodForm, chosen_period
from zhengxie.core.workflow import InvalidTransition
from zhengxie.notices import exports, forms, queries, services
from zhengxie.notices.models import NoticeState
from zhengxie.notices.stats import notice_figures
from zhengxie.notices.workflow import NOTICE_WORKFLOW
from zhengxie.organisation.models import Session, Term

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECEIPTS_PER_PAGE = 100


def _need(request, permission, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _notice_or_404(request, pk):
    return get_object_or_404(queries.notices_visible(request.user), pk=pk)


def _percent(part, whole):
    return part * 100 / whole if whole else None


# The staff list -----------------------------------------------------------------------------


def _period(request):
    """(period form, period or None, errors): the current year unless one is chosen."""
    form = PeriodForm(request.GET)
    return (form, *chosen_period(form))


@login_required
@require_GET
def notice_list(request):
    _need(request, "notices.view_all")
    form = forms.NoticeFilterForm(request.GET or None)
    page = Paginator(queries.notice_list(request.user, **form.filters()), 20).get_page(
        request.GET.get("page")
    )
    for notice in page:
        notice.read_percent = _percent(notice.read_count, notice.recipient_count)
    _form, period, errors = _period(request)
    figures = notice_figures(committee=request.committee, **period.arguments) if period else None
    context = {
        "page": page,
        "form": form,
        "can_manage": request.user.has_perm("notices.manage"),
        "period": period,
        "figures": figures,
        "read_percent": (
            None
            if figures is None or figures["notice_read_rate"] is None
            else figures["notice_read_rate"] * 100
        ),
        "errors": errors,
        "sessions": Session.objects.select_related("term").order_by("-opens_on"),
        "terms": Term.objects.order_by("-number"),
    }
    template = "notices/list.html#results" if request.htmx else "notices/list.html"
    return render(request, template, context)


# Compose and edit ---------------------------------------------------------------------------


@login_required
def notice_create(request):
    _need(request, "notices.manage")
    form = forms.NoticeForm(
        request.POST or None, request.FILES or None, committee=request.committee
    )
    if request.method == "POST" and form.is_valid():
        send = "send" in request.POST
        try:
            notice = services.notice_create(
                actor=request.user,
                committee=request.committee,
                data=form.service_data(),
                uploads=form.cleaned_data["attachments"],
                send=send,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            if send:
                messages.success(request, _("通知已发送。"))
            else:
                messages.success(request, _("通知已保存为草稿,核对无误后请点“发送”。"))
            return redirect("notices:detail", pk=notice.pk)
    return render(
        request,
        "notices/form.html",
        {"form": form, "notice": None},
        status=400 if form.is_bound else 200,
    )


@login_required
def notice_edit(request, pk):
    notice = _notice_or_404(request, pk)
    _need(request, "notices.manage", notice)
    if notice.state != NoticeState.DRAFT:
        messages.error(request, _("只有草稿可以修改;已发送的通知请撤回后重新发送。"))
        return redirect("notices:detail", pk=notice.pk)
    form = forms.NoticeForm(
        request.POST or None,
        request.FILES or None,
        initial=forms.initial_of(notice),
        committee=request.committee,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_update(
                actor=request.user,
                notice=notice,
                data=form.service_data(),
                uploads=form.cleaned_data["attachments"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("草稿已保存。"))
            return redirect("notices:detail", pk=notice.pk)
    return render(
        request,
        "notices/form.html",
        {"form": form, "notice": notice, "attachments": attachments_for(notice)},
        status=400 if form.is_bound else 200,
    )


# A notice -----------------------------------------------------------------------------------


def _filters(notice, counts):
    keys = ["read", "unread", "no_account"]
    if notice.reply_required:
        keys += ["acknowledged", "unacknowledged"]
    values = {
        **counts,
        "unacknowledged": counts["total"] - counts["acknowledged"],
    }
    return [("", _("全部"), counts["total"])] + [
        (key, queries.RECEIPT_FILTERS[key][0], values[key]) for key in keys
    ]


def _history(notice):
    labels = {t.action: str(t.label) for t in NOTICE_WORKFLOW.transitions}
    labels["remind"] = _("提醒")
    return [
        {
            "created": h.created,
            "actor": h.actor,
            "label": labels.get(h.action, h.action),
            "note": h.note,
        }
        for h in notice.history.select_related("actor").order_by("created", "pk")
    ]


def _staff_context(request, notice):
    user = request.user
    show = request.GET.get("show", "")
    show = show if show in queries.RECEIPT_FILTERS else ""
    can_manage = user.has_perm("notices.manage", notice)
    context = {
        "notice": notice,
        "attachments": attachments_for(notice),
        "can_manage": can_manage,
        "actions": NOTICE_WORKFLOW.available(notice, user),
        "withdraw_form": forms.WithdrawForm(),
        "history": _history(notice),
        "show": show,
    }
    if notice.state == NoticeState.DRAFT:
        context["preview"] = services.audience_of(notice).aggregate(
            total=Count("pk"), no_account=Count("pk", filter=Q(person__user__isnull=True))
        )
        return context
    counts = queries.receipt_counts(notice)
    counts["read_percent"] = _percent(counts["read"], counts["total"])
    page = Paginator(queries.receipts(notice, show=show), RECEIPTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    for row in page:
        owes = row.read_at is None or (notice.reply_required and row.acknowledged_at is None)
        row.remindable = owes and row.membership.person.user_id is not None
    context.update(
        counts=counts,
        filters=_filters(notice, counts),
        receipts=page,
        reminders=list(notice.reminders.select_related("actor").order_by("-created", "-pk")[:20]),
        can_remind=can_manage and notice.state == NoticeState.SENT,
        today=timezone.localdate(),
    )
    return context


@login_required
@require_GET
def notice_detail(request, pk):
    notice = _notice_or_404(request, pk)
    if request.user.has_perm("notices.view_all"):
        context = _staff_context(request, notice)
        template = "notices/detail.html#receipts" if request.htmx else "notices/detail.html"
        return render(request, template, context)
    recipient = services.notice_open(actor=request.user, notice=notice)
    if recipient is None:
        raise Http404
    return render(request, "notices/read.html", _member_context(notice, recipient))


def _member_context(notice, recipient, ack_form=None):
    withdrawn = notice.state == NoticeState.WITHDRAWN
    return {
        "notice": notice,
        "recipient": recipient,
        "withdrawn": withdrawn,
        "attachments": [] if withdrawn else attachments_for(notice),
        "ack_form": ack_form or forms.AcknowledgeForm(),
        "can_acknowledge": (
            notice.state == NoticeState.SENT
            and notice.reply_required
            and recipient.acknowledged_at is None
        ),
    }


@login_required
@require_POST
def notice_action(request, pk, action):
    notice = _notice_or_404(request, pk)
    if action not in NOTICE_WORKFLOW.actions:
        raise Http404
    _need(request, "notices.manage", notice)
    try:
        if action == "send":
            notice = services.notice_send(actor=request.user, notice=notice)
            messages.success(request, _("通知已发送。"))
        else:
            form = forms.WithdrawForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            notice = services.notice_withdraw(actor=request.user, notice=notice, note=note)
            messages.success(request, _("通知已撤回。"))
    except (ValidationError, InvalidTransition) as exc:
        messages.error(request, " ".join(error_messages(exc)))
    return redirect("notices:detail", pk=notice.pk)


@login_required
@require_POST
def notice_remind(request, pk):
    notice = _notice_or_404(request, pk)
    _need(request, "notices.manage", notice)
    recipient_ids = None
    if request.POST.get("scope") == "selected":
        recipient_ids = [int(v) for v in request.POST.getlist("recipient") if v.isdigit()]
        if not recipient_ids:
            messages.error(request, _("请先勾选要提醒的委员。"))
            return redirect("notices:detail", pk=notice.pk)
    try:
        reminder = services.notice_remind(
            actor=request.user, notice=notice, recipient_ids=recipient_ids
        )
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, _("已提醒 %(n)s 位委员。") % {"n": reminder.count})
    return redirect("notices:detail", pk=notice.pk)


@login_required
@require_POST
def notice_acknowledge(request, pk):
    notice = _notice_or_404(request, pk)
    _need(request, "notices.acknowledge", notice)
    form = forms.AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.notice_acknowledge(
                actor=request.user, notice=notice, reply=form.cleaned_data["reply"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("回执已提交。"))
            return redirect("notices:detail", pk=notice.pk)
    recipient = services.notice_open(actor=request.user, notice=notice)
    return render(
        request, "notices/read.html", _member_context(notice, recipient, form), status=400
    )


@login_required
@require_GET
def receipts_export(request, pk):
    notice = _notice_or_404(request, pk)
    _need(request, "notices.view_all", notice)
    if notice.state == NoticeState.DRAFT:
        raise Http404
    audit_record(
        actor=request.user, action=AuditAction.EXPORT, obj=notice, note=_("导出通知阅读回执")
    )
    response = HttpResponse(exports.receipts_sheet(notice), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''notice-{notice.pk}.xlsx"
    return response


# 我的通知 -------------------------------------------------------------------------------------


@login_required
@require_GET
def my_notices(request):
    _need(request, "notices.mine")
    page = Paginator(queries.my_notices(request.user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "notices/mine.html",
        {"page": page, "unread": queries.my_unread_count(request.user)},
    )


urlpatterns = [
    path("", notice_list, name="list"),
    path("new/", notice_create, name="create"),
    path("mine/", my_notices, name="mine"),
    path("<int:pk>/", notice_detail, name="detail"),
    path("<int:pk>/edit/", notice_edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", notice_action, name="act"),
    path("<int:pk>/remind/", notice_remind, name="remind"),
    path("<int:pk>/acknowledge/", notice_acknowledge, name="acknowledge"),
    path("<int:pk>/receipts.xlsx", receipts_export, name="receipts_export"),
]
