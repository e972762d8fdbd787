"""Activity pages: list, my activities, create/edit, detail (participants, attendance, reports,
recommendations, joint sharing) and its action endpoints. Every write is a service call; an
activity the user may not see answers 404 like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhengxie.activities import forms, queries, services
from zhengxie.activities.models import ActivityState, Participation, PlanItem
from zhengxie.activities.workflow import ACTIVITY_WORKFLOW, NOT_YET_HELD
from zhengxie.core.attachments import attachment_create
from zhengxie.core.followup import followup_for
from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.models import Share
from zhengxie.core.workflow import InvalidTransition

HISTORY_LABELS = {
    "create": gettext_lazy("登记活动"),
    "import": gettext_lazy("历史导入"),
    **{t.action: t.label for t in ACTIVITY_WORKFLOW.transitions},
}


def _check(request, permission, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _activity_or_404(request, pk):
    return get_object_or_404(
        queries.visible_activities(request.user).select_related(
            "committee", "special_committee", "group", "sector", "plan_item__plan"
        ),
        pk=pk,
    )


def _fail(request, exc):
    messages.error(request, " ".join(error_messages(exc)))


# List -------------------------------------------------------------------------------------------


@login_required
def activity_list(request):
    _check(request, "activities.list")
    form = forms.ListFilterForm(request.GET or None)
    activities = queries.activity_list(request.user, **form.filters())
    page = Paginator(activities, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "can_create": request.user.has_perm("activities.create"),
        "can_import": request.user.has_perm("activities.import_history"),
    }
    template = "activities/list.html#results" if request.htmx else "activities/list.html"
    return render(request, template, context)


@login_required
def my_activities(request):
    _check(request, "activities.mine")
    return render(
        request,
        "activities/mine.html",
        {
            "open_activities": queries.open_for_signup(request.user)[:50],
            "participations": queries.my_participations(request.user)[:200],
        },
    )


# Create and edit ------------------------------------------------------------------------------


@login_required
def activity_create(request):
    _check(request, "activities.create")
    plan_item = None
    item_id = request.GET.get("plan_item") or request.POST.get("plan_item")
    if item_id:
        plan_item = get_object_or_404(
            PlanItem.objects.all(), pk=item_id if item_id.isdigit() else 0
        )
    initial = services.activity_data_from_item(plan_item) if plan_item else {}
    form = forms.ActivityForm(request.POST or None, initial=initial, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                actor=request.user,
                committee=request.committee,
                data=form.cleaned_data,
                plan_item=plan_item,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("活动已登记。"))
            return redirect("activities:detail", activity.pk)
    return render(
        request, "activities/form.html", {"form": form, "plan_item": plan_item, "activity": None}
    )


@login_required
def activity_edit(request, pk):
    activity = _activity_or_404(request, pk)
    _check(request, "activities.edit", activity)
    initial = {f: getattr(activity, f) for f in services.ACTIVITY_FIELDS}
    form = forms.ActivityForm(request.POST or None, initial=initial, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, data=form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("activities:detail", activity.pk)
    return render(
        request,
        "activities/form.html",
        {"form": form, "activity": activity, "plan_item": activity.plan_item},
    )


# Detail -----------------------------------------------------------------------------------------


def _detail_context(request, activity, bound=None):
    user = request.user
    bound = bound or {}
    own = activity.committee_id == request.committee.pk
    participants = (
        list(queries.own_participations(activity))
        if user.has_perm("activities.view_participants", activity)
        else []
    )
    mine = (
        Participation.objects.filter(activity=activity, membership__person__user=user)
        .select_related("membership")
        .first()
    )
    held = activity.state == ActivityState.HELD
    can_assign = (
        user.has_perm("activities.manage_participants", activity)
        and activity.state != ActivityState.CANCELLED
    )
    can_report = user.has_perm("activities.write_report", activity) and held
    can_share = user.has_perm("activities.share", activity)
    followup = followup_for(activity, user) if held else None
    if followup is not None and not own:
        followup["can_add_recommendation"] = followup["can_add_instruction"] = False
    shares = (
        Share.objects.filter(
            content_type=ContentType.objects.get_for_model(activity), object_id=activity.pk
        ).select_related("committee")
        if can_share
        else []
    )
    return {
        "activity": activity,
        "own": own,
        "actions": [t for t in ACTIVITY_WORKFLOW.available(activity, user) if not t.automatic],
        "can_edit": user.has_perm("activities.edit", activity)
        and activity.state != ActivityState.CANCELLED,
        "participants": participants,
        "attended": queries.attended_count(participants),
        "mine": mine,
        "can_sign_up": mine is None and user.has_perm("activities.sign_up", activity),
        "can_withdraw": mine is not None
        and mine.how == "signed_up"
        and activity.state == ActivityState.OPEN,
        "can_record": held and user.has_perm("activities.record_attendance", activity),
        "can_remove": can_assign and activity.state in NOT_YET_HELD,
        "assign_form": bound.get("assign")
        or (forms.AssignForm(committee=request.committee) if can_assign else None),
        "reports": queries.reports_of(activity),
        "report_form": bound.get("report")
        or (forms.ReportForm(committee=request.committee) if can_report else None),
        "can_edit_report": can_report,
        "share_form": bound.get("share")
        or (forms.ShareForm(own=request.committee) if can_share else None),
        "shares": shares,
        "followup": followup,
        "attendance_choices": forms.ATTENDANCE_CHOICES,
        "role_choices": forms.ROLE_CHOICES,
        "history": [
            (h, HISTORY_LABELS.get(h.action, h.action))
            for h in activity.history.select_related("actor").order_by("created", "pk")
        ],
    }


@login_required
def activity_detail(request, pk):
    activity = _activity_or_404(request, pk)
    _check(request, "activities.view", activity)
    return render(request, "activities/detail.html", _detail_context(request, activity))


@login_required
@require_POST
def activity_act(request, pk, action):
    activity = _activity_or_404(request, pk)
    if action not in ACTIVITY_WORKFLOW.actions:
        raise PermissionDenied
    try:
        services.activity_act(
            actor=request.user, activity=activity, action=action, note=request.POST.get("note", "")
        )
    except (ValidationError, InvalidTransition) as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("操作成功。"))
    return redirect("activities:detail", activity.pk)


@login_required
@require_POST
def sign_up(request, pk):
    activity = _activity_or_404(request, pk)
    try:
        services.participation_sign_up(actor=request.user, activity=activity)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("报名成功。"))
    if request.POST.get("next") == "mine":
        return redirect("activities:mine")
    return redirect("activities:detail", activity.pk)


@login_required
@require_POST
def withdraw(request, pk):
    activity = _activity_or_404(request, pk)
    try:
        services.participation_withdraw(actor=request.user, activity=activity)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("已取消报名。"))
    return redirect("activities:detail", activity.pk)


@login_required
@require_POST
def assign(request, pk):
    activity = _activity_or_404(request, pk)
    _check(request, "activities.manage_participants", activity)
    form = forms.AssignForm(request.POST, committee=request.committee)
    if form.is_valid():
        try:
            created = services.participants_assign(
                actor=request.user,
                activity=activity,
                memberships=form.chosen(),
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已安排%(n)s位委员。") % {"n": len(created)})
            return redirect("activities:detail", activity.pk)
    context = _detail_context(request, activity, {"assign": form})
    return render(request, "activities/detail.html", context, status=400)


@login_required
@require_POST
def remove_participant(request, pk, participation_pk):
    activity = _activity_or_404(request, pk)
    participation = get_object_or_404(
        Participation.objects.filter(activity=activity), pk=participation_pk
    )
    try:
        services.participation_remove(actor=request.user, participation=participation)
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("activities:detail", activity.pk)


@login_required
@require_POST
def attendance(request, pk):
    activity = _activity_or_404(request, pk)
    _check(request, "activities.record_attendance", activity)
    participations = list(queries.own_participations(activity))
    if request.POST.get("all") == "attended":  # 全部记为出席: the pending ones
        entries = {
            p.pk: {"attendance": "attended", "half_days": p.half_days, "role": p.role}
            for p in participations
            if p.attendance == "pending"
        }
    else:
        entries = forms.attendance_entries(request.POST, participations)
    try:
        services.attendance_record(actor=request.user, activity=activity, entries=entries)
    except ValidationError as exc:
        _fail(request, exc)
    else:
        messages.success(request, _("出勤情况已保存。"))
    return redirect("activities:detail", activity.pk)


@login_required
@require_POST
def report_add(request, pk):
    activity = _activity_or_404(request, pk)
    _check(request, "activities.write_report", activity)
    form = forms.ReportForm(request.POST, request.FILES, committee=request.committee)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                upload = data.get("attachment")
                attachment = (
                    attachment_create(
                        committee=activity.committee, upload=upload, actor=request.user
                    )
                    if upload
                    else None
                )
                services.report_create(
                    actor=request.user,
                    activity=activity,
                    data=data,
                    authors=list(data.get("authors") or []),
                    attachment=attachment,
                )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("报告已登记。"))
            return redirect("activities:detail", activity.pk)
    context = _detail_context(request, activity, {"report": form})
    return render(request, "activities/detail.html", context, status=400)


@login_required
def report_edit(request, pk):
    report = get_object_or_404(
        queries.reports_of_visible(request.user).select_related("activity"), pk=pk
    )
    _check(request, "activities.write_report", report.activity)
    form = forms.ReportEditForm(
        request.POST or None,
        initial={"title": report.title, "adopted_on": report.adopted_on, "text": report.text},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.report_update(actor=request.user, report=report, data=form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("activities:detail", report.activity_id)
    return render(request, "activities/report_form.html", {"form": form, "report": report})


@login_required
@require_POST
def share(request, pk):
    activity = _activity_or_404(request, pk)
    _check(request, "activities.share", activity)
    form = forms.ShareForm(request.POST, own=request.committee)
    if form.is_valid():
        try:
            services.activity_share(
                actor=request.user, activity=activity, committee=form.cleaned_data["committee"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已设为联动活动。"))
            return redirect("activities:detail", activity.pk)
    context = _detail_context(request, activity, {"share": form})
    return render(request, "activities/detail.html", context, status=400)


urlpatterns = [
    path("", activity_list, name="list"),
    path("mine/", my_activities, name="mine"),
    path("new/", activity_create, name="create"),
    path("<int:pk>/", activity_detail, name="detail"),
    path("<int:pk>/edit/", activity_edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", activity_act, name="act"),
    path("<int:pk>/sign-up/", sign_up, name="sign_up"),
    path("<int:pk>/withdraw/", withdraw, name="withdraw"),
    path("<int:pk>/assign/", assign, name="assign"),
    path(
        "<int:pk>/participants/<int:participation_pk>/remove/",
        remove_participant,
        name="remove_participant",
    ),
    path("<int:pk>/attendance/", attendance, name="attendance"),
    path("<int:pk>/reports/new/", report_add, name="report_add"),
    path("reports/<int:pk>/edit/", report_edit, name="report_edit"),
    path("<int:pk>/share/", share, name="share"),
]
