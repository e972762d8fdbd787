"""Public-opinion pages: statistics (社情民意统计), the list export (.xlsx) and the history
import (历史社情民意导入).

Views are thin: permission → period / filters / upload → ``stats``, ``exports`` or
``importers`` → response.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from zhengxie.core.forms import xlsx_file_field
from zhengxie.core.models import Level
from zhengxie.core.periods import MAX_YEAR, MIN_YEAR, PeriodForm, resolve_period
from zhengxie.core.views.imports import import_page
from zhengxie.opinions import exports, importers
from zhengxie.opinions.models import ReportState, SourceKind
from zhengxie.opinions.queries import LIST_VIEWS
from zhengxie.opinions.stats import FIGURE_LABELS, opinion_figures
from zhengxie.organisation.models import Session, Term

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _check(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


SUMMARY_KEYS = (
    "opinions_received",
    "opinions_used",
    "bulletin_issues",
    "bulletin_items",
    "opinions_forwarded",
    "opinions_adopted_city",
    "opinions_adopted_province",
    "opinions_adopted_national",
)
DETAIL_KEYS = ("opinions_received_own", "opinions_received_from_lower", "instructions")


def _rows(figures, keys):
    return [{"key": k, "label": FIGURE_LABELS[k], "value": figures[k]} for k in keys]


@login_required
@require_GET
def stats(request):
    _check(request, "opinions.view_stats")
    form = PeriodForm(request.GET)
    context = {
        "form": form,
        "sessions": Session.objects.select_related("term").order_by("-opens_on"),
        "terms": Term.objects.order_by("-number"),
        "errors": [],
    }
    period = None
    if not form.is_valid():
        context["errors"] = [e for errors in form.errors.values() for e in errors]
    else:
        data = form.cleaned_data
        try:
            if data["session"] is None and data["term"] is None:
                period = resolve_period(year=data["year"] or timezone.localdate().year)
            else:
                period = resolve_period(session_id=data["session"], term_id=data["term"])
        except Http404:
            context["errors"] = [_("所选会议或届次不存在。")]
    if period is not None:
        figures = opinion_figures(committee=request.committee, **period.arguments)
        levels = dict(Level.choices)
        context.update(
            period=period,
            period_label=str(period.label),
            figures=figures,
            summary=_rows(figures, SUMMARY_KEYS),
            details=_rows(figures, DETAIL_KEYS),
            instructions=[
                {"label": str(levels[level]), "value": n}
                for level, n in figures["instructions_by_level"].items()
            ],
        )
    status = 400 if context["errors"] else 200
    return render(request, "opinions/stats.html", context, status=status)


# Export --------------------------------------------------------------------------------------


def list_filters(params):
    """The list page's filters from a query string, invalid values dropped."""
    filters = {}
    view = params.get("view", "all")
    filters["view"] = view if view in LIST_VIEWS else "all"
    year = params.get("year", "")
    if year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR:
        filters["year"] = int(year)
    if params.get("state") in ReportState.values:
        filters["state"] = params["state"]
    if params.get("source_kind") in SourceKind.values:
        filters["source_kind"] = params["source_kind"]
    q = params.get("q", "").strip().replace("\x00", "")[:64]
    if q:
        filters["q"] = q
    return filters


@login_required
@require_GET
def export(request):
    _check(request, "opinions.export")
    data = exports.report_list_export(
        actor=request.user, committee=request.committee, filters=list_filters(request.GET)
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''opinions.xlsx"
    return response


# History import ------------------------------------------------------------------------------


class HistoryUploadForm(forms.Form):
    file = xlsx_file_field(gettext_lazy("历史社情民意文件(.xlsx)"))


@login_required
def history_import(request):
    _check(request, "opinions.import_history")
    return import_page(
        request,
        form=HistoryUploadForm(request.POST or None, request.FILES or None),
        template="opinions/history_import.html",
        read=lambda upload: importers.read_history(upload, committee=request.committee),
        write=lambda *, rows, filename, data: importers.history_import(
            actor=request.user, committee=request.committee, rows=rows, filename=filename
        ),
    )


@login_required
@require_GET
def history_template(request):
    _check(request, "opinions.import_history")
    response = HttpResponse(importers.history_template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''opinion-history.xlsx"
    return response


urlpatterns = [
    path("stats/", stats, name="stats"),
    path("export.xlsx", export, name="export"),
    path("history-import/", history_import, name="history_import"),
    path("history-import/template.xlsx", history_template, name="history_template"),
]
