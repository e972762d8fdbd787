"""Meeting pages: list, my meetings, create/edit, detail (agenda, invitations, actions from the
workflow tables, minutes, decisions), attendance (staff), the attendance sheet (.xlsx), the QR
screen with its live count, and the member's scan-and-confirm sign-in.

Views are access → service → response; a meeting the user may not see answers 404.
"""

import time

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from zhengxie.core.attachments import attachments_for
from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.periods import MAX_YEAR, MIN_YEAR
from zhengxie.core.scoping import scopes_disabled
from zhengxie.core.workflow import InvalidTransition
from zhengxie.meetings import exports, forms, queries, services
from zhengxie.meetings.models import (
    OPEN_MEETING_STATES,
    AgendaItem,
    AttendanceState,
    Invitation,
    MeetingCategory,
    MeetingState,
)
from zhengxie.meetings.workflow import ATTENDANCE_WORKFLOW, MEETING_WORKFLOW
from zhengxie.organisation.queries import members_by_audience

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SCAN_GRANT = "meetings.scan.{pk}"


def _check(request, permission, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _meeting_or_404(request, pk):
    return get_object_or_404(
        queries.visible_meetings(request.user).select_related(
            "session", "special_committee", "created_by"
        ),
        pk=pk,
    )


def _invitation_or_404(request, pk):
    invitation = get_object_or_404(
        Invitation.objects.select_related("meeting", "membership__person"), pk=pk
    )
    if not queries.visible_meetings(request.user).filter(pk=invitation.meeting_id).exists():
        raise Http404
    return invitation


# List ---------------------------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request):
    _check(request, "meetings.list")
    filters = {}
    year = request.GET.get("year", "")
    if year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR:
        filters["year"] = int(year)
    if request.GET.get("category") in MeetingCategory.values:
        filters["category"] = request.GET["category"]
    if request.GET.get("state") in MeetingState.values:
        filters["state"] = request.GET["state"]
    q = request.GET.get("q", "").strip().replace("\x00", "")[:64]
    if q:
        filters["q"] = q
    page = Paginator(queries.meeting_list(request.user, **filters), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "meetings/list.html",
        {
            "page": page,
            "filters": filters,
            "categories": MeetingCategory.choices,
            "states": MeetingState.choices,
            "can_manage": request.user.has_perm("meetings.manage"),
        },
    )


@login_required
@require_GET
def my_meetings(request):
    _check(request, "meetings.view_own")
    invitations = list(queries.my_invitations(request.user)[:100])
    return render(
        request,
        "meetings/mine.html",
        {"invitations": invitations, "leave_form": forms.LeaveForm()},
    )


# Create / edit ------------------------------------------------------------------------------


def _meeting_data(form):
    return dict(form.cleaned_data)


@login_required
def meeting_create(request):
    _check(request, "meetings.manage")
    form = forms.MeetingForm(request.POST or None, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                actor=request.user, committee=request.committee, data=_meeting_data(form)
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("会议已创建,请安排议程并邀请参会委员。"))
            return redirect("meetings:detail", pk=meeting.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "meetings/form.html", {"form": form, "meeting": None}, status=status)


@login_required
def meeting_edit(request, pk):
    meeting = _meeting_or_404(request, pk)
    _check(request, "meetings.manage", meeting)
    initial = {name: getattr(meeting, name) for name in services.MEETING_FIELDS}
    form = forms.MeetingForm(request.POST or None, initial=initial, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, data=_meeting_data(form))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("会议信息已保存。"))
            return redirect("meetings:detail", pk=meeting.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "meetings/form.html", {"form": form, "meeting": meeting}, status=status)


# Detail -------------------------------------------------------------------------------------


