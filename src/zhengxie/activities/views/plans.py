"""Plan pages (年度计划: the topic plan and special committees' work plans, with their items and
whether each was held) and the history import (历史活动导入)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from zhengxie.activities import forms, importers, queries, services
from zhengxie.activities.models import Plan, PlanItem
from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.views.imports import import_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _check(request, permission, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


@login_required
def plan_list(request):
    _check(request, "activities.view_plans")
    return render(
        request,
        "activities/plan_list.html",
        {
            "plans": queries.plan_list(),
            "can_manage": request.user.has_perm("activities.manage_plans"),
        },
    )


@login_required
def plan_create(request):
    _check(request, "activities.manage_plans")
    form = forms.PlanForm(
        request.POST or None,
        initial={"year": timezone.localdate().year},
        committee=request.committee,
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.user, committee=request.committee, data=form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("activities:plan_detail", plan.pk)
    return render(request, "activities/plan_form.html", {"form": form})


def _plan_context(request, plan, item_form=None):
    can_manage = request.user.has_perm("activities.manage_plans", plan)
    return {
        "plan": plan,
        "items": queries.plan_items(plan),
        "can_manage": can_manage,
        "can_create_activity": request.user.has_perm("activities.create"),
        "item_form": item_form
        or (forms.PlanItemForm(committee=request.committee) if can_manage else None),
    }


@login_required
def plan_detail(request, pk):
    _check(request, "activities.view_plans")
    plan = get_object_or_404(Plan.objects.select_related("special_committee"), pk=pk)
    return render(request, "activities/plan_detail.html", _plan_context(request, plan))


@login_required
@require_POST
def plan_item_add(request, pk):
    plan = get_object_or_404(Plan.objects.all(), pk=pk)
    _check(request, "activities.manage_plans", plan)
    form = forms.PlanItemForm(request.POST, committee=request.committee)
    if form.is_valid():
        try:
            services.plan_item_add(actor=request.user, plan=plan, data=form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("activities:plan_detail", plan.pk)
    context = _plan_context(request, plan, form)
    return render(request, "activities/plan_detail.html", context, status=400)


@login_required
def plan_item_edit(request, pk):
    item = get_object_or_404(PlanItem.objects.select_related("plan"), pk=pk)
    _check(request, "activities.manage_plans", item)
    fields = (
        "topic",
        "category",
        "lead_special_committee",
        "lead_office",
        "lead_chair",
        "planned_month",
        "planned_quarter",
        "note",
    )
    form = forms.PlanItemForm(
        request.POST or None,
        initial={f: getattr(item, f) for f in fields},
        committee=request.committee,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_item_update(actor=request.user, item=item, data=form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("activities:plan_detail", item.plan_id)
    return render(request, "activities/plan_item_form.html", {"form": form, "item": item})


@login_required
@require_POST
def plan_item_delete(request, pk):
    item = get_object_or_404(PlanItem.objects.all(), pk=pk)
    try:
        services.plan_item_delete(actor=request.user, item=item)
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    return redirect("activities:plan_detail", item.plan_id)


@login_required
def history_import(request):
    _check(request, "activities.import_history")
    return import_page(
        request,
        form=forms.HistoryUploadForm(request.POST or None, request.FILES or None),
        template="activities/history_import.html",
        read=lambda upload: importers.read_history(upload, committee=request.committee),
        write=lambda *, rows, filename, data: importers.history_import(
            actor=request.user, committee=request.committee, rows=rows, filename=filename
        ),
    )


@login_required
@require_GET
def history_template(request):
    _check(request, "activities.import_history")
    response = HttpResponse(importers.history_template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''activity-history.xlsx"
    return response


urlpatterns = [
    path("plans/", plan_list, name="plan_list"),
    path("plans/new/", plan_create, name="plan_create"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("plans/<int:pk>/items/", plan_item_add, name="plan_item_add"),
    path("plan-items/<int:pk>/edit/", plan_item_edit, name="plan_item_edit"),
    path("plan-items/<int:pk>/delete/", plan_item_delete, name="plan_item_delete"),
    path("history-import/", history_import, name="history_import"),
    path("history-import/template.xlsx", history_template, name="history_template"),
]
