"""The working-day calendar page (admin): a year's holidays, make-up days and overrides."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zhengxie.core import calendar as service
from zhengxie.core.forms import bootstrap
from zhengxie.core.models import CalendarDay


class CalendarDayForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": gettext_lazy("请选择日期。"),
            "invalid": gettext_lazy("日期格式不正确。"),
        },
    )
    is_workday = forms.TypedChoiceField(
        label=gettext_lazy("当日"),
        choices=[("0", gettext_lazy("放假(非工作日)")), ("1", gettext_lazy("上班(工作日)"))],
        coerce=lambda v: v == "1",
        error_messages={"required": gettext_lazy("请选择当日是否上班。")},
    )
    note = forms.CharField(
        label=gettext_lazy("说明"),
        max_length=64,
        required=False,
        error_messages={"max_length": gettext_lazy("说明不能超过64个字。")},
    )


def _year(request):
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@login_required
def calendar_page(request):
    if not request.user.has_perm("core.edit_calendar"):
        raise PermissionDenied
    year = _year(request)
    form = CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service.calendar_day_set(
                committee=request.committee,
                date=form.cleaned_data["date"],
                is_workday=form.cleaned_data["is_workday"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("已保存 %(date)s 的工作日历调整。") % {"date": form.cleaned_data["date"]},
            )
            target_year = form.cleaned_data["date"].year
            return redirect(f"{reverse('core:calendar')}?year={target_year}")
    context = {
        "form": bootstrap(form),
        "year": year,
        "published": service.year_is_published(year),
        "days": service.year_special_days(year, committee=request.committee),
        "years": range(year - 1, year + 2),
    }
    return render(request, "core/calendar.html", context)


@login_required
@require_POST
def calendar_day_delete(request, pk):
    if not request.user.has_perm("core.edit_calendar"):
        raise PermissionDenied
    day = get_object_or_404(CalendarDay.objects.filter(committee=request.committee), pk=pk)
    year = day.date.year
    service.calendar_day_delete(day=day, actor=request.user)
    messages.success(request, _("已删除该日的调整。"))
    return redirect(f"{reverse('core:calendar')}?year={year}")
