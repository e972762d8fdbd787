"""Plenary speech pages (大会发言): the list (a member's own speeches; everything, filtered,
for staff, chairs and leaders), the write/edit form, the detail page with the actions of the
workflow table, the staff review page of a session with the order of the oral speeches, and the
compiled material (.docx). Every write is a service call; a speech the user may not see
answers 404 like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.models import Role
from zhengxie.core.rules import active_role
from zhengxie.core.workflow import InvalidTransition
from zhengxie.meetings import documents, speeches
from zhengxie.meetings.forms_speeches import SpeechFilterForm, SpeechForm, action_form
from zhengxie.meetings.models import SUBMITTED_SPEECH_STATES, Speech, SpeechState
from zhengxie.meetings.workflow import SPEECH_WORKFLOW
from zhengxie.organisation.models import Session

PAGE_SIZE = 30
ACTION_LABELS = {"reorder": gettext_lazy("编排顺序")}


def _speech_or_404(request, pk):
    return get_object_or_404(
        speeches.visible_speeches(request.user).select_related(
            "session", "category", "membership__person", "membership__sector", "created_by"
        ),
        pk=pk,
    )


def _session_or_404(pk):
    return get_object_or_404(Session.objects.select_related("committee"), pk=pk)


# List ---------------------------------------------------------------------------------------


@login_required
def speech_list(request):
    user = request.user
    if not user.has_perm("meetings.list_speeches"):
        raise PermissionDenied
    overseer = _overseeing(user)
    can_open_review = user.has_perm("meetings.review_speech") or user.has_perm(
        "meetings.compile_speeches"
    )
    form = SpeechFilterForm(request.GET or None, committee=request.committee)
    filters = form.filters()
    items = speeches.speech_list(user, mine=not overseer, **filters)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "overseer": overseer,
        "can_create": user.has_perm("meetings.create_speech"),
        "can_review": user.has_perm("meetings.review_speech"),
        "current_session": speeches.current_session(request.committee),
        "sessions": _session_summary(request.committee) if can_open_review else [],
    }
    template = "meetings/speech_list.html#results" if request.htmx else "meetings/speech_list.html"
    return render(request, template, context)


def _overseeing(user):
    """Whether the list shows every speech (staff, admins, chairs, leaders) or one's own."""
    role = active_role(user)
    return role is not None and role.role != Role.MEMBER


def _session_summary(committee):
    """Sessions with submitted speeches, latest first, with their count (links to review)."""
    rows = (
        Speech.objects.filter(committee=committee, state__in=SUBMITTED_SPEECH_STATES)
        .values("session")
        .annotate(n=Count("pk"))
    )
    counts = {r["session"]: r["n"] for r in rows}
    return [
        {"session": s, "count": counts[s.pk]}
        for s in Session.objects.filter(committee=committee, pk__in=counts).order_by("-opens_on")
    ]


# Write and edit -----------------------------------------------------------------------------


def _form_data(form):
    return dict(form.cleaned_data)