def _detail_context(request, meeting, **forms_):
    user = request.user
    manage = user.has_perm("meetings.manage", meeting)
    own = services.own_invitation(meeting=meeting, user=user)
    agenda = list(meeting.agenda.all())
    for item in agenda:
        item.files = attachments_for(item)
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "counts": queries.attendance_counts(meeting),
        "can_manage": manage,
        "can_view_attendance": user.has_perm("meetings.view_attendance", meeting),
        "actions": [
            t
            for t in MEETING_WORKFLOW.available(meeting, user)
            if t.action != "cancel" and not t.automatic
        ],
        "can_cancel": any(t.action == "cancel" for t in MEETING_WORKFLOW.available(meeting, user)),
        "own": own,
        "own_actions": [t for t in ATTENDANCE_WORKFLOW.available(own, user) if not t.automatic]
        if own
        else [],
        "decisions": meeting.decisions.select_related(
            "membership__person", "proposal", "position", "status_change"
        ),
        "history": _labelled(meeting.history.select_related("actor").order_by("created", "pk")),
        "is_open": meeting.state in OPEN_MEETING_STATES,
    }
    if manage:
        committee = request.committee
        context.update(
            invite_form=forms_.get("invite_form") or forms.InviteForm(committee=committee),
            agenda_form=forms_.get("agenda_form") or forms.AgendaItemForm(),
            minutes_form=forms_.get("minutes_form")
            or forms.MinutesForm(initial={"minutes": meeting.minutes}),
            decision_form=forms_.get("decision_form") or forms.DecisionForm(committee=committee),
            cancel_form=forms_.get("cancel_form") or forms.NoteForm(),
        )
    context["leave_form"] = forms_.get("leave_form") or forms.LeaveForm()
    return context


HISTORY_LABELS = {
    **{t.action: t.label for t in MEETING_WORKFLOW.transitions if t.label},
    "auto_close": gettext_lazy("会议结束(自动)"),
}


def _labelled(history):
    rows = list(history)
    for row in rows:
        row.label = HISTORY_LABELS.get(row.action, row.action)
    return rows


@login_required
@require_GET
def meeting_detail(request, pk):
    meeting = _meeting_or_404(request, pk)
    _check(request, "meetings.view", meeting)
    return render(request, "meetings/detail.html", _detail_context(request, meeting))


def _detail_with_errors(request, meeting, **forms_):
    return render(
        request, "meetings/detail.html", _detail_context(request, meeting, **forms_), status=400
    )


@login_required
@require_POST
def meeting_act(request, pk, action):
    meeting = _meeting_or_404(request, pk)
    if action not in MEETING_WORKFLOW.actions or action == "auto_close":
        raise Http404
    calls = {
        "notify": services.meeting_notify,
        "open_sign_in": services.meeting_open_sign_in,
        "close": services.meeting_close,
    }
    try:
        if action == "cancel":
            services.meeting_cancel(
                actor=request.user, meeting=meeting, note=request.POST.get("note", "")
            )
        else:
            calls[action](actor=request.user, meeting=meeting)
    except (ValidationError, InvalidTransition) as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("操作成功。"))
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_invite(request, pk):
    meeting = _meeting_or_404(request, pk)
    _check(request, "meetings.manage", meeting)
    form = forms.InviteForm(request.POST, committee=request.committee)
    if form.is_valid():
        data = form.cleaned_data
        try:
            candidates = members_by_audience(
                committee=request.committee,
                by=data["by"],
                special_committee=data["special_committee"],
                group=data["group"],
                sector=data["sector"],
                memberships=list(data["memberships"]),
            )
            added = services.meeting_invite(
                actor=request.user, meeting=meeting, memberships=list(candidates)
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request, _("已邀请 %(n)s 位委员(已在名单中的不重复邀请)。") % {"n": added}
            )
            return redirect("meetings:detail", pk=meeting.pk)
    return _detail_with_errors(request, meeting, invite_form=form)


