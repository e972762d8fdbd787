"""Proposal pages: documents (交办函, 提案汇编), the Excel export, the overdue list and awards.

Views are thin: access (permission, scoped 404) → documents/exports/services → response.
"""

from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from zhengxie.core import calendar as workdays
from zhengxie.core.forms import BootstrapFormMixin, attach_errors
from zhengxie.core.models import Role
from zhengxie.organisation.models import HandlingUnit, Session
from zhengxie.proposals import documents, exports, queries, services
from zhengxie.proposals.forms import ListFilterForm
from zhengxie.proposals.models import REGISTERED_STATES, Award, AwardKind, Proposal

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content, content_type, filename):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


def _session_param(request, required=False):
    """The ``session`` GET parameter as a Session of the active committee (404 if foreign)."""
    raw = request.GET.get("session", "")
    if not raw:
        if required:
            return Session.objects.order_by("-opens_on").first()
        return None
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(Session.objects.all(), pk=int(raw))


# 交办函 --------------------------------------------------------------------------------------


@login_required
@require_GET
def assignment_letter(request, pk):
    unit = get_object_or_404(HandlingUnit.objects.all(), pk=pk)
    role = request.active_role
    if role is not None and role.role == Role.UNIT and role.handling_unit_id != unit.pk:
        raise Http404  # another unit's letter: as if it did not exist
    if not request.user.has_perm("proposals.download_letter", unit):
        raise PermissionDenied
    session = _session_param(request)
    content = documents.assignment_letter(
        actor=request.user, committee=request.committee, unit=unit, session=session
    )
    filename = f"jiaobanhan-{unit.pk}-{timezone.localdate():%Y%m%d}.docx"
    return _download(content, documents.DOCX, filename)


# 提案汇编 ------------------------------------------------------------------------------------


@login_required
@require_GET
def compilation(request):
    if not request.user.has_perm("proposals.export"):
        raise PermissionDenied
    year = request.GET.get("year", "")
    if year and not request.GET.get("session"):
        if not (year.isdigit() and 1990 <= int(year) <= 2100):
            raise Http404
        session, year = None, int(year)
    else:
        session, year = _session_param(request, required=True), None
        if session is None:
            raise Http404
    content = documents.compilation(
        actor=request.user, committee=request.committee, session=session, year=year
    )
    label = f"session{session.pk}" if session is not None else str(year)
    return _download(content, documents.DOCX, f"huibian-{label}.docx")


# Excel export --------------------------------------------------------------------------------


@login_required
@require_GET
def export(request):
    if not request.user.has_perm("proposals.export"):
        raise PermissionDenied
    view = request.GET.get("view") or "all"
    if view not in queries.LIST_VIEWS:
        view = "all"
    form = ListFilterForm(request.GET or None)
    filters = {"view": view, **form.filters()}
    content = exports.proposal_list_export(
        actor=request.user, committee=request.committee, filters=filters
    )
    return _download(content, XLSX, f"proposals-{timezone.localdate():%Y%m%d}.xlsx")


# 超期未复 ------------------------------------------------------------------------------------

OVERDUE_SORTS = {"-days": gettext_lazy("超期天数(多→少)"), "days": gettext_lazy("超期天数(少→多)")}


@login_required
@require_GET
def overdue(request):
    user = request.user
    if not (user.has_perm("proposals.assign") or user.has_perm("proposals.view_stats")):
        raise PermissionDenied
    today = timezone.localdate()
    rows = list(queries.overdue_assignments(today).select_related("unit", "proposal__session"))
    for a in rows:
        a.days_overdue = workdays.working_days_between(
            a.deadline, today, committee=request.committee
        )
    sort = request.GET.get("sort", "-days")
    if sort not in OVERDUE_SORTS:
        sort = "-days"
    rows.sort(key=lambda a: (a.days_overdue, -a.pk), reverse=sort == "-days")
    per_unit = Counter(a.unit for a in rows)
    summary = sorted(per_unit.items(), key=lambda item: (-item[1], item[0].name))
    context = {"rows": rows, "summary": summary, "sort": sort, "sorts": OVERDUE_SORTS}
    return render(request, "proposals/overdue.html", context)


