"""Reports pages: the dashboard (统计总览) of the user's committee and the side-by-side figures of
its direct children (下级政协统计), each with its .xlsx export.

Views are thin: permission → period → ``reports.dashboard`` → response. There is no committee id
in any URL: a user only ever sees the committee of the request and, as figures, its descendants.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from zhengxie.core.periods import PeriodForm, chosen_period
from zhengxie.organisation.models import Session, Term
from zhengxie.reports import dashboard as data

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _check(request, *permissions):
    if not all(request.user.has_perm(p) for p in permissions):
        raise PermissionDenied


def _period(request):
    """(period or None, errors) from the query string; no period given: this year."""
    return chosen_period(PeriodForm(request.GET))


def _year(request):
    """(year, errors): the ``year`` parameter, this year by default."""
    form = PeriodForm({"year": request.GET.get("year", "")})
    if not form.is_valid():
        return None, [e for errors in form.errors.values() for e in errors]
    return form.cleaned_data["year"] or timezone.localdate().year, []


def _xlsx(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
@require_GET
def dashboard(request):
    _check(request, "reports.view_dashboard")
    period, errors = _period(request)
    context = {
        "sessions": Session.objects.select_related("term").order_by("-opens_on"),
        "terms": Term.objects.order_by("-number"),
        "errors": errors,
        "period": period,
        "can_export": request.user.has_perm("reports.export"),
    }
    if period is not None:
        shown = data.dashboard_data(committee=request.committee, period=period)
        for chart in [*shown["charts"], *shown["trends"]]:
            chart["data"] = data.chart_json(chart)
            chart["data_id"] = f"{chart['id']}-data"
        context.update(shown, period_label=str(period.label), query=request.GET.urlencode())
    return render(request, "reports/dashboard.html", context, status=400 if errors else 200)


@login_required
@require_GET
def dashboard_export(request):
    _check(request, "reports.view_dashboard", "reports.export")
    period, errors = _period(request)
    if period is None:
        return HttpResponse("; ".join(str(e) for e in errors), status=400)
    shown = data.dashboard_data(committee=request.committee, period=period)
    content = data.dashboard_xlsx(
        actor=request.user, committee=request.committee, period=period, data=shown
    )
    return _xlsx(content, "dashboard.xlsx")


@login_required
@require_GET
def descendants(request):
    _check(request, "reports.view_descendants")
    year, errors = _year(request)
    context = {
        "errors": errors,
        "year": year,
        "can_export": request.user.has_perm("reports.export"),
    }
    if year is not None:
        context["table"] = data.descendants_data(committee=request.committee, year=year)
    return render(request, "reports/descendants.html", context, status=400 if errors else 200)


@login_required
@require_GET
def descendants_export(request):
    _check(request, "reports.view_descendants", "reports.export")
    year, errors = _year(request)
    if year is None:
        return HttpResponse("; ".join(str(e) for e in errors), status=400)
    table = data.descendants_data(committee=request.committee, year=year)
    if not table["columns"]:
        raise Http404
    content = data.descendants_xlsx(
        actor=request.user, committee=request.committee, year=year, data=table
    )
    return _xlsx(content, f"descendants-{year}.xlsx")


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("dashboard.xlsx", dashboard_export, name="dashboard_export"),
    path("descendants/", descendants, name="descendants"),
    path("descendants.xlsx", descendants_export, name="descendants_export"),
]
