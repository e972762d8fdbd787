"""Supervision groups (民主监督小组): the list by year, the create and edit forms, the detail
page with its letters and the activities registered for the group (活动 app)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengxie.core.forms import attach_errors
from zhengxie.supervision import forms, queries, services
from zhengxie.supervision.models import GroupRole
from zhengxie.supervision.views.common import group_or_404, require

try:  # the activities app records the group's meetings, inspections and hearings
    from zhengxie.activities import services as activity_services
    from zhengxie.activities.models import Activity
except ImportError:  # pragma: no cover  (without the activities app the panel is left out)
    Activity = activity_services = None


@login_required
def group_list(request):
    require(request, "supervision.list_groups")
    years = queries.group_years(request.user)
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or (years[0] if years else this_year))
    except ValueError:
        year = this_year
    groups = list(queries.group_list(request.user, year=year))
    for group in groups:
        members = list(group.group_members.all())
        group.leader = next((gm.membership for gm in members if gm.role == GroupRole.LEADER), None)
        group.others = [gm.membership for gm in members if gm.role != GroupRole.LEADER]
        group.latest_letter = next(iter(group.letters.all()), None)
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    return render(
        request,
        "supervision/group_list.html",
        {
            "groups": groups,
            "year": year,
            "years": years,
            "can_manage": request.user.has_perm("supervision.manage"),
        },
    )


def _group_form_data(data):
    return {k: data.get(k) for k in ("year", "name", "unit", "topic", "note")}


@login_required
def group_create(request):
    require(request, "supervision.manage")
    form = forms.GroupForm(request.POST or None, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            group = services.group_create(
                actor=request.user,
                committee=request.committee,
                data=_group_form_data(data),
                leader=data["leader"],
                members=list(data["members"]),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("监督小组已建立。"))
            return redirect("supervision:group_detail", pk=group.pk)
    return render(
        request, "supervision/group_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
def group_edit(request, pk):
    group = group_or_404(request, pk)
    require(request, "supervision.manage", group)
    members = list(group.group_members.all())
    initial = {
        "year": group.year,
        "name": group.name,
        "unit": group.unit_id,
        "topic": group.topic_id,
        "note": group.note,
        "leader": next((gm.membership_id for gm in members if gm.role == GroupRole.LEADER), None),
        "members": [gm.membership_id for gm in members if gm.role != GroupRole.LEADER],
    }
    form = forms.GroupForm(request.POST or None, initial=initial, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.group_update(
                actor=request.user,
                group=group,
                data=_group_form_data(data),
                leader=data["leader"],
                members=list(data["members"]),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("监督小组已保存。"))
            return redirect("supervision:group_detail", pk=group.pk)
    return render(
        request,
        "supervision/group_form.html",
        {"form": form, "group": group},
        status=400 if form.is_bound else 200,
    )


def _activity_url(activity):
    try:
        return reverse("activities:detail", args=[activity.pk])
    except NoReverseMatch:
        return ""


def group_activities(group):
    if Activity is None:
        return []
    activities = list(
        Activity.objects.filter(
            context_type=ContentType.objects.get_for_model(group), context_id=group.pk
        ).order_by("-starts_on", "-pk")
    )
    for activity in activities:
        activity.url = _activity_url(activity)
    return activities


def _detail_context(request, group, activity_form=None):
    members = list(group.group_members.all())
    can_manage = request.user.has_perm("supervision.manage", group)
    can_add_activity = (
        Activity is not None and can_manage and request.user.has_perm("activities.create")
    )
    return {
        "group": group,
        "leader": next((gm.membership for gm in members if gm.role == GroupRole.LEADER), None),
        "members": members,
        "letters": list(group.letters.order_by("-created", "-pk")),
        "activities": group_activities(group),
        "can_manage": can_manage,
        "activity_form": (activity_form or forms.GroupActivityForm()) if can_add_activity else None,
    }


@login_required
def group_detail(request, pk):
    group = group_or_404(request, pk)
    require(request, "supervision.view_group", group)
    return render(request, "supervision/group_detail.html", _detail_context(request, group))


@login_required
@require_POST
def group_activity_add(request, pk):
    """登记监督活动: an activity of the activities app (category 民主监督) in the group's context,
    with the group's members as participants (their attendance and ledger rows are that app's)."""
    group = group_or_404(request, pk)
    require(request, "supervision.manage", group)
    if Activity is None:
        raise Http404  # pragma: no cover
    form = forms.GroupActivityForm(request.POST)
    if form.is_valid():
        data = {**form.cleaned_data, "category": "supervision"}
        data["organiser"] = data.get("organiser") or str(group)[:128]
        try:
            with transaction.atomic():
                activity = activity_services.activity_create(
                    actor=request.user, committee=request.committee, data=data, context=group
                )
                memberships = services.group_memberships(group)
                if memberships:
                    activity_services.participants_assign(
                        actor=request.user, activity=activity, memberships=memberships
                    )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("监督活动已登记。"))
            return redirect("supervision:group_detail", pk=group.pk)
    return render(
        request,
        "supervision/group_detail.html",
        _detail_context(request, group, activity_form=form),
        status=400,
    )


urlpatterns = [
    path("", group_list, name="group_list"),
    path("groups/new/", group_create, name="group_create"),
    path("groups/<int:pk>/", group_detail, name="group_detail"),
    path("groups/<int:pk>/edit/", group_edit, name="group_edit"),
    path("groups/<int:pk>/activities/", group_activity_add, name="group_activity_add"),
]