# 表彰 ----------------------------------------------------------------------------------------


class _AwardForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(
        label=gettext_lazy("年度"),
        min_value=1990,
        max_value=2100,
        error_messages={
            "required": gettext_lazy("请填写年度。"),
            "invalid": gettext_lazy("年度应为四位数字。"),
            "min_value": gettext_lazy("年度超出范围。"),
            "max_value": gettext_lazy("年度超出范围。"),
        },
    )
    awarded_on = forms.DateField(
        label=gettext_lazy("表彰日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("请填写表彰日期。"),
            "invalid": gettext_lazy("请填写有效的日期。"),
        },
    )
    note = forms.CharField(label=gettext_lazy("说明"), max_length=255, required=False)


class ProposalAwardForm(_AwardForm):
    kind = AwardKind.OUTSTANDING_PROPOSAL
    proposal = forms.ModelChoiceField(
        label=gettext_lazy("提案"),
        queryset=Proposal.objects.none(),
        error_messages={
            "required": gettext_lazy("请选择提案。"),
            "invalid_choice": gettext_lazy("请选择本会已立案的提案。"),
        },
    )
    field_order = ["proposal", "year", "awarded_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["proposal"]
        field.queryset = (
            Proposal.objects.filter(state__in=REGISTERED_STATES)
            .select_related("session")
            .order_by("-session__opens_on", "number")
        )
        field.label_from_instance = lambda p: f"{p.number_label} {p.title}".strip()


class UnitAwardForm(_AwardForm):
    kind = AwardKind.OUTSTANDING_UNIT
    unit = forms.ModelChoiceField(
        label=gettext_lazy("承办单位"),
        queryset=HandlingUnit.objects.none(),
        error_messages={
            "required": gettext_lazy("请选择承办单位。"),
            "invalid_choice": gettext_lazy("请选择本会的承办单位。"),
        },
    )
    field_order = ["unit", "year", "awarded_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(is_active=True).order_by("name")


AWARD_FORMS = {
    AwardKind.OUTSTANDING_PROPOSAL: ProposalAwardForm,
    AwardKind.OUTSTANDING_UNIT: UnitAwardForm,
}


@login_required
@require_http_methods(["GET", "POST"])
def awards(request):
    if not request.user.has_perm("proposals.award"):
        raise PermissionDenied
    today = timezone.localdate()
    initial = {"year": today.year, "awarded_on": today}
    bound = {
        kind: form_class(prefix=kind, initial=initial) for kind, form_class in AWARD_FORMS.items()
    }
    status = 200
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in AWARD_FORMS:
            raise Http404
        form = AWARD_FORMS[kind](request.POST, prefix=kind)
        bound[kind] = form
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.award_add(
                    actor=request.user,
                    committee=request.committee,
                    kind=kind,
                    year=data["year"],
                    awarded_on=data["awarded_on"],
                    proposal=data.get("proposal"),
                    unit=data.get("unit"),
                    note=data["note"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("已登记表彰。"))
                return redirect(f"{request.path}?year={data['year']}")
        status = 400
    years = sorted(set(Award.objects.values_list("year", flat=True)) | {today.year}, reverse=True)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and int(year) in years else years[0]
    award_rows = (
        Award.objects.filter(year=year)
        .select_related("proposal__session", "unit")
        .order_by("kind", "awarded_on", "pk")
    )
    context = {
        "year": year,
        "years": years,
        "awards": award_rows,
        "proposal_form": bound[AwardKind.OUTSTANDING_PROPOSAL],
        "unit_form": bound[AwardKind.OUTSTANDING_UNIT],
    }
    return render(request, "proposals/awards.html", context, status=status)


urlpatterns = [
    path("letters/unit/<int:pk>/", assignment_letter, name="assignment_letter"),
    path("compilation/", compilation, name="compilation"),
    path("export/", export, name="export"),
    path("overdue/", overdue, name="overdue"),
    path("awards/", awards, name="awards"),
]