@login_required
@require_POST
def agenda_add(request, pk):
    meeting = _meeting_or_404(request, pk)
    _check(request, "meetings.manage", meeting)
    form = forms.AgendaItemForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.agenda_item_add(
                actor=request.user,
                meeting=meeting,
                title=form.cleaned_data["title"],
                presenter=form.cleaned_data["presenter"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            return redirect("meetings:detail", pk=meeting.pk)
    return _detail_with_errors(request, meeting, agenda_form=form)


@login_required
@require_POST
def agenda_remove(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    meeting = _meeting_or_404(request, item.meeting_id)
    try:
        services.agenda_item_remove(actor=request.user, item=item)
    except ValidationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
@require_POST
def minutes_save(request, pk):
    meeting = _meeting_or_404(request, pk)
    _check(request, "meetings.manage", meeting)
    form = forms.MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_minutes_save(
                actor=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("会议纪要已保存。"))
            return redirect("meetings:detail", pk=meeting.pk)
    return _detail_with_errors(request, meeting, minutes_form=form)


@login_required
@require_POST
def decision_add(request, pk):
    meeting = _meeting_or_404(request, pk)
    _check(request, "meetings.decide", meeting)
    form = forms.DecisionForm(request.POST, committee=request.committee)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decision_record(actor=request.user, meeting=meeting, **data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("会议决定已记录。"))
            return redirect("meetings:detail", pk=meeting.pk)
    return _detail_with_errors(request, meeting, decision_form=form)


# Attendance ---------------------------------------------------------------------------------


@login_required
@require_GET
def attendance(request, pk):
    meeting = _meeting_or_404(request, pk)
    _check(request, "meetings.view_attendance", meeting)
    rows = list(queries.attendance_rows(meeting))
    user = request.user
    can_record = user.has_perm("meetings.record_attendance", meeting)
    for row in rows:
        row.actions = (
            [
                t
                for t in ATTENDANCE_WORKFLOW.available(row, user)
                if t.action != "request_leave" and not t.automatic
            ]
            if can_record and meeting.state != MeetingState.CANCELLED
            else []
        )
    state = request.GET.get("state")
    if state in AttendanceState.values:
        rows = [r for r in rows if r.state == state]
    return render(
        request,
        "meetings/attendance.html",
        {
            "meeting": meeting,
            "rows": rows,
            "counts": queries.attendance_counts(meeting),
            "states": AttendanceState.choices,
            "state": state,
        },
    )


@login_required
@require_POST
def invitation_act(request, pk, action):
    invitation = _invitation_or_404(request, pk)
    if action not in ATTENDANCE_WORKFLOW.actions:
        raise Http404
    reason = request.POST.get("reason", "")
    try:
        services.attendance_act(
            actor=request.user, invitation=invitation, action=action, reason=reason
        )
    except (ValidationError, InvalidTransition) as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        done = {
            "request_leave": _("请假申请已提交,请等待审批。"),
        }
        messages.success(request, done.get(action, _("已登记。")))
    if action == "request_leave" or not request.user.has_perm("meetings.view_attendance"):
        return redirect("meetings:detail", pk=invitation.meeting_id)
    return redirect("meetings:attendance", pk=invitation.meeting_id)


@login_required
@require_GET
def attendance_sheet(request, pk):
    meeting = _meeting_or_404(request, pk)
    _check(request, "meetings.view_attendance", meeting)
    response = HttpResponse(exports.attendance_sheet(meeting), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''attendance-{meeting.pk}.xlsx"
    return response


# QR sign-in ---------------------------------------------------------------------------------


def _qr_context(request, meeting):
    token = services.sign_in_token(meeting)
    url = request.build_absolute_uri(
        reverse("meetings:scan", kwargs={"pk": meeting.pk, "token": token})
    )
    return {
        "meeting": meeting,
        "qr": segno.make(url, error="m").svg_inline(scale=8, border=2, omitsize=True),
        "scan_url": url,
        "counts": queries.attendance_counts(meeting),
        "rotate": services.QR_ROTATE_SECONDS,
    }


@login_required
@require_GET
def sign_in_screen(request, pk):
    """The page staff put on the screen in the hall: a QR code that changes every few seconds
    and the live count of who is in."""
    meeting = _meeting_or_404(request, pk)
    _check(request, "meetings.record_attendance", meeting)
    context = _qr_context(request, meeting)
    if request.htmx:
        return render(request, "meetings/screen.html#code", context)
    return render(request, "meetings/screen.html", context)


def _scan_error(request, message, status=400):
    return render(request, "meetings/scan.html", {"error": message}, status=status)


@require_GET
def scan(request, pk, token):
    """What a phone opens from the QR code. A fresh code grants a few minutes to confirm (and
    to sign in to the platform first, if needed); an old photo of the screen is refused."""
    with scopes_disabled():
        meeting = services.Meeting.objects.filter(pk=pk).first()
        # A bad code answers 404 whether or not the meeting exists (it reveals nothing); a
        # genuine code that expired or whose meeting is not signing in answers 400.
        if meeting is None:
            return _scan_error(request, str(services.INVALID_CODE), status=404)
        try:
            services.check_sign_in_token(meeting=meeting, token=token)
        except ValidationError as exc:
            status = 400 if exc.code in ("expired", "closed") else 404
            return _scan_error(request, error_messages(exc)[0], status=status)
    request.session[SCAN_GRANT.format(pk=meeting.pk)] = time.time() + services.SCAN_GRANT_SECONDS
    confirm = reverse("meetings:sign_in", kwargs={"pk": meeting.pk})
    if not request.user.is_authenticated:
        return redirect_to_login(confirm)
    return redirect(confirm)


@login_required
def sign_in(request, pk):
    meeting = _meeting_or_404(request, pk)
    key = SCAN_GRANT.format(pk=meeting.pk)
    granted = request.session.get(key, 0) >= time.time()
    own = services.own_invitation(meeting=meeting, user=request.user)
    context = {"meeting": meeting, "own": own, "granted": granted}
    if request.method == "POST":
        if not granted:
            context["error"] = _("签到二维码已过期,请扫描会场屏幕上最新的二维码。")
            return render(request, "meetings/sign_in.html", context, status=400)
        try:
            context["own"] = services.sign_in_by_scan(actor=request.user, meeting=meeting)
        except (ValidationError, InvalidTransition) as exc:
            context["error"] = error_messages(exc)[0]
            return render(request, "meetings/sign_in.html", context, status=400)
        request.session.pop(key, None)
        context["done"] = True
    return render(request, "meetings/sign_in.html", context)


urlpatterns = [
    path("", meeting_list, name="list"),
    path("mine/", my_meetings, name="mine"),
    path("new/", meeting_create, name="create"),
    path("<int:pk>/", meeting_detail, name="detail"),
    path("<int:pk>/edit/", meeting_edit, name="edit"),
    path("<int:pk>/act/<slug:action>/", meeting_act, name="act"),
    path("<int:pk>/invite/", meeting_invite, name="invite"),
    path("<int:pk>/agenda/", agenda_add, name="agenda_add"),
    path("agenda/<int:pk>/remove/", agenda_remove, name="agenda_remove"),
    path("<int:pk>/minutes/", minutes_save, name="minutes"),
    path("<int:pk>/decisions/", decision_add, name="decision_add"),
    path("<int:pk>/attendance/", attendance, name="attendance"),
    path("<int:pk>/attendance.xlsx", attendance_sheet, name="attendance_sheet"),
    path("invitations/<int:pk>/<slug:action>/", invitation_act, name="invitation_act"),
    path("<int:pk>/screen/", sign_in_screen, name="screen"),
    path("<int:pk>/scan/<str:token>/", scan, name="scan"),
    path("<int:pk>/sign-in/", sign_in, name="sign_in"),
]
