"""The media coverage log (媒体报道): the year's reports with the publicity figures, staff
create, edit and delete entries, and export the list as .xlsx."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengxie.core.forms import attach_errors
from zhengxie.core.periods import period_bounds
from zhengxie.portal import exports, forms, queries, services
from zhengxie.portal.models import MediaLevel, MediaReport
from zhengxie.portal.stats import FIGURE_LABELS, media_by_level, publicity_figures

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _need(request, permission, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


@login_required
@require_GET
def media_list(request):
    _need(request, "portal.view_media")
    form = forms.MediaFilterForm(request.GET or None)
    year, filters = form.filters()
    page = Paginator(queries.media_list(year=year, **filters), 30).get_page(request.GET.get("page"))
    figures = publicity_figures(committee=request.committee, year=year)
    first, last = period_bounds(year=year)
    by_level = media_by_level(committee=request.committee, first=first, last=last)
    context = {
        "form": form,
        "page": page,
        "year": year,
        "rows": [(FIGURE_LABELS[k], figures[k]) for k in FIGURE_LABELS],
        "by_level": [(label, by_level[value]) for value, label in MediaLevel.choices],
        "can_manage": request.user.has_perm("portal.manage_media"),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "portal/media_list.html", context)


def _media_data(data):
    return {k: data.get(k) for k in services.MEDIA_FIELDS}


@login_required
def media_create(request):
    _need(request, "portal.manage_media")
    form = forms.MediaReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.media_report_create(
                actor=request.user,
                committee=request.committee,
                data=_media_data(form.cleaned_data),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("媒体报道已登记。"))
            if request.POST.get("another"):
                return redirect("portal:media_create")
            return redirect("portal:media_list")
    return render(
        request, "portal/media_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _report_or_404(request, pk):
    _need(request, "portal.manage_media")
    return get_object_or_404(MediaReport.objects.all(), pk=pk)


@login_required
def media_edit(request, pk):
    report = _report_or_404(request, pk)
    initial = {k: getattr(report, k) for k in services.MEDIA_FIELDS}
    form = forms.MediaReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.media_report_update(
                actor=request.user, report=report, data=_media_data(form.cleaned_data)
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("媒体报道已保存。"))
            return redirect("portal:media_list")
    return render(
        request,
        "portal/media_form.html",
        {"form": form, "report": report},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_POST
def media_delete(request, pk):
    report = _report_or_404(request, pk)
    services.media_report_delete(actor=request.user, report=report)
    messages.success(request, _("已删除:%(t)s") % {"t": report.title})
    return redirect("portal:media_list")


@login_required
@require_GET
def media_export(request):
    _need(request, "portal.view_media")
    year, filters = forms.MediaFilterForm(request.GET or None).filters()
    content = exports.media_reports_export(
        actor=request.user, committee=request.committee, year=year, filters=filters
    )
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''media-{year}.xlsx"
    return response


urlpatterns = [
    path("coverage/", media_list, name="media_list"),
    path("coverage/new/", media_create, name="media_create"),
    path("coverage/export/", media_export, name="media_export"),
    path("coverage/<int:pk>/edit/", media_edit, name="media_edit"),
    path("coverage/<int:pk>/delete/", media_delete, name="media_delete"),
]
