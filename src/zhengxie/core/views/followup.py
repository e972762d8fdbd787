"""Follow-up actions posted from ``templates/core/includes/followup.html``.

The include is placed on any record's page; its forms name the record as ``target`` =
"app_label.model:pk". The record is looked up through its model's scoped manager, so a record of
another committee answers 404 exactly like a missing one.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhengxie.core import followup as service
from zhengxie.core.models import Level, Recommendation
from zhengxie.core.workflow import InvalidTransition


class InstructionForm(forms.Form):
    leader_name = forms.CharField(label=gettext_lazy("批示领导"), max_length=64, required=False)
    leader_title = forms.CharField(label=gettext_lazy("领导职务"), max_length=128, required=False)
    level = forms.ChoiceField(label=gettext_lazy("级别"), choices=Level.choices, required=False)
    given_on = forms.DateField(
        label=gettext_lazy("批示日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("日期格式不正确。")},
    )
    text = forms.CharField(label=gettext_lazy("批示内容"), widget=forms.Textarea, required=False)


class RecommendationForm(forms.Form):
    aspect = forms.CharField(label=gettext_lazy("方面"), max_length=128, required=False)
    text = forms.CharField(label=gettext_lazy("建议内容"), widget=forms.Textarea, required=False)
    addressee = forms.CharField(label=gettext_lazy("送达对象"), max_length=128, required=False)
    due_on = forms.DateField(
        label=gettext_lazy("反馈期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("日期格式不正确。")},
    )


def target_key(record):
    return f"{record._meta.label_lower}:{record.pk}"


def _target(value):
    """The committee record named by ``value`` ("app_label.model:pk"), scoped; or 404."""
    try:
        label, pk = value.split(":", 1)
        app_label, model = label.split(".", 1)
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
        pk = int(pk)
    except (ValueError, ContentType.DoesNotExist):
        raise Http404 from None
    model_class = content_type.model_class()
    if model_class is None or not any(f.name == "committee" for f in model_class._meta.fields):
        raise Http404
    return get_object_or_404(model_class._default_manager.all(), pk=pk)


def _back(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect("core:home")


def _report(request, exc):
    messages.error(request, " ".join(exc.messages))


@login_required
@require_POST
def instruction_add(request):
    record = _target(request.POST.get("target", ""))
    form = InstructionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request)
    try:
        service.instruction_add(target=record, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("已登记领导批示。"))
    return _back(request)


@login_required
@require_POST
def recommendation_add(request):
    record = _target(request.POST.get("target", ""))
    form = RecommendationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _back(request)
    try:
        service.recommendation_add(source=record, actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("已添加建议。"))
    return _back(request)


@login_required
@require_POST
def recommendation_act(request, pk):
    recommendation = get_object_or_404(Recommendation.objects.all(), pk=pk)
    error = ""
    try:
        recommendation = service.recommendation_act(
            recommendation=recommendation,
            action=request.POST.get("action", ""),
            actor=request.user,
            text=request.POST.get("text", ""),
            note=request.POST.get("note", ""),
        )
    except (ValidationError, InvalidTransition) as exc:
        error = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    if request.htmx:
        recommendation.actions = service.WORKFLOW.available(recommendation, request.user)
        return render(
            request,
            "core/includes/followup.html#recommendation",
            {"rec": recommendation, "error": error, "next": request.POST.get("next", "")},
        )
    if error:
        messages.error(request, error)
    return _back(request)
