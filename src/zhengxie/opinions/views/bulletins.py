"""Bulletin pages (《政协社情民意》): the issues of a year, composing an issue (items single or
combined), sending it, its .docx, and departments' handling of its items (转办 → 已办理).

Views are thin: access (permission, scoped 404) → service → response."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengxie.core.config import get_setting
from zhengxie.core.forms import BootstrapFormMixin, attach_errors, error_messages
from zhengxie.core.workflow import InvalidTransition
from zhengxie.opinions import documents, services
from zhengxie.opinions.models import (
    Bulletin,
    BulletinItem,
    BulletinState,
    HandlingState,
    ItemHandling,
    OpinionReport,
    ReportState,
)
from zhengxie.organisation.models import HandlingUnit

# Forms ------------------------------------------------------------------------------------------


class BulletinForm(BootstrapFormMixin, forms.Form):
    issued_on = forms.DateField(
        label=gettext_lazy("印发日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("请填写印发日期。"),
            "invalid": gettext_lazy("请填写有效的日期。"),
        },
    )
    title = forms.CharField(
        label=gettext_lazy("刊名"),
        max_length=64,
        required=False,
        error_messages={"max_length": gettext_lazy("刊名不能超过64字。")},
    )
    send_to = forms.CharField(
        label=gettext_lazy("报送"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("如:县委、县政府领导"),
    )
    copy_to = forms.CharField(
        label=gettext_lazy("抄送"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("如:县直有关部门"),
    )


def _publishable_reports():
    """Signed-off reports of the committee not yet taken into any issue."""
    return (
        OpinionReport.objects.filter(state=ReportState.SIGNED_OFF, bulletin_items=None)
        .select_related("lead__person", "person")
        .order_by("-submitted_at", "-pk")
    )


def _report_label(report):
    who = report.submitter_label
    return f"{report.title}({who})" if who else report.title


class SingleItemForm(BootstrapFormMixin, forms.Form):
    report = forms.ModelChoiceField(
        label=gettext_lazy("已签发的信息"),
        queryset=OpinionReport.objects.none(),
        error_messages={
            "required": gettext_lazy("请选择要编入的信息。"),
            "invalid_choice": gettext_lazy("只能编入本会已签发、尚未刊发的信息。"),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["report"].queryset = _publishable_reports()
        self.fields["report"].label_from_instance = _report_label


class CombinedItemForm(BootstrapFormMixin, forms.Form):
    reports = forms.ModelMultipleChoiceField(
        label=gettext_lazy("综合的信息(选两篇以上)"),
        queryset=OpinionReport.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": gettext_lazy("请选择要综合的信息。"),
            "invalid_choice": gettext_lazy("只能编入本会已签发、尚未刊发的信息。"),
            "invalid_pk_value": gettext_lazy("只能编入本会已签发、尚未刊发的信息。"),
        },
    )
    title = forms.CharField(
        label=gettext_lazy("综合标题"),
        max_length=200,
        error_messages={
            "required": gettext_lazy("请填写综合信息的标题。"),
            "max_length": gettext_lazy("标题不能超过200字。"),
        },
    )
    text = forms.CharField(
        label=gettext_lazy("综合正文"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": gettext_lazy("请填写综合信息的正文。")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = _publishable_reports()
        self.fields["reports"].label_from_instance = _report_label
        self.fields["reports"].widget.attrs["class"] = "form-check-input"

    def clean_reports(self):
        reports = self.cleaned_data["reports"]
        if len(reports) < 2:
            raise ValidationError(_("综合信息请至少选择两篇信息。"))
        return reports


class TransferForm(BootstrapFormMixin, forms.Form):
    units = forms.ModelMultipleChoiceField(
        label=gettext_lazy("转办单位"),
        queryset=HandlingUnit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 4}),
        error_messages={
            "required": gettext_lazy("请选择转办单位。"),
            "invalid_choice": gettext_lazy("请选择本会的单位。"),
            "invalid_pk_value": gettext_lazy("请选择本会的单位。"),
        },
    )

    def __init__(self, *args, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = (
            HandlingUnit.objects.filter(is_active=True).exclude(pk__in=exclude).order_by("name")
        )


class AnswerForm(BootstrapFormMixin, forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("办理情况"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": gettext_lazy("请填写办理情况。")},
    )


# Helpers ----------------------------------------------------------------------------------------


def _require(user, permission, obj=None):
    if not user.has_perm(permission, obj):
        raise PermissionDenied


def _bulletin_or_404(request, pk):
    _require(request.user, "opinions.view_bulletins")
    return get_object_or_404(Bulletin.objects.select_related("committee"), pk=pk)


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# The issues of a year ---------------------------------------------------------------------------


def _list_context(request, form=None):
    today = timezone.localdate()
    years = set(Bulletin.objects.values_list("year", flat=True)) | {today.year}
    years = sorted(years, reverse=True)
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() and int(raw) in years else years[0]
    issues = (
        Bulletin.objects.filter(year=year).annotate(item_count=Count("items")).order_by("-number")
    )
    can_compose = request.user.has_perm("opinions.compose_bulletin")
    if form is None and can_compose:
        form = BulletinForm(
            initial={"issued_on": today, "title": get_setting(request.committee, "bulletin_title")}
        )
    return {
        "year": year,
        "years": years,
        "issues": issues,
        "form": form,
        "can_compose": can_compose,
    }


@login_required
@require_GET
def bulletin_list(request):
    _require(request.user, "opinions.view_bulletins")
    context = _list_context(request)
    template = (
        "opinions/bulletin_list.html#results" if request.htmx else "opinions/bulletin_list.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def bulletin_create(request):
    _require(request.user, "opinions.compose_bulletin")
    form = BulletinForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            bulletin = services.bulletin_create(
                actor=request.user,
                committee=request.committee,
                issued_on=data["issued_on"],
                title=data["title"],
                recipients=documents.join_recipients(data["send_to"], data["copy_to"]),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已新建%(b)s。") % {"b": bulletin})
            return redirect("opinions:bulletin_detail", pk=bulletin.pk)
    return render(request, "opinions/bulletin_list.html", _list_context(request, form), status=400)


# One issue --------------------------------------------------------------------------------------


def _detail_context(request, bulletin, bound=None):
    bound = bound or {}
    user = request.user
    can_compose = user.has_perm("opinions.compose_bulletin", bulletin)
    editable = can_compose and bulletin.state == BulletinState.DRAFT
    items = list(documents.bulletin_items(bulletin))
    transfer_forms = {}
    if can_compose and bulletin.state == BulletinState.SENT:
        for item in items:
            transfer_forms[item.pk] = bound.get(("transfer", item.pk)) or TransferForm(
                prefix=f"t{item.pk}", exclude=[h.unit_id for h in item.handlings.all()]
            )
    rows = [
        {
            "item": item,
            "credit": documents.credit_line(item),
            "reports": list(item.reports.all()),
            "handlings": list(item.handlings.all()),
            "transfer_form": transfer_forms.get(item.pk),
        }
        for item in items
    ]
    send, copy = documents.split_recipients(bulletin.recipients)
    return {
        "bulletin": bulletin,
        "rows": rows,
        "send_to": send,
        "copy_to": copy,
        "can_compose": can_compose,
        "editable": editable,
        "single_form": bound.get("single") or (SingleItemForm(prefix="s") if editable else None),
        "combined_form": bound.get("combined")
        or (CombinedItemForm(prefix="c") if editable else None),
    }


@login_required
@require_GET
def bulletin_detail(request, pk):
    bulletin = _bulletin_or_404(request, pk)
    return render(request, "opinions/bulletin_detail.html", _detail_context(request, bulletin))


def _render_failed(request, bulletin, bound=None, exc=None):
    if exc is not None:
        messages.error(request, " ".join(error_messages(exc)))
    bulletin = _bulletin_or_404(request, bulletin.pk)
    context = _detail_context(request, bulletin, bound)
    return render(request, "opinions/bulletin_detail.html", context, status=400)


@login_required
@require_POST
def item_add(request, pk, kind):
    bulletin = _bulletin_or_404(request, pk)
    _require(request.user, "opinions.compose_bulletin", bulletin)
    if kind == "single":
        form = SingleItemForm(request.POST, prefix="s")
    elif kind == "combined":
        form = CombinedItemForm(request.POST, prefix="c")
    else:
        raise Http404
    if not form.is_valid():
        return _render_failed(request, bulletin, {kind: form})
    data = form.cleaned_data
    reports = [data["report"]] if kind == "single" else list(data["reports"])
    try:
        item = services.bulletin_add_item(
            actor=request.user,
            bulletin=bulletin,
            reports=reports,
            title=data.get("title", ""),
            text=data.get("text", ""),
        )
    except ValidationError as exc:
        attach_errors(form, exc)
        return _render_failed(request, bulletin, {kind: form})
    messages.success(request, _("已编入:%(t)s") % {"t": item.title})
    return redirect("opinions:bulletin_detail", pk=bulletin.pk)


@login_required
@require_POST
def item_remove(request, pk):
    _require(request.user, "opinions.view_bulletins")
    item = get_object_or_404(BulletinItem.objects.select_related("bulletin"), pk=pk)
    try:
        services.bulletin_remove_item(actor=request.user, item=item)
    except ValidationError as exc:
        return _render_failed(request, item.bulletin, exc=exc)
    messages.success(request, _("已移出:%(t)s") % {"t": item.title})
    return redirect("opinions:bulletin_detail", pk=item.bulletin_id)


@login_required
@require_POST
def bulletin_send(request, pk):
    bulletin = _bulletin_or_404(request, pk)
    try:
        bulletin = services.bulletin_send(actor=request.user, bulletin=bulletin)
    except (ValidationError, InvalidTransition) as exc:
        return _render_failed(request, bulletin, exc=exc)
    messages.success(request, _("%(b)s已印发。") % {"b": bulletin})
    return redirect("opinions:bulletin_detail", pk=bulletin.pk)


@login_required
@require_GET
def bulletin_docx(request, pk):
    bulletin = _bulletin_or_404(request, pk)
    content = documents.bulletin_document(actor=request.user, bulletin=bulletin)
    filename = f"sheqingminyi-{bulletin.year}-{bulletin.number:02d}.docx"
    return _download(content, documents.DOCX, filename)


@login_required
@require_POST
def item_transfer(request, pk):
    _require(request.user, "opinions.view_bulletins")
    item = get_object_or_404(BulletinItem.objects.select_related("bulletin"), pk=pk)
    form = TransferForm(request.POST, prefix=f"t{item.pk}")
    if not form.is_valid():
        return _render_failed(request, item.bulletin, {("transfer", item.pk): form})
    try:
        created = services.item_transfer(
            actor=request.user, item=item, units=list(form.cleaned_data["units"])
        )
    except ValidationError as exc:
        attach_errors(form, exc)
        return _render_failed(request, item.bulletin, {("transfer", item.pk): form})
    messages.success(request, _("已转办%(n)s个单位。") % {"n": len(created)})
    return redirect("opinions:bulletin_detail", pk=item.bulletin_id)


# Departments' handling --------------------------------------------------------------------------


def _handlings_for(request):
    """The handlings the user may open: a unit user only its own unit's; bulletin readers all
    (answering on a unit's behalf is for opinion staff, ``opinions.answer_handling``)."""
    role = request.active_role
    qs = ItemHandling.objects.select_related("item__bulletin", "unit")
    if request.user.has_perm("opinions.handle"):
        return qs.filter(unit_id=role.handling_unit_id)
    if request.user.has_perm("opinions.view_bulletins"):
        return qs
    raise PermissionDenied


@login_required
@require_GET
def handling_list(request):
    _require(request.user, "opinions.handle")
    handlings = _handlings_for(request).order_by("state", "-item__bulletin__issued_on", "pk")
    return render(request, "opinions/handling_list.html", {"handlings": handlings})


@login_required
@require_http_methods(["GET", "POST"])
def handling_detail(request, pk):
    handling = get_object_or_404(_handlings_for(request), pk=pk)
    can_answer = request.user.has_perm("opinions.answer_handling", handling)
    form = (
        AnswerForm(request.POST or None)
        if can_answer and handling.state != HandlingState.DONE
        else None
    )
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.handling_answer(
                    actor=request.user, handling=handling, answer=form.cleaned_data["answer"]
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            except InvalidTransition as exc:
                messages.error(request, " ".join(error_messages(exc)))
            else:
                messages.success(request, _("办理情况已提交。"))
                return redirect("opinions:handling_detail", pk=handling.pk)
    context = {"handling": handling, "item": handling.item, "form": form}
    status = 400 if request.method == "POST" else 200
    return render(request, "opinions/handling_detail.html", context, status=status)


urlpatterns = [
    path("bulletins/", bulletin_list, name="bulletin_list"),
    path("bulletins/new/", bulletin_create, name="bulletin_create"),
    path("bulletins/<int:pk>/", bulletin_detail, name="bulletin_detail"),
    path("bulletins/<int:pk>/items/<slug:kind>/", item_add, name="bulletin_item_add"),
    path("bulletins/<int:pk>/send/", bulletin_send, name="bulletin_send"),
    path("bulletins/<int:pk>/docx/", bulletin_docx, name="bulletin_docx"),
    path("bulletin-items/<int:pk>/remove/", item_remove, name="bulletin_item_remove"),
    path("bulletin-items/<int:pk>/transfer/", item_transfer, name="bulletin_item_transfer"),
    path("handling/", handling_list, name="handling_list"),
    path("handling/<int:pk>/", handling_detail, name="handling_detail"),
]
