"""Democratic appraisal (民主评议): the list with a create form, the detail page with the
ranking and one form for every unit's score, and the .xlsx export of the scores."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from zhengxie.core.audit import audit_record
from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.models import AuditAction
from zhengxie.organisation.models import HandlingUnit
from zhengxie.supervision import forms, queries, services
from zhengxie.supervision.grades import THRESHOLD_ORDER, thresholds_of
from zhengxie.supervision.models import Appraisal, AppraisalScore
from zhengxie.supervision.views.common import appraisal_or_404, require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def appraisal_list(request):
    require(request, "supervision.view_appraisals")
    can_manage = request.user.has_perm("supervision.manage")
    form = forms.AppraisalForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        require(request, "supervision.manage")
        if form.is_valid():
            try:
                appraisal = services.appraisal_create(
                    actor=request.user, committee=request.committee, data=form.cleaned_data
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("民主评议已建立,请录入各单位得分。"))
                return redirect("supervision:appraisal_detail", pk=appraisal.pk)
    appraisals = Appraisal.objects.annotate(units=Count("scores")).order_by("-year", "-pk")
    return render(
        request,
        "supervision/appraisal_list.html",
        {"appraisals": appraisals, "form": form},
        status=400 if form is not None and form.is_bound else 200,
    )


def _entry_rows(request, appraisal, posted=None):
    """One row per active unit (and any unit already scored), with the score entered."""
    scores = {s.unit_id: s for s in AppraisalScore.objects.filter(appraisal=appraisal)}
    units = HandlingUnit.objects.filter(committee=appraisal.committee_id).order_by("name")
    rows = []
    for unit in units:
        if not unit.is_active and unit.pk not in scores:
            continue
        current = scores.get(unit.pk)
        if posted is not None:
            values = {
                "score": posted.get(f"score-{unit.pk}", ""),
                "grade": posted.get(f"grade-{unit.pk}", ""),
                "comments": posted.get(f"comments-{unit.pk}", ""),
            }
        else:
            values = {
                "score": "" if current is None else current.score,
                "grade": "" if current is None else current.grade,
                "comments": "" if current is None else current.comments,
            }
        rows.append({"unit": unit, **values})
    return rows


def _detail(request, appraisal, *, posted=None, errors=(), status=200):
    can_manage = request.user.has_perm("supervision.manage", appraisal)
    thresholds = thresholds_of(appraisal.committee)
    return render(
        request,
        "supervision/appraisal_detail.html",
        {
            "appraisal": appraisal,
            "ranking": queries.ranking(appraisal),
            "can_manage": can_manage,
            "rows": _entry_rows(request, appraisal, posted) if can_manage else [],
            "grade_choices": forms.GRADE_CHOICES,
            "thresholds": [(g.label, thresholds[g.value]) for g in THRESHOLD_ORDER],
            "errors": errors,
        },
        status=status,
    )


@login_required
def appraisal_detail(request, pk):
    appraisal = appraisal_or_404(request, pk)
    if request.method != "POST":
        return _detail(request, appraisal)
    require(request, "supervision.manage", appraisal)
    units = {u.pk: u for u in HandlingUnit.objects.filter(committee=appraisal.committee_id)}
    rows = []
    for key in request.POST:
        if not key.startswith("score-"):
            continue
        try:
            unit = units[int(key.removeprefix("score-"))]
        except (KeyError, ValueError):
            continue
        rows.append(
            {
                "unit": unit,
                "score": request.POST.get(key, ""),
                "grade": request.POST.get(f"grade-{unit.pk}", ""),
                "comments": request.POST.get(f"comments-{unit.pk}", ""),
            }
        )
    try:
        services.appraisal_set_scores(actor=request.user, appraisal=appraisal, rows=rows)
    except ValidationError as exc:
        return _detail(
            request, appraisal, posted=request.POST, errors=error_messages(exc), status=400
        )
    messages.success(request, _("评议得分已保存。"))
    return redirect("supervision:appraisal_detail", pk=appraisal.pk)


def scores_workbook(appraisal) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("评议得分")
    sheet.append([appraisal.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["名次", "被评议单位", "得分", "等次", "评议意见"])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for score in queries.ranking(appraisal):
        sheet.append(
            [
                score.rank,
                score.unit.name,
                float(score.score),
                score.get_grade_display(),
                score.comments,
            ]
        )
    for column, width in zip("ABCDE", (8, 30, 10, 10, 50), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@login_required
def appraisal_export(request, pk):
    appraisal = appraisal_or_404(request, pk)
    data = scores_workbook(appraisal)
    audit_record(
        actor=request.user, action=AuditAction.EXPORT, obj=appraisal, note=_("导出评议得分")
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''appraisal-{appraisal.year}-{appraisal.pk}.xlsx"
    )
    return response


urlpatterns = [
    path("appraisals/", appraisal_list, name="appraisal_list"),
    path("appraisals/<int:pk>/", appraisal_detail, name="appraisal_detail"),
    path("appraisals/<int:pk>/scores.xlsx", appraisal_export, name="appraisal_export"),
]
