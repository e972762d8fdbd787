"""Recommendation letters (民主监督建议书): create for a group, the detail page (text,
recommendations with the shared follow-up include, answer, re-check, history), the actions,
and the department's list of letters to answer (待答复监督建议书)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhengxie.core.attachments import attachments_for
from zhengxie.core.followup import followup_for
from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.workflow import InvalidTransition
from zhengxie.supervision import forms, queries, services
from zhengxie.supervision.models import LetterState, Recheck
from zhengxie.supervision.views.common import group_or_404, letter_or_404, require
from zhengxie.supervision.workflow import LETTER_WORKFLOW

ACTION_LABELS = {
    "create": gettext_lazy("起草"),
    **{t.action: t.label for t in LETTER_WORKFLOW.transitions},
}


@login_required
def letter_create(request, pk):
    group = group_or_404(request, pk)
    require(request, "supervision.manage", group)
    form = forms.LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            letter = services.letter_create(
                actor=request.user,
                group=group,
                data=data,
                recommendations=data.get("recommendations", ""),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("建议书已保存为草稿。"))
            return redirect("supervision:letter_detail", pk=letter.pk)
    return render(
        request,
        "supervision/letter_form.html",
        {"form": form, "group": group},
        status=400 if form.is_bound else 200,
    )


@login_required
def letter_edit(request, pk):
    letter = letter_or_404(request, pk)
    require(request, "supervision.manage", letter)
    if letter.state != LetterState.DRAFT:
        raise PermissionDenied
    initial = {"title": letter.title, "text": letter.text, "due_on": letter.due_on}
    form = forms.LetterForm(request.POST or None, initial=initial, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_update(actor=request.user, letter=letter, data=form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("建议书已保存。"))
            return redirect("supervision:letter_detail", pk=letter.pk)
    return render(
        request,
        "supervision/letter_form.html",
        {"form": form, "group": letter.group, "letter": letter},
        status=400 if form.is_bound else 200,
    )


def _timeline(letter):
    return [
        {
            "when": row.created,
            "actor": row.actor,
            "action": ACTION_LABELS.get(row.action, row.action),
            "state": LETTER_WORKFLOW.state_label(row.to_state),
            "note": row.note,
        }
        for row in letter.history.select_related("actor").order_by("created", "pk")
    ]


def _detail_context(request, letter, bound=None, error=None):
    user = request.user
    bound = bound or {}
    actions = {t.action for t in LETTER_WORKFLOW.available(letter, user)}
    followup = followup_for(letter, user)
    followup["can_add_recommendation"] = False  # added below, addressed to the department
    today = timezone.localdate()
    can_edit = user.has_perm("supervision.manage", letter) and letter.state == LetterState.DRAFT
    return {
        "letter": letter,
        "group": letter.group,
        "followup": followup,
        "attachments": attachments_for(letter),
        "recheck": Recheck.objects.filter(letter=letter).first(),
        "timeline": _timeline(letter),
        "error": error,
        "send_form": bound.get("send") or forms.SendForm(initial={"sent_on": today})
        if "send" in actions
        else None,
        "answer_form": bound.get("answer") or forms.AnswerForm(initial={"answered_on": today})
        if "answer" in actions
        else None,
        "recheck_form": bound.get("recheck") or forms.RecheckForm(initial={"checked_on": today})
        if "recheck" in actions
        else None,
        "recommendation_form": bound.get("recommendation") or forms.RecommendationForm()
        if can_edit
        else None,
        "can_edit": can_edit,
    }


@login_required
def letter_detail(request, pk):
    letter = letter_or_404(request, pk)
    require(request, "supervision.view_letter", letter)
    return render(request, "supervision/letter_detail.html", _detail_context(request, letter))


def _failed(request, letter, bound=None, exc=None):
    error = None
    if exc is not None:
        error = " ".join(error_messages(exc)) if isinstance(exc, ValidationError) else str(exc)
    return render(
        request,
        "supervision/letter_detail.html",
        _detail_context(request, letter, bound, error),
        status=409 if isinstance(exc, InvalidTransition) else 400,
    )


def _post(request, pk, *, key, form_class, call, done, permission="supervision.view_letter"):
    """Validate a detail-page form, call the service, redirect — or show what went wrong."""
    letter = letter_or_404(request, pk)
    require(request, permission, letter)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return _failed(request, letter, {key: form})
    try:
        call(letter, form.cleaned_data)
    except ValidationError as exc:
        attach_errors(form, exc)
        return _failed(request, letter, {key: form})
    except InvalidTransition as exc:
        return _failed(request, letter, exc=exc)
    except PermissionDenied:
        raise
    messages.success(request, done)
    return redirect("supervision:letter_detail", pk=letter.pk)


@login_required
@require_POST
def letter_send(request, pk):
    return _post(
        request,
        pk,
        key="send",
        form_class=forms.SendForm,
        call=lambda letter, data: services.letter_send(
            actor=request.user, letter=letter, sent_on=data["sent_on"]
        ),
        done=_("建议书已送达监督单位。"),
        permission="supervision.manage",
    )


@login_required
@require_POST
def letter_answer(request, pk):
    return _post(
        request,
        pk,
        key="answer",
        form_class=forms.AnswerForm,
        call=lambda letter, data: services.letter_answer(
            actor=request.user,
            letter=letter,
            text=data["text"],
            answered_on=data.get("answered_on"),
            upload=data.get("attachment"),
        ),
        done=_("答复已登记。"),
        permission="supervision.answer_letter",
    )


@login_required
@require_POST
def letter_recheck(request, pk):
    return _post(
        request,
        pk,
        key="recheck",
        form_class=forms.RecheckForm,
        call=lambda letter, data: services.letter_recheck(
            actor=request.user, letter=letter, data=data
        ),
        done=_("回头看情况已登记。"),
        permission="supervision.manage",
    )


@login_required
@require_POST
def letter_recommendation_add(request, pk):
    def call(letter, data):
        services.letter_add_recommendation(
            actor=request.user, letter=letter, text=data["text"], aspect=data.get("aspect", "")
        )

    return _post(
        request,
        pk,
        key="recommendation",
        form_class=forms.RecommendationForm,
        call=call,
        done=_("已添加建议。"),
        permission="supervision.manage",
    )


@login_required
def unit_letters(request):
    """待答复监督建议书: the letters sent to the user's department."""
    require(request, "supervision.unit_letters")
    letters = list(queries.unit_letters(request.user))
    return render(
        request,
        "supervision/unit_letters.html",
        {
            "pending": [x for x in letters if x.state == LetterState.SENT],
            "done": [x for x in letters if x.state != LetterState.SENT],
        },
    )


urlpatterns = [
    path("groups/<int:pk>/letters/new/", letter_create, name="letter_create"),
    path("letters/<int:pk>/", letter_detail, name="letter_detail"),
    path("letters/<int:pk>/edit/", letter_edit, name="letter_edit"),
    path("letters/<int:pk>/send/", letter_send, name="letter_send"),
    path("letters/<int:pk>/answer/", letter_answer, name="letter_answer"),
    path("letters/<int:pk>/recheck/", letter_recheck, name="letter_recheck"),
    path(
        "letters/<int:pk>/recommendations/",
        letter_recommendation_add,
        name="letter_recommendation_add",
    ),
    path("letters/to-answer/", unit_letters, name="unit_letters"),
]
