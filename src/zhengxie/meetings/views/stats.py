"""Meeting pages: the combined statistics (会议活动统计) of meetings, people, plenary speeches,
activities, democratic supervision and reception places for one period, and the history import
(历史会议导入).

Views are thin: permission → period / upload → ``stats`` (and the other apps' figure functions)
or ``importers`` → response.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from zhengxie.activities import stats as activity_stats
from zhengxie.core.forms import xlsx_file_field
from zhengxie.core.periods import PeriodForm, chosen_period
from zhengxie.core.views.imports import import_page
from zhengxie.meetings import importers, speech_stats
from zhengxie.meetings.models import MeetingCategory
from zhengxie.meetings.stats import CATEGORY_FIGURES, FIGURE_LABELS, RATE_FIGURES, meeting_figures
from zhengxie.organisation.models import Session, Term
from zhengxie.places import stats as place_stats
from zhengxie.supervision import stats as supervision_stats

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MEETING_KEYS = (
    "meetings_held",
    "plenary_meetings",
    "standing_meetings",
    "chairs_meetings",
    "special_committee_meetings",
    "other_meetings",
    "attendance_rate",
    "leave_approved_rate",
)
PEOPLE_KEYS = (
    "members_added",
    "members_resigned",
    "members_removed",
    "standing_members_added",
    "standing_members_resigned",
)
SPEECH_LABELS = {
    "plenary_speeches": gettext_lazy("大会发言"),
    "livelihood_speeches": gettext_lazy("其中民生类"),
    "livelihood_speech_share": gettext_lazy("民生类占比"),
    "oral_speeches": gettext_lazy("大会口头发言"),
    "written_speeches": gettext_lazy("书面发言"),
}
SHARE_KEYS = {*RATE_FIGURES, "livelihood_speech_share"}
# The other areas: (id, title, figure function, labels in display order).
AREAS = (
    ("speeches", gettext_lazy("大会发言"), speech_stats.speech_figures, SPEECH_LABELS),
    (
        "activities",
        gettext_lazy("视察调研活动"),
        activity_stats.activity_figures,
        activity_stats.FIGURE_LABELS,
    ),
    (
        "supervision",
        gettext_lazy("民主监督"),
        supervision_stats.supervision_figures,
        supervision_stats.FIGURE_LABELS,
    ),
    ("places", gettext_lazy("委员履职场所"), place_stats.place_figures, place_stats.FIGURE_LABELS),
)


def _check(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _display(key, value):
    if value is None:
        return "—"
    if key in SHARE_KEYS:
        return f"{value * 100:.1f}%"
    return value


def _rows(figures, labels, keys=None):
    return [
        {"key": k, "label": labels[k], "value": _display(k, figures[k])}
        for k in (keys or labels)
        if k in figures and not isinstance(figures[k], dict | list)
    ]


def _attendance_chart(figures):
    """Attendance rate (percent) by meeting kind, for the ``data-chart`` bar renderer."""
    rates = figures["attendance_rate_by_category"]
    labels = dict(MeetingCategory.choices)
    return [
        {"label": str(labels[category]), "value": round(rates[category] * 100, 1)}
        for category in CATEGORY_FIGURES
        if rates.get(category) is not None
    ]


@login_required
@require_GET
def stats(request):
    _check(request, "meetings.view_stats")
    form = PeriodForm(request.GET)
    period, errors = chosen_period(form)
    context = {
        "form": form,
        "sessions": Session.objects.select_related("term").order_by("-opens_on"),
        "terms": Term.objects.order_by("-number"),
        "errors": errors,
    }
    if period is not None:
        committee = request.committee
        figures = meeting_figures(committee=committee, **period.arguments)
        context.update(
            period=period,
            period_label=str(period.label),
            figures=figures,
            meetings=_rows(figures, FIGURE_LABELS, MEETING_KEYS),
            people=_rows(figures, FIGURE_LABELS, PEOPLE_KEYS),
            attendance_chart=_attendance_chart(figures),
            attendance_by_category=[
                {
                    "label": label,
                    "value": _display(
                        "attendance_rate", figures["attendance_rate_by_category"][category]
                    ),
                }
                for category, label in MeetingCategory.choices
            ],
            areas=[
                {
                    "id": area_id,
                    "title": title,
                    "rows": _rows(function(committee=committee, **period.arguments), labels),
                }
                for area_id, title, function, labels in AREAS
            ],
        )
    status = 400 if errors else 200
    return render(request, "meetings/stats.html", context, status=status)


# History import ------------------------------------------------------------------------------


class HistoryUploadForm(forms.Form):
    file = xlsx_file_field(gettext_lazy("历史会议文件(.xlsx)"))


@login_required
def history_import(request):
    _check(request, "meetings.import_history")
    return import_page(
        request,
        form=HistoryUploadForm(request.POST or None, request.FILES or None),
        template="meetings/history_import.html",
        read=lambda upload: importers.read_history(upload, committee=request.committee),
        write=lambda *, rows, filename, data: importers.history_import(
            actor=request.user, committee=request.committee, rows=rows, filename=filename
        ),
    )


@login_required
@require_GET
def history_template(request):
    _check(request, "meetings.import_history")
    response = HttpResponse(importers.history_template(), content_type=XLSX)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''meeting-history.xlsx"
    return response


urlpatterns = [
    path("stats/", stats, name="stats"),
    path("history-import/", history_import, name="history_import"),
    path("history-import/template.xlsx", history_template, name="history_template"),
]
