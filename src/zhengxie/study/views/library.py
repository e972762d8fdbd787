"""学习资料 (the materials library and the copies handed out) and 书香政协 (reading groups and
their sessions). Views are access → service → response; a record the user may not see answers
404 like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhengxie.core.forms import attach_errors
from zhengxie.core.workflow import InvalidTransition
from zhengxie.study import forms, queries, services
from zhengxie.study.models import (
    Distribution,
    ReadingGroup,
    ReadingSession,
    ReadingState,
    StudyMaterial,
)
from zhengxie.study.views.pages import fail, need
from zhengxie.study.workflow import READING_WORKFLOW

READING_LABELS = {
    "create": gettext_lazy("登记"),
    **{t.action: t.label for t in READING_WORKFLOW.transitions},
}


# Materials ------------------------------------------------------------------------------------


def _material_or_404(request, pk):
    need(request, "study.view")
    return get_object_or_404(StudyMaterial.objects.select_related("attachment"), pk=pk)


@login_required
def material_list(request):
    need(request, "study.view")
    form = forms.MaterialFilterForm(request.GET or None, tags=queries.all_tags())
    page = Paginator(queries.material_list(**form.filters()), 30).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "can_manage": request.user.has_perm("study.manage")}
    template = "study/material_list.html#results" if request.htmx else "study/material_list.html"
    return render(request, template, context)


def _material_data(form):
    return {k: form.cleaned_data.get(k) for k in services.MATERIAL_FIELDS}


@login_required
def material_create(request):
    need(request, "study.manage")
    form = forms.MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            material = services.material_create(
                actor=request.user,
                committee=request.committee,
                data=_material_data(form),
                upload=form.cleaned_data.get("file"),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("学习资料已登记。"))
            return redirect("study:material_detail", pk=material.pk)
    return render(
        request, "study/material_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
def material_edit(request, pk):
    material = _material_or_404(request, pk)
    need(request, "study.manage", material)
    initial = {k: getattr(material, k) for k in services.MATERIAL_FIELDS}
    initial["tags"] = "、".join(material.tag_list)
    form = forms.MaterialForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.material_update(
                actor=request.user,
                material=material,
                data=_material_data(form),
                upload=form.cleaned_data.get("file"),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("学习资料已保存。"))
            return redirect("study:material_detail", pk=material.pk)
    return render(
        request,
        "study/material_form.html",
        {"form": form, "material": material},
        status=400 if form.is_bound else 200,
    )


def _material_context(request, material, form=None):
    can_manage = request.user.has_perm("study.manage", material)
    return {
        "material": material,
        "copies": queries.copies_handed_out(material),
        "distributions": queries.material_distributions(material),
        "can_manage": can_manage,
        "form": form
        or (forms.DistributionForm(committee=request.committee) if can_manage else None),
    }


@login_required
def material_detail(request, pk):
    material = _material_or_404(request, pk)
    return render(request, "study/material_detail.html", _material_context(request, material))


@login_required
@require_POST
def distribution_add(request, pk):
    material = _material_or_404(request, pk)
    need(request, "study.manage", material)
    form = forms.DistributionForm(request.POST, committee=request.committee)
    if form.is_valid():
        try:
            services.distribution_add(actor=request.user, material=material, data=form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("发放记录已登记。"))
            return redirect("study:material_detail", pk=material.pk)
    return render(
        request,
        "study/material_detail.html",
        _material_context(request, material, form),
        status=400,
    )


@login_required
@require_POST
def distribution_remove(request, pk):
    need(request, "study.view")
    distribution = get_object_or_404(Distribution.objects.all(), pk=pk)
    need(request, "study.manage", distribution)
    services.distribution_remove(actor=request.user, distribution=distribution)
    messages.success(request, _("发放记录已删除。"))
    return redirect("study:material_detail", pk=distribution.material_id)


# Reading groups -------------------------------------------------------------------------------


def _group_or_404(request, pk):
    need(request, "study.view")
    group = get_object_or_404(ReadingGroup.objects.select_related("leader__person"), pk=pk)
    if not request.user.has_perm("study.view_group", group):
        raise Http404
    return group


@login_required
def group_list(request):
    need(request, "study.view")
    return render(
        request,
        "study/group_list.html",
        {
            "groups": queries.group_list(request.user),
            "can_manage": request.user.has_perm("study.manage"),
        },
    )


def _group_data(form):
    data = dict(form.cleaned_data)
    data["members"] = list(data.get("members") or [])
    return data


@login_required
def group_create(request):
    need(request, "study.manage")
    form = forms.GroupForm(request.POST or None, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                actor=request.user, committee=request.committee, data=_group_data(form)
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("读书小组已成立。"))
            return redirect("study:group_detail", pk=group.pk)
    return render(
        request, "study/group_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
def group_edit(request, pk):
    group = _group_or_404(request, pk)
    need(request, "study.manage", group)
    initial = {
        "name": group.name,
        "leader": group.leader_id,
        "members": list(group.members.values_list("pk", flat=True)),
        "current_book": group.current_book,
        "description": group.description,
    }
    form = forms.GroupForm(request.POST or None, initial=initial, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(actor=request.user, group=group, data=_group_data(form))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("读书小组已保存。"))
            return redirect("study:group_detail", pk=group.pk)
    return render(
        request,
        "study/group_form.html",
        {"form": form, "group": group},
        status=400 if form.is_bound else 200,
    )


def _group_context(request, group, form=None):
    can_manage = request.user.has_perm("study.manage", group)
    return {
        "group": group,
        "members": group.members.select_related("person", "sector").order_by("person__name"),
        "sessions": queries.group_sessions(group),
        "can_manage": can_manage,
        "form": form
        or (
            forms.ReadingSessionForm(
                initial={"date": timezone.localdate(), "book_title": group.current_book},
                plan_items=queries.plan_item_choices(reading=True),
            )
            if can_manage
            else None
        ),
    }


@login_required
def group_detail(request, pk):
    group = _group_or_404(request, pk)
    return render(request, "study/group_detail.html", _group_context(request, group))


@login_required
@require_POST
def reading_session_create(request, pk):
    group = _group_or_404(request, pk)
    need(request, "study.manage", group)
    form = forms.ReadingSessionForm(
        request.POST, plan_items=queries.plan_item_choices(reading=True)
    )
    if form.is_valid():
        data = dict(form.cleaned_data)
        plan_item = data.pop("plan_item", None)
        try:
            session = services.reading_session_create(
                actor=request.user, group=group, data=data, plan_item=plan_item
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("读书活动已登记,已通知小组成员。"))
            return redirect("study:reading_session_detail", pk=session.pk)
    return render(
        request, "study/group_detail.html", _group_context(request, group, form), status=400
    )


def _reading_or_404(request, pk):
    need(request, "study.view")
    session = get_object_or_404(ReadingSession.objects.select_related("group", "plan_item"), pk=pk)
    if not request.user.has_perm("study.view_reading_session", session):
        raise Http404
    return session


@login_required
def reading_session_detail(request, pk):
    session = _reading_or_404(request, pk)
    user = request.user
    can_manage = user.has_perm("study.manage", session)
    sees_all = user.has_perm("study.view_all")
    rows = list(queries.reading_rows(session))
    available = READING_WORKFLOW.available(session, user)
    return render(
        request,
        "study/reading_session_detail.html",
        {
            "session": session,
            "rows": rows if sees_all else [],
            "own": next((r for r in rows if r.membership.person.user_id == user.pk), None),
            "counts": queries.attendance_counts(rows),
            "states": forms.ATTENDANCE_CHOICES,
            "can_manage": can_manage,
            "can_record": can_manage and session.state != ReadingState.CANCELLED,
            "actions": [t for t in available if t.action != "cancel"],
            "can_cancel": any(t.action == "cancel" for t in available),
            "cancel_form": forms.NoteForm(),
            "notes_form": forms.NotesForm(initial={"notes": session.notes})
            if can_manage and session.state != ReadingState.CANCELLED
            else None,
            "history": [
                {
                    "created": h.created,
                    "actor": h.actor,
                    "label": READING_LABELS.get(h.action, h.action),
                    "note": h.note,
                }
                for h in session.history.select_related("actor").order_by("created", "pk")
            ]
            if sees_all
            else [],
        },
    )


@login_required
@require_POST
def reading_attendance(request, pk):
    session = _reading_or_404(request, pk)
    need(request, "study.manage", session)
    rows = list(queries.reading_rows(session))
    if request.POST.get("all") == "attended":
        entries = {r.pk: "attended" for r in rows if r.state == "invited"}
    else:
        entries = forms.attendance_entries(request.POST, rows)
    try:
        changed = services.reading_attendance_record(
            actor=request.user, session=session, entries=entries
        )
    except ValidationError as exc:
        fail(request, exc)
    else:
        messages.success(request, _("出席情况已保存(%(n)s 人有变化)。") % {"n": len(changed)})
    return redirect("study:reading_session_detail", pk=session.pk)


@login_required
@require_POST
def reading_notes(request, pk):
    session = _reading_or_404(request, pk)
    need(request, "study.manage", session)
    form = forms.NotesForm(request.POST)
    if form.is_valid():
        try:
            services.reading_session_update(
                actor=request.user, session=session, notes=form.cleaned_data["notes"]
            )
        except ValidationError as exc:
            fail(request, exc)
        else:
            messages.success(request, _("活动记录已保存。"))
    return redirect("study:reading_session_detail", pk=session.pk)


@login_required
@require_POST
def reading_session_act(request, pk, action):
    session = _reading_or_404(request, pk)
    if action not in READING_WORKFLOW.actions:
        raise Http404
    need(request, "study.manage", session)
    try:
        session = services.reading_session_act(
            actor=request.user, session=session, action=action, note=request.POST.get("note", "")
        )
    except (ValidationError, InvalidTransition) as exc:
        fail(request, exc)
    else:
        messages.success(
            request, _("读书活动状态已改为“%(s)s”。") % {"s": session.get_state_display()}
        )
    return redirect("study:reading_session_detail", pk=session.pk)


urlpatterns = [
    path("materials/", material_list, name="material_list"),
    path("materials/new/", material_create, name="material_create"),
    path("materials/<int:pk>/", material_detail, name="material_detail"),
    path("materials/<int:pk>/edit/", material_edit, name="material_edit"),
    path("materials/<int:pk>/distributions/", distribution_add, name="distribution_add"),
    path("distributions/<int:pk>/delete/", distribution_remove, name="distribution_remove"),
    path("reading/", group_list, name="group_list"),
    path("reading/new/", group_create, name="group_create"),
    path("reading/<int:pk>/", group_detail, name="group_detail"),
    path("reading/<int:pk>/edit/", group_edit, name="group_edit"),
    path("reading/<int:pk>/sessions/new/", reading_session_create, name="reading_session_create"),
    path("reading/sessions/<int:pk>/", reading_session_detail, name="reading_session_detail"),
    path("reading/sessions/<int:pk>/attendance/", reading_attendance, name="reading_attendance"),
    path("reading/sessions/<int:pk>/notes/", reading_notes, name="reading_notes"),
    path(
        "reading/sessions/<int:pk>/act/<slug:action>/",
        reading_session_act,
        name="reading_session_act",
    ),
]
