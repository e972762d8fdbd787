"""学习培训 pages: the yearly study plan, study sessions and trainings with their attendance,
我的学习 and the figures. Views are access → service → response; a record the user may not
see answers 404 like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.periods import PeriodForm, chosen_period
from zhengxie.core.workflow import InvalidTransition
from zhengxie.organisation.models import Session, Term
from zhengxie.organisation.queries import members_by_audience
from zhengxie.study import forms, queries, services
from zhengxie.study.models import (
    AttendanceState,
    How,
    SessionState,
    StudyPlan,
    StudyPlanItem,
    StudySession,
)
from zhengxie.study.stats import FIGURE_LABELS, study_figures
from zhengxie.study.workflow import PLAN_WORKFLOW, SESSION_WORKFLOW

HISTORY_LABELS = {
    "create": gettext_lazy("登记"),
    **{t.action: t.label for t in (*PLAN_WORKFLOW.transitions, *SESSION_WORKFLOW.transitions)},
}
ITEM_FIELDS = (
    "topic",
    "kind",
    "planned_on",
    "planned_month",
    "audience",
    "special_committee",
    "group",
    "sector",
    "note",
)


def need(request, permission, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def fail(request, exc):
    for message in error_messages(exc):
        messages.error(request, message)


def history_rows(obj):
    return [
        {
            "created": h.created,
            "actor": h.actor,
            "label": HISTORY_LABELS.get(h.action, h.action),
            "note": h.note,
        }
        for h in obj.history.select_related("actor").order_by("created", "pk")
    ]


# Plans ----------------------------------------------------------------------------------------


def _plan_or_404(request, pk):
    need(request, "study.view")
    plan = get_object_or_404(StudyPlan.objects.all(), pk=pk)
    if not request.user.has_perm("study.view_plan", plan):
        raise Http404
    return plan


@login_required
def plan_list(request):
    need(request, "study.view")
    return render(
        request,
        "study/plan_list.html",
        {
            "plans": queries.plan_list(request.user),
            "can_manage": request.user.has_perm("study.manage"),
        },
    )


@login_required
def plan_create(request):
    need(request, "study.manage")
    form = forms.PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=request.user, committee=request.committee, data=form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("学习计划已创建,请添加计划事项。"))
            return redirect("study:plan_detail", pk=plan.pk)
    return render(
        request, "study/plan_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
def plan_edit(request, pk):
    plan = _plan_or_404(request, pk)
    need(request, "study.manage", plan)
    initial = {"year": plan.year, "title": plan.title, "note": plan.note}
    form = forms.PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(actor=request.user, plan=plan, data=form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("学习计划已保存。"))
            return redirect("study:plan_detail", pk=plan.pk)
    return render(
        request,
        "study/plan_form.html",
        {"form": form, "plan": plan},
        status=400 if form.is_bound else 200,
    )


def _plan_context(request, plan, item_form=None):
    user = request.user
    can_manage = user.has_perm("study.manage", plan)
    return {
        "plan": plan,
        "items": queries.plan_items(plan),
        "can_manage": can_manage,
        "actions": PLAN_WORKFLOW.available(plan, user),
        "item_form": item_form
        or (forms.PlanItemForm(committee=request.committee) if can_manage else None),
        "history": history_rows(plan) if user.has_perm("study.view_all") else [],
    }


@login_required
def plan_detail(request, pk):
    plan = _plan_or_404(request, pk)
    return render(request, "study/plan_detail.html", _plan_context(request, plan))


@login_required
@require_POST
def plan_act(request, pk, action):
    plan = _plan_or_404(request, pk)
    if action not in PLAN_WORKFLOW.actions:
        raise Http404
    need(request, "study.manage", plan)
    try:
        services.plan_publish(actor=request.user, plan=plan)
    except (ValidationError, InvalidTransition) as exc:
        fail(request, exc)
    else:
        messages.success(request, _("学习计划已发布,已通知学习对象。"))
    return redirect("study:plan_detail", pk=plan.pk)


def _item_data(form):
    data = {k: form.cleaned_data.get(k) for k in ITEM_FIELDS}
    data["memberships"] = list(form.cleaned_data.get("memberships") or [])
    return data


@login_required
@require_POST
def item_add(request, pk):
    plan = _plan_or_404(request, pk)
    need(request, "study.manage", plan)
    form = forms.PlanItemForm(request.POST, committee=request.committee)
    if form.is_valid():
        try:
            services.item_add(actor=request.user, plan=plan, data=_item_data(form))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("计划事项已添加。"))
            return redirect("study:plan_detail", pk=plan.pk)
    return render(request, "study/plan_detail.html", _plan_context(request, plan, form), status=400)


def _item_or_404(request, pk):
    need(request, "study.view")
    item = get_object_or_404(StudyPlanItem.objects.select_related("plan"), pk=pk)
    need(request, "study.manage", item)
    return item


@login_required
def item_edit(request, pk):
    item = _item_or_404(request, pk)
    initial = {k: getattr(item, k) for k in ITEM_FIELDS}
    initial["memberships"] = list(item.memberships.all())
    form = forms.PlanItemForm(request.POST or None, initial=initial, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(actor=request.user, item=item, data=_item_data(form))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("计划事项已保存。"))
            return redirect("study:plan_detail", pk=item.plan_id)
    return render(
        request,
        "study/item_form.html",
        {"form": form, "item": item},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def item_delete(request, pk):
    item = _item_or_404(request, pk)
    try:
        services.item_delete(actor=request.user, item=item)
    except ValidationError as exc:
        fail(request, exc)
    else:
        messages.success(request, _("计划事项已删除。"))
    return redirect("study:plan_detail", pk=item.plan_id)


# Sessions -------------------------------------------------------------------------------------


def _session_or_404(request, pk):
    need(request, "study.view")
    session = get_object_or_404(
        StudySession.objects.select_related("plan_item__plan", "created_by"), pk=pk
    )
    if not request.user.has_perm("study.view_session", session):
        raise Http404
    return session


@login_required
def session_list(request):
    need(request, "study.view")
    form = forms.SessionFilterForm(request.GET or None)
    page = Paginator(queries.session_list(request.user, **form.filters()), 30).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "form": form,
        "can_manage": request.user.has_perm("study.manage"),
        "sees_all": request.user.has_perm("study.view_all"),
    }
    template = "study/session_list.html#results" if request.htmx else "study/session_list.html"
    return render(request, template, context)


def _session_data(form):
    return {k: form.cleaned_data.get(k) for k in services.SESSION_FIELDS}


@login_required
def session_create(request):
    need(request, "study.manage")
    plan_item = None
    if request.GET.get("plan_item"):
        try:
            item_id = int(request.GET["plan_item"])
        except ValueError:
            raise Http404 from None
        plan_item = get_object_or_404(StudyPlanItem.objects.select_related("plan"), pk=item_id)
    initial = {"date": timezone.localdate()}
    if plan_item is not None:
        kind = plan_item.kind if plan_item.kind in ("study", "training") else "study"
        initial.update(title=plan_item.topic, kind=kind, date=plan_item.planned_on)
    form = forms.SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(
                actor=request.user,
                committee=request.committee,
                data=_session_data(form),
                plan_item=plan_item,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("活动已登记,请通知参加的委员。"))
            return redirect("study:session_detail", pk=session.pk)
    return render(
        request,
        "study/session_form.html",
        {"form": form, "plan_item": plan_item},
        status=400 if form.is_bound else 200,
    )


@login_required
def session_edit(request, pk):
    session = _session_or_404(request, pk)
    need(request, "study.manage", session)
    initial = {k: getattr(session, k) for k in services.SESSION_FIELDS}
    form = forms.SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(actor=request.user, session=session, data=_session_data(form))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("活动信息已保存。"))
            return redirect("study:session_detail", pk=session.pk)
    return render(
        request,
        "study/session_form.html",
        {"form": form, "session": session},
        status=400 if form.is_bound else 200,
    )


def _invite_initial(session):
    item = session.plan_item
    if item is None:
        return {"audience": "all"}
    return {
        "audience": item.audience,
        "special_committee": item.special_committee_id,
        "group": item.group_id,
        "sector": item.sector_id,
        "memberships": list(item.memberships.values_list("pk", flat=True)),
    }


def _session_context(request, session, invite_form=None):
    user = request.user
    can_manage = user.has_perm("study.manage", session)
    sees_all = user.has_perm("study.view_all")
    is_open = session.state in (SessionState.PLANNED, SessionState.HELD)
    rows = list(queries.attendance_rows(session)) if sees_all else []
    own = queries.own_attendance(session, user)
    return {
        "session": session,
        "can_manage": can_manage,
        "sees_all": sees_all,
        "is_open": is_open,
        "actions": [t for t in SESSION_WORKFLOW.available(session, user) if t.action != "cancel"],
        "can_cancel": bool(
            [t for t in SESSION_WORKFLOW.available(session, user) if t.action == "cancel"]
        ),
        "cancel_form": forms.NoteForm(),
        "rows": rows,
        "counts": queries.attendance_counts(rows) if sees_all else None,
        "states": forms.ATTENDANCE_CHOICES,
        "can_record": can_manage and session.state != SessionState.CANCELLED,
        "invite_form": invite_form
        or (
            forms.InviteForm(committee=request.committee, initial=_invite_initial(session))
            if can_manage and is_open
            else None
        ),
        "own": own,
        "can_sign_up": own is None and user.has_perm("study.sign_up", session),
        "can_withdraw": own is not None
        and own.how == How.SIGNED_UP
        and own.state == AttendanceState.INVITED
        and session.state == SessionState.PLANNED,
        "distributions": queries.session_distributions(session) if sees_all else [],
        "history": history_rows(session) if sees_all else [],
    }


@login_required
def session_detail(request, pk):
    session = _session_or_404(request, pk)
    return render(request, "study/session_detail.html", _session_context(request, session))


@login_required
@require_POST
def session_act(request, pk, action):
    session = _session_or_404(request, pk)
    if action not in SESSION_WORKFLOW.actions:
        raise Http404
    need(request, "study.manage", session)
    try:
        session = services.session_act(
            actor=request.user, session=session, action=action, note=request.POST.get("note", "")
        )
    except (ValidationError, InvalidTransition) as exc:
        fail(request, exc)
    else:
        messages.success(request, _("活动状态已改为“%(s)s”。") % {"s": session.get_state_display()})
    return redirect("study:session_detail", pk=session.pk)


@login_required
@require_POST
def session_invite(request, pk):
    session = _session_or_404(request, pk)
    need(request, "study.manage", session)
    form = forms.InviteForm(request.POST, committee=request.committee)
    if form.is_valid():
        data = form.cleaned_data
        try:
            candidates = members_by_audience(
                committee=request.committee,
                by=data["audience"],
                special_committee=data["special_committee"],
                group=data["group"],
                sector=data["sector"],
                memberships=list(data["memberships"]),
            )
            added = services.session_invite(
                actor=request.user, session=session, memberships=list(candidates)
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, _("已通知 %(n)s 位委员(已在名单中的不重复通知)。") % {"n": added}
            )
            return redirect("study:session_detail", pk=session.pk)
    return render(
        request,
        "study/session_detail.html",
        _session_context(request, session, invite_form=form),
        status=400,
    )


@login_required
@require_POST
def session_attendance(request, pk):
    session = _session_or_404(request, pk)
    need(request, "study.manage", session)
    rows = list(queries.attendance_rows(session))
    if request.POST.get("all") == "attended":  # 待参加的全部记为出席
        entries = {r.pk: AttendanceState.ATTENDED for r in rows if r.state == "invited"}
    else:
        entries = forms.attendance_entries(request.POST, rows)
    try:
        changed = services.attendance_record(actor=request.user, session=session, entries=entries)
    except ValidationError as exc:
        fail(request, exc)
    else:
        messages.success(request, _("出席情况已保存(%(n)s 人有变化)。") % {"n": len(changed)})
    return redirect("study:session_detail", pk=session.pk)


@login_required
@require_POST
def session_sign_up(request, pk):
    session = _session_or_404(request, pk)
    try:
        services.session_sign_up(actor=request.user, session=session)
    except ValidationError as exc:
        fail(request, exc)
    else:
        messages.success(request, _("报名成功。"))
    return redirect("study:session_detail", pk=session.pk)


@login_required
@require_POST
def session_withdraw(request, pk):
    session = _session_or_404(request, pk)
    try:
        services.session_withdraw(actor=request.user, session=session)
    except ValidationError as exc:
        fail(request, exc)
        return redirect("study:session_detail", pk=session.pk)
    messages.success(request, _("已取消报名。"))
    return redirect("study:mine")


# 我的学习 -------------------------------------------------------------------------------------


@login_required
def mine(request):
    need(request, "study.mine")
    user = request.user
    attendances = list(queries.my_attendances(user)[:100])
    today = timezone.localdate()
    year_rows = [
        a
        for a in attendances
        if a.session.date.year == today.year and a.state == AttendanceState.ATTENDED
    ]
    return render(
        request,
        "study/mine.html",
        {
            "upcoming": [a for a in attendances if a.session.state == SessionState.PLANNED],
            "past": [a for a in attendances if a.session.state != SessionState.PLANNED],
            "open_trainings": queries.open_trainings(user),
            "groups": queries.my_groups(user),
            "reading": list(queries.my_reading_attendances(user)[:50]),
            "attended_this_year": len(year_rows),
            "year": today.year,
        },
    )


# Figures --------------------------------------------------------------------------------------


@login_required
@require_GET
def stats(request):
    need(request, "study.view_stats")
    form = PeriodForm(request.GET)
    period, errors = chosen_period(form)
    context = {
        "sessions": Session.objects.select_related("term").order_by("-opens_on"),
        "terms": Term.objects.order_by("-number"),
        "errors": errors,
    }
    if period is not None:
        figures = study_figures(committee=request.committee, **period.arguments)
        context.update(
            period=period,
            figures=figures,
            rows=[
                {"key": k, "label": label, "value": figures[k]}
                for k, label in FIGURE_LABELS.items()
            ],
        )
    return render(request, "study/stats.html", context, status=400 if errors else 200)


urlpatterns = [
    path("plans/", plan_list, name="plan_list"),
    path("plans/new/", plan_create, name="plan_create"),
    path("plans/<int:pk>/", plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plan_edit, name="plan_edit"),
    path("plans/<int:pk>/act/<slug:action>/", plan_act, name="plan_act"),
    path("plans/<int:pk>/items/", item_add, name="item_add"),
    path("plan-items/<int:pk>/edit/", item_edit, name="item_edit"),
    path("plan-items/<int:pk>/delete/", item_delete, name="item_delete"),
    path("", session_list, name="session_list"),
    path("sessions/new/", session_create, name="session_create"),
    path("sessions/<int:pk>/", session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", session_edit, name="session_edit"),
    path("sessions/<int:pk>/act/<slug:action>/", session_act, name="session_act"),
    path("sessions/<int:pk>/invite/", session_invite, name="session_invite"),
    path("sessions/<int:pk>/attendance/", session_attendance, name="session_attendance"),
    path("sessions/<int:pk>/sign-up/", session_sign_up, name="session_sign_up"),
    path("sessions/<int:pk>/withdraw/", session_withdraw, name="session_withdraw"),
    path("mine/", mine, name="mine"),
    path("stats/", stats, name="stats"),
]
