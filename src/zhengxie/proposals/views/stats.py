"""Proposal pages: statistics (提案统计) and the history import (历史提案导入).

Views are thin: permission → period / upload → ``stats`` or ``importers`` → response.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from zhengxie.core.forms import xlsx_file_field
from zhengxie.core.periods import PeriodForm
from zhengxie.core.views.imports import import_page
from zhengxie.organisation.models import Session, Term
from zhengxie.proposals import importers
from zhengxie.proposals.stats import (
    FIGURE_LABELS,
    RATE_KEYS,
    format_rate,
    proposal_figures,
    resolve_period,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _check(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


class ProposalPeriodForm(PeriodForm):
    """The period, and for a session whether to count plenary proposals only."""

    plenary_only = forms.BooleanField(required=False, label=gettext_lazy("仅大会提案"))


def _figure_rows(figures, keys):
    rows = []
    for key in keys:
        value = figures[key]
        shown = format_rate(value) if key in RATE_KEYS else value
        rows.append({"key": key, "label": FIGURE_LABELS[key], "value": shown})
    return rows


SUMMARY_KEYS = (
    "proposals_received",
    "proposals_registered",
    "registration_rate",
    "key_proposals",
    "proposals_replied",
    "reply_rate",
    "proposals_adopted",
    "adoption_rate",
)
DETAIL_KEYS = (
    "proposals_merged",
    "proposals_to_opinion_letters",
    "proposals_to_public_opinion",
    "proposals_not_registered",
    "satisfaction_attitude_rate",
    "satisfaction_result_rate",
    "livelihood_proposals",
    "livelihood_share",
    "members_submitting_rate",
    "outstanding_proposals",
    "outstanding_units",
)


@login_required
@require_GET
def stats(request):
    _check(request, "proposals.view_stats")
    form = ProposalPeriodForm(request.GET)
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
            if data["session"] is None and data["year"] is None and data["term"] is None:
                latest = context["sessions"].first()
                period = resolve_period(session_id=latest.pk) if latest else None
            else:
                period = resolve_period(
                    session_id=data["session"], year=data["year"], term_id=data["term"]
                )
        except Http404:
            context["errors"] = [_("所选会议或届次不存在。")]
    if period is not None:
        figures = proposal_figures(
            committee=request.committee,
            plenary_only=form.cleaned_data["plenary_only"] and period.session is not None,
            **period.arguments,
        )
        context.update(
            period=period,
            period_label=str(period.label),
            figures=figures,
            summary=_figure_rows(figures, SUMMARY_KEYS),
            details=_figure_rows(figures, DETAIL_KEYS),
            replies=[
                {"label": _("%(code)s类答复") % {"code": code}, "value": n}
                for code, n in figures["replies_by_category"].items()
            ],
        )
    status = 400 if context["errors"] else 200
    return render(request, "proposals/stats.html", context, status=status)


# History import ------------------------------------------------------------------------------


class HistoryUploadForm(forms.Form):
    file = xlsx_file_field(gettext_lazy("历史提案文件(.xlsx)"))


@login_required
def history_import(request):
    _check(request, "proposals.import_history")
    return import_page(
        request,
        form=HistoryUploadForm(request.POST or None, request.FILES or None),
        template="proposals/history_import.html",
        read=importers.read_history,
        write=lambda *, rows, filename, data: importers.history_import(
            actor=request.user, committee=request.committee, rows=rows, filename=filename
        ),
    )


@login_required
@require_GET
def history_template(request):
    _check(request, "proposals.import_history")
    response = HttpResponse(importers.history_template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''proposal-history.xlsx"
    return response


urlpatterns = [
    path("stats/", stats, name="stats"),
    path("history-import/", history_import, name="history_import"),
    path("history-import/template.xlsx", history_template, name="history_template"),
]
