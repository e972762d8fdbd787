"""委员之家 pages: the register, a place's roster, visits, issues and messages; members' own
shifts; issue routing; figures. Views are access → service → response; a record the user may
not see answers 404 like a missing one."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengxie.core.followup import followup_for
from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.models import ModerationItem, Role
from zhengxie.core.periods import PeriodForm, resolve_period
from zhengxie.core.workflow import InvalidTransition
from zhengxie.places import forms, queries, services
from zhengxie.places.models import IssueState, ReceptionRoom, ShiftMember, Visit
from zhengxie.places.stats import FIGURE_LABELS, place_figures
from zhengxie.places.workflow import ISSUE_WORKFLOW, ROOM_WORKFLOW


def _need(request, permission, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _room_or_404(request, pk):
    _need(request, "places.view")
    return get_object_or_404(ReceptionRoom.objects.select_related("group"), pk=pk)


# The register -------------------------------------------------------------------------------


@login_required
def room_list(request):
    _need(request, "places.view")
    form = forms.RoomFilterForm(request.GET or None, townships=queries.townships())
    page = Paginator(queries.room_list(**form.filters()), 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "can_manage": request.user.has_perm("places.manage"),
        "can_internal": request.user.has_perm("places.view_internal"),
    }
    template = "places/list.html#results" if request.htmx else "places/list.html"
    return render(request, template, context)


def _room_data(data):
    return {k: data.get(k) for k in services.ROOM_FIELDS}


@login_required
def room_create(request):
    _need(request, "places.manage")
    form = forms.RoomForm(request.POST or None, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.room_create(
                actor=request.user,
                committee=request.committee,
                data=_room_data(form.cleaned_data),
                opened_on=form.cleaned_data.get("opened_on"),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("场所已登记。"))
            return redirect("places:detail", pk=room.pk)
    return render(request, "places/form.html", {"form": form}, status=400 if form.is_bound else 200)


@login_required
def room_edit(request, pk):
    room = _room_or_404(request, pk)
    _need(request, "places.manage", room)
    initial = {k: getattr(room, k) for k in services.ROOM_FIELDS}
    form = forms.RoomForm(
        request.POST or None, initial=initial, committee=request.committee, editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.room_update(actor=request.user, room=room, data=_room_data(form.cleaned_data))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("场所信息已保存。"))
            return redirect("places:detail", pk=room.pk)
    return render(
        request,
        "places/form.html",
        {"form": form, "room": room},
        status=400 if form.is_bound else 200,
    )


TABS = ("roster", "visits", "issues", "messages", "history")


@login_required
def room_detail(request, pk):
    room = _room_or_404(request, pk)
    user = request.user
    internal = user.has_perm("places.view_internal")
    tabs = [t for t in TABS if internal or t in ("roster", "visits")]
    tab = request.GET.get("tab") if request.GET.get("tab") in tabs else "roster"
    year, month = forms.month_of(request.GET.get("month"))
    first = datetime.date(year, month, 1)
    context = {
        "room": room,
        "tab": tab,
        "tabs": tabs,
        "can_manage": user.has_perm("places.manage", room),
        "actions": [t for t in ROOM_WORKFLOW.available(room, user) if not t.automatic],
        "action_form": forms.RoomActionForm(),
        "month": first,
        "prev_month": (first - datetime.timedelta(days=1)).strftime("%Y-%m"),
        "next_month": (first + datetime.timedelta(days=32)).strftime("%Y-%m"),
        "today": timezone.localdate(),
        "weekdays": forms.WEEKDAYS,
    }
    if tab == "roster":
        context["weeks"] = queries.roster_weeks(room, year=year, month=month)
        context["shift_form"] = (
            forms.ShiftForm(committee=request.committee) if context["can_manage"] else None
        )
    elif tab == "visits":
        context["visits"] = Paginator(queries.room_visits(room), 20).get_page(
            request.GET.get("page")
        )
    elif tab == "issues":
        context["issues"] = Paginator(
            room.issues.select_related("visit", "unit").order_by("-recorded_on", "-pk"), 30
        ).get_page(request.GET.get("page"))
    elif tab == "messages":
        context["room_messages"] = Paginator(queries.room_messages(room), 30).get_page(
            request.GET.get("page")
        )
        context["can_convert"] = user.has_perm("places.convert_message")
    else:
        context["history"] = [
            {
                "created": h.created,
                "actor": h.actor,
                "label": ROOM_WORKFLOW.state_label(h.to_state),
                "data": h.data,
                "note": h.note,
            }
            for h in room.history.select_related("actor").order_by("created", "pk")
        ]
    return render(request, "places/detail.html", context)


@login_required
@require_POST
def room_action(request, pk, action):
    room = _room_or_404(request, pk)
    if action not in ROOM_WORKFLOW.actions:
        raise Http404
    form = forms.RoomActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for es in form.errors.values() for e in es))
        return redirect("places:detail", pk=room.pk)
    try:
        room = services.room_act(
            actor=request.user,
            room=room,
            action=action,
            on=form.cleaned_data.get("on"),
            note=form.cleaned_data.get("note", ""),
        )
    except (ValidationError, InvalidTransition) as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, _("场所状态已改为“%(s)s”。") % {"s": room.get_state_display()})
    return redirect("places:detail", pk=room.pk)


# Rosters ------------------------------------------------------------------------------------


@login_required
def shift_create(request, pk):
    room = _room_or_404(request, pk)
    _need(request, "places.manage", room)
    form = forms.ShiftForm(request.POST or None, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shifts = services.shifts_create(
                actor=request.user,
                room=room,
                dates=data["dates"],
                half_day=data["half_day"],
                memberships=list(data["memberships"]),
                note=data.get("note", ""),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已安排%(n)s个班次。") % {"n": len(shifts)})
            return redirect(f"{_detail_url(room)}?tab=roster&month={shifts[0].date:%Y-%m}")
    return render(
        request,
        "places/shift_form.html",
        {"form": form, "room": room},
        status=400 if form.is_bound else 200,
    )


def _detail_url(room):
    from django.urls import reverse

    return reverse("places:detail", args=[room.pk])


@login_required
@require_POST
def service_confirm(request, pk):
    _need(request, "places.view")
    shift_member = get_object_or_404(
        ShiftMember.objects.select_related("shift__room", "membership__person"), pk=pk
    )
    if not request.user.has_perm("places.confirm_service", shift_member):
        raise PermissionDenied
    try:
        if request.POST.get("served") == "0":
            services.service_unconfirm(
                actor=request.user, shift_member=shift_member, note=request.POST.get("note", "")
            )
            messages.success(request, _("已撤销值班确认。"))
        else:
            services.service_confirm(actor=request.user, shift_member=shift_member)
            messages.success(request, _("已确认值班履职。"))
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    if request.POST.get("next") == "mine":
        return redirect("places:mine")
    return redirect(
        f"{_detail_url(shift_member.shift.room)}?tab=roster&month={shift_member.shift.date:%Y-%m}"
    )


@login_required
def my_shifts(request):
    _need(request, "places.my_shifts")
    upcoming = list(queries.my_shifts(request.user, upcoming=True)[:50])
    past = list(queries.my_shifts(request.user, upcoming=False)[:30])
    return render(
        request,
        "places/mine.html",
        {"upcoming": upcoming, "past": past, "today": timezone.localdate()},
    )


# Visits and issues --------------------------------------------------------------------------


@login_required
def visit_create(request, pk):
    room = _room_or_404(request, pk)
    shift = None
    if request.GET.get("shift"):
        try:
            shift_id = int(request.GET["shift"])
        except ValueError:
            raise Http404 from None
        shift = get_object_or_404(room.shifts.prefetch_related("shift_members"), pk=shift_id)
        _need(request, "places.record_visit", shift)
    else:
        _need(request, "places.manage", room)
    form = forms.VisitForm(request.POST or None, committee=request.committee, shift=shift)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issue = {
            "text": data.get("issue_text", ""),
            "resident_name": data.get("resident_name", ""),
            "contact": data.get("contact", ""),
        }
        try:
            visit = services.visit_record(
                actor=request.user,
                room=room,
                shift=shift,
                date=data.get("date"),
                members=list(data["members"]),
                residents_count=data["residents_count"],
                summary=data.get("summary", ""),
                issues=[issue] if issue["text"].strip() else [],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
            if "issues" in getattr(exc, "message_dict", {}):
                form.add_error("issue_text", exc.message_dict["issues"])
        else:
            messages.success(request, _("接待记录已保存。"))
            return redirect("places:visit_detail", pk=visit.pk)
    return render(
        request,
        "places/visit_form.html",
        {"form": form, "room": room, "shift": shift},
        status=400 if form.is_bound else 200,
    )


def _visit_or_404(request, pk):
    _need(request, "places.view")
    return get_object_or_404(
        Visit.objects.select_related("room", "shift").prefetch_related("members__person"), pk=pk
    )


@login_required
def visit_detail(request, pk):
    visit = _visit_or_404(request, pk)
    user = request.user
    can_add = user.has_perm("places.manage", visit.room) or (
        visit.shift_id is not None and user.has_perm("places.record_visit", visit.shift)
    )
    visible = queries.issues_visible(user).filter(visit=visit)
    form = forms.IssueForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.issue_add(actor=user, visit=visit, data=form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("群众反映已登记。"))
                return redirect("places:visit_detail", pk=visit.pk)
    return render(
        request,
        "places/visit_detail.html",
        {
            "visit": visit,
            "issues": visible,
            "form": form,
            "show_personal": user.has_perm("places.view_personal"),
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
def issue_list(request):
    user = request.user
    if not (
        user.has_perm("places.view_internal")
        or user.has_perm("places.unit_issues")
        or user.has_perm("places.my_shifts")
    ):
        raise PermissionDenied
    state = request.GET.get("state", "")
    qs = queries.issues_visible(user).order_by("-recorded_on", "-pk")
    if state in IssueState.values:
        qs = qs.filter(state=state)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "places/issues.html",
        {"page": page, "state": state, "states": IssueState.choices},
    )


def _issue_or_404(request, pk):
    issue = get_object_or_404(
        queries.issues_visible(request.user).select_related(
            "visit__shift", "opinion_report", "proposal", "message"
        ),
        pk=pk,
    )
    if not request.user.has_perm("places.view_issue", issue):
        raise Http404
    return issue


def _target_allowed(user, action):
    """Offer a route only to those the target's own service accepts: an opinion draft to
    members and opinion staff, a proposal draft to members (it becomes their own)."""
    role = getattr(user, "active_role", None)
    if action == "to_opinion":
        return user.has_perm("opinions.create")
    if action == "to_proposal":
        return role is not None and role.role == Role.MEMBER
    return True


def _issue_context(request, issue, bound=None):
    user = request.user
    bound = bound or {}
    actions = [
        {
            "t": t,
            "form": bound.get(t.action)
            or forms.route_form(t.action, committee=request.committee, issue=issue),
        }
        for t in ISSUE_WORKFLOW.available(issue, user)
        if _target_allowed(user, t.action)
    ]
    labels = {t.action: str(t.label) for t in ISSUE_WORKFLOW.transitions}
    followup = None
    if issue.recommendation_id:
        followup = followup_for(issue, user)
        followup["can_add_recommendation"] = False
        followup["can_add_instruction"] = False
    return {
        "issue": issue,
        "actions": actions,
        "followup": followup,
        "show_personal": user.has_perm("places.view_personal"),
        "history": [
            {
                "when": h.created,
                "actor": h.actor,
                "action": labels.get(h.action, h.action),
                "note": h.note,
            }
            for h in issue.history.select_related("actor").order_by("created", "pk")
        ],
    }


@login_required
def issue_detail(request, pk):
    issue = _issue_or_404(request, pk)
    return render(request, "places/issue_detail.html", _issue_context(request, issue))


@login_required
@require_POST
def issue_route(request, pk, action):
    issue = _issue_or_404(request, pk)
    if action not in forms.ROUTE_FORMS:
        raise Http404
    form = forms.route_form(action, request.POST, committee=request.committee)
    status = 400
    if form.is_valid():
        try:
            services.issue_route(
                actor=request.user, issue=issue, action=action, **form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
            status = 403
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            status = 409
        else:
            messages.success(
                request,
                _("已处理:%(a)s")
                % {"a": {t.action: t.label for t in ISSUE_WORKFLOW.transitions}[action]},
            )
            return redirect("places:issue_detail", pk=issue.pk)
    issue = _issue_or_404(request, pk)
    return render(
        request,
        "places/issue_detail.html",
        _issue_context(request, issue, {action: form}),
        status=status,
    )


@login_required
@require_POST
def message_convert(request, pk):
    _need(request, "places.convert_message")
    item = get_object_or_404(ModerationItem.objects.all(), pk=pk)
    form = forms.ConvertForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for es in form.errors.values() for e in es))
    else:
        try:
            issue = services.message_to_issue(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(error_messages(exc)))
        else:
            messages.success(request, _("留言已登记为群众反映。"))
            return redirect("places:issue_detail", pk=issue.pk)
    room = item.target if item.target_id else None
    if not isinstance(room, ReceptionRoom):
        return redirect("places:list")
    return redirect(f"{_detail_url(room)}?tab=messages")


# Figures ------------------------------------------------------------------------------------


@login_required
def stats_page(request):
    _need(request, "places.view_stats")
    form = PeriodForm(request.GET or None)
    period = resolve_period(year=timezone.localdate().year)
    if form.is_valid():
        data = form.cleaned_data
        if data.get("session") or data.get("term") or data.get("year"):
            period = resolve_period(
                session_id=data.get("session"), year=data.get("year"), term_id=data.get("term")
            )
    figures = place_figures(committee=request.committee, **period.arguments)
    rows = [(FIGURE_LABELS[k], figures[k]) for k in FIGURE_LABELS]
    return render(
        request,
        "places/stats.html",
        {"form": form, "rows": rows, "figures": figures, "period": period},
    )


urlpatterns = [
    path("", room_list, name="list"),
    path("new/", room_create, name="create"),
    path("mine/", my_shifts, name="mine"),
    path("issues/", issue_list, name="issues"),
    path("stats/", stats_page, name="stats"),
    path("<int:pk>/", room_detail, name="detail"),
    path("<int:pk>/edit/", room_edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", room_action, name="act"),
    path("<int:pk>/shifts/new/", shift_create, name="shift_create"),
    path("<int:pk>/visits/new/", visit_create, name="visit_create"),
    path("duty/<int:pk>/confirm/", service_confirm, name="confirm"),
    path("visits/<int:pk>/", visit_detail, name="visit_detail"),
    path("issues/<int:pk>/", issue_detail, name="issue_detail"),
    path("issues/<int:pk>/route/<slug:action>/", issue_route, name="issue_route"),
    path("messages/<int:pk>/to-issue/", message_convert, name="message_convert"),
]