@login_required
def speech_create(request):
    if not request.user.has_perm("meetings.create_speech"):
        raise PermissionDenied
    body_entry = request.user.has_perm("meetings.review_speech")
    initial = {}
    session = speeches.current_session(request.committee)
    if session is not None:
        initial["session"] = session.pk
    form = SpeechForm(
        request.POST or None, committee=request.committee, body_entry=body_entry, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            speech = speeches.speech_create(
                actor=request.user, committee=request.committee, data=_form_data(form)
            )
            if request.POST.get("submit_now"):
                speech = speeches.speech_act(actor=request.user, speech=speech, action="submit")
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(
                request,
                _("大会发言已保存为草稿。")
                if speech.state == SpeechState.DRAFT
                else _("大会发言已提交。"),
            )
            return redirect("meetings:speech_detail", pk=speech.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "body_entry": body_entry, "no_session": session is None}
    return render(request, "meetings/speech_form.html", context, status=status)


@login_required
def speech_update(request, pk):
    speech = _speech_or_404(request, pk)
    user = request.user
    editable = speech.state == SpeechState.DRAFT or (
        user.has_perm("meetings.review_speech") and speech.state != SpeechState.WITHDRAWN
    )
    if not user.has_perm("meetings.edit_speech", speech) or not editable:
        raise PermissionDenied
    initial = {
        "session": speech.session_id,
        "category": speech.category_id,
        "title": speech.title,
        "speaker_body": speech.speaker_body,
        "body": speech.body,
    }
    form = SpeechForm(
        request.POST or None,
        committee=request.committee,
        body_entry=user.has_perm("meetings.review_speech") and speech.membership_id is None,
        session_fixed=speech.session if speech.state != SpeechState.DRAFT else None,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            speech = speeches.speech_update(actor=user, speech=speech, data=_form_data(form))
            if request.POST.get("submit_now") and speech.state == SpeechState.DRAFT:
                speech = speeches.speech_act(actor=user, speech=speech, action="submit")
        except ValidationError as exc:
            attach_errors(form, exc)
        except InvalidTransition as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("大会发言已保存。"))
            return redirect("meetings:speech_detail", pk=speech.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "meetings/speech_form.html", {"form": form, "speech": speech}, status=status
    )


# Detail and actions -------------------------------------------------------------------------


def _action_label(action):
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    return next(
        (str(t.label) for t in SPEECH_WORKFLOW.transitions if t.action == action and t.label),
        action,
    )


def _detail_context(request, speech, bound=None):
    bound = bound or {}
    user = request.user
    return {
        "speech": speech,
        "speaker": speeches.speaker_label(speech),
        "actions": [
            {"t": t, "form": bound.get(t.action) or action_form(t.action)}
            for t in SPEECH_WORKFLOW.available(speech, user)
            if not t.automatic
        ],
        "can_edit": user.has_perm("meetings.edit_speech", speech)
        and (
            speech.state == SpeechState.DRAFT
            or (user.has_perm("meetings.review_speech") and speech.state != SpeechState.WITHDRAWN)
        ),
        "can_review": user.has_perm("meetings.review_speech"),
        "timeline": [
            {
                "when": h.created,
                "actor": h.actor,
                "action": _action_label(h.action),
                "state": SPEECH_WORKFLOW.state_label(h.to_state)
                if h.from_state != h.to_state
                else "",
                "note": h.note,
            }
            for h in speech.history.select_related("actor").order_by("created", "pk")
        ],
    }


@login_required
def speech_detail(request, pk):
    speech = _speech_or_404(request, pk)
    if not request.user.has_perm("meetings.view_speech", speech):
        raise Http404
    return render(request, "meetings/speech_detail.html", _detail_context(request, speech))


def _render_failed(request, speech, bound, exc=None):
    if exc is not None:
        messages.error(request, " ".join(error_messages(exc)))
    speech = _speech_or_404(request, speech.pk)
    return render(
        request,
        "meetings/speech_detail.html",
        _detail_context(request, speech, bound),
        status=409 if isinstance(exc, InvalidTransition) else 400,
    )


@login_required
@require_POST
def speech_action(request, pk, action):
    speech = _speech_or_404(request, pk)
    if not any(t.action == action and not t.automatic for t in SPEECH_WORKFLOW.transitions):
        raise Http404
    form = action_form(action, request.POST)
    note = ""
    if form is not None:
        if not form.is_valid():
            return _render_failed(request, speech, {action: form})
        note = form.cleaned_data.get("note", "")
    seen = request.POST.get("seen", "")
    if seen not in SpeechState.values:
        seen = ""
    try:
        result = speeches.speech_act(
            actor=request.user, speech=speech, action=action, note=note, seen_state=seen
        )
    except ValidationError as exc:
        if form is not None:
            attach_errors(form, exc)
            return _render_failed(request, speech, {action: form})
        return _render_failed(request, speech, {}, exc)
    except InvalidTransition as exc:
        return _render_failed(request, speech, {}, exc)
    messages.success(request, _("操作成功:%(s)s") % {"s": result.get_state_display()})
    back = request.POST.get("next", "")
    if back == "review" and request.user.has_perm("meetings.review_speech"):
        return redirect("meetings:speech_review", session_pk=result.session_id)
    return redirect("meetings:speech_detail", pk=result.pk)


# Review, order and compile ------------------------------------------------------------------


def _review_context(request, session):
    base = Speech.objects.filter(session=session).select_related(
        "category", "membership__person", "membership__sector"
    )
    waiting = list(base.filter(state=SpeechState.SUBMITTED).order_by("submitted_at", "pk"))
    return {
        "session": session,
        "oral": list(speeches.oral_speeches(session)),
        "written": list(speeches.written_speeches(session)),
        "not_used": list(base.filter(state=SpeechState.NOT_USED).order_by("submitted_at", "pk")),
        "waiting": waiting,
        "can_compile": request.user.has_perm("meetings.compile_speeches"),
        "can_review": request.user.has_perm("meetings.review_speech"),
        "choice_actions": [
            t
            for t in SPEECH_WORKFLOW.transitions
            if t.action in speeches.CHOICE_ACTIONS and t.action != "not_use"
        ],
    }


@login_required
def speech_review(request, session_pk):
    user = request.user
    if not (user.has_perm("meetings.review_speech") or user.has_perm("meetings.compile_speeches")):
        raise PermissionDenied
    session = _session_or_404(session_pk)
    return render(request, "meetings/speech_review.html", _review_context(request, session))


@login_required
@require_POST
def speech_reorder(request, session_pk):
    if not request.user.has_perm("meetings.review_speech"):
        raise PermissionDenied
    session = _session_or_404(session_pk)
    positions = []
    for key, value in request.POST.items():
        if not key.startswith("position-"):
            continue
        try:
            positions.append((int(value), int(key.removeprefix("position-"))))
        except ValueError:
            messages.error(request, _("顺序须填写整数。"))
            return redirect("meetings:speech_review", session_pk=session.pk)
    ids = [pk for _position, pk in sorted(positions)]
    try:
        speeches.speech_reorder(actor=request.user, session=session, speech_ids=ids)
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
        context = _review_context(request, session)
        return render(request, "meetings/speech_review.html", context, status=400)
    messages.success(request, _("口头发言顺序已保存。"))
    return redirect("meetings:speech_review", session_pk=session.pk)


@login_required
def speech_compile(request, session_pk):
    if not request.user.has_perm("meetings.compile_speeches"):
        raise PermissionDenied
    session = _session_or_404(session_pk)
    content = documents.speech_material(actor=request.user, session=session)
    response = HttpResponse(content, content_type=documents.DOCX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{documents.document_title(session)}.docx"
    )
    return response


urlpatterns = [
    path("speeches/", speech_list, name="speech_list"),
    path("speeches/new/", speech_create, name="speech_create"),
    path("speeches/<int:pk>/", speech_detail, name="speech_detail"),
    path("speeches/<int:pk>/edit/", speech_update, name="speech_update"),
    path("speeches/<int:pk>/act/<slug:action>/", speech_action, name="speech_act"),
    path("speeches/sessions/<int:session_pk>/", speech_review, name="speech_review"),
    path("speeches/sessions/<int:session_pk>/order/", speech_reorder, name="speech_reorder"),
    path("speeches/sessions/<int:session_pk>/compile/", speech_compile, name="speech_compile"),
]
