"""Yearly duty report pages (list, assignment, one report with its actions, scheduling many
at a meeting) and the political self-check (the member's form, the staff list and review).
Views are access → service → response; a record the user may not see answers 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.workflow import InvalidTransition
from zhengxie.organisation.models import Membership
from zhengxie.organisation.queries import own_seat
from zhengxie.performance import reports as services
from zhengxie.performance.forms_dossier import (
    CheckForm,
    CheckReviewForm,
    ReportAssessForm,
    ReportAssignForm,
    ReportFilterForm,
    ReportReturnForm,
    ReportScheduleForm,
    ReportTextForm,
    year_field,
)
from zhengxie.performance.models import DutyReport, PoliticalCheck, ReportState


def _is_reviewer(user):
    return user.has_perm("performance.review_report")


def _sees_all_reports(user):
    return _is_reviewer(user) or user.has_perm("performance.view_scores")


# Duty reports ----------------------------------------------------------------------------


@login_required
def report_list(request):
    if not request.user.has_perm("performance.list_reports"):
        raise PermissionDenied
    reports = DutyReport.objects.select_related(
        "membership__person", "membership__sector", "meeting"
    ).order_by("-year", "membership__person__name", "pk")
    sees_all = _sees_all_reports(request.user)
    form = ReportFilterForm(request.GET or None)
    if sees_all:
        data = form.cleaned_data if form.is_valid() else {}
        if data.get("year"):
            reports = reports.filter(year=data["year"])
        if data.get("state"):
            reports = reports.filter(state=data["state"])
        if data.get("name"):
            reports = reports.filter(membership__person__name__contains=data["name"].strip())
    else:
        reports = reports.filter(membership__person__user=request.user)
    page = Paginator(reports, 30).get_page(request.GET.get("page"))
    reviewer = _is_reviewer(request.user)
    context = {
        "page": page,
        "form": form if sees_all else None,
        "reviewer": reviewer,
        "schedule_form": ReportScheduleForm(committee=request.committee) if reviewer else None,
        "submitted": ReportState.SUBMITTED,
    }
    return render(request, "performance/report_list.html", context)


@login_required
def report_assign(request):
    if not request.user.has_perm("performance.assign_reports"):
        raise PermissionDenied
    form = ReportAssignForm(
        request.POST or None,
        initial={"year": timezone.localdate().year, "by": "standing"},
        committee=request.committee,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.reports_assign(
                actor=request.user,
                committee=request.committee,
                year=data["year"],
                by=data["by"],
                due_on=data.get("due_on"),
                special_committee=data.get("special_committee"),
                group=data.get("group"),
                memberships=list(data.get("memberships") or ()),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已安排%(n)s名委员述职。") % {"n": len(made)})
            return redirect("performance:report_list")
    status = 400 if form.is_bound else 200
    return render(request, "performance/report_assign.html", {"form": form}, status=status)


def _report_or_404(request, pk):
    report = (
        DutyReport.objects.select_related(
            "membership__person", "membership__term", "membership__sector", "meeting"
        )
        .filter(pk=pk)
        .first()
    )
    if report is None or not request.user.has_perm("performance.view_report", report):
        raise Http404
    return report


def _history(report):
    labels = {t.action: t.label for t in services.REPORT_WORKFLOW.transitions}
    labels["assign"] = _("安排述职任务")
    states = dict(ReportState.choices)
    rows = list(report.history.select_related("actor").order_by("created", "pk"))
    for row in rows:
        row.action_label = labels.get(row.action, row.action)
        row.state_label = states.get(row.to_state, row.to_state)
    return rows


def _detail_context(request, report, **forms):
    user = request.user
    writable = (
        user.has_perm("performance.write_report", report)
        and report.state in services.WRITABLE_STATES
    )
    reviewer = _is_reviewer(user)
    context = {
        "report": report,
        "writable": writable,
        "reviewer": reviewer,
        "history": _history(report),
        "text_form": forms.get("text_form")
        or (ReportTextForm(initial={"text": report.text or report.draft}) if writable else None),
        "return_form": forms.get("return_form")
        or (ReportReturnForm() if reviewer and report.state == ReportState.SUBMITTED else None),
        "assess_form": forms.get("assess_form")
        or (ReportAssessForm() if reviewer and report.state == ReportState.SCHEDULED else None),
        "schedule_form": forms.get("schedule_form")
        or (
            ReportScheduleForm(committee=request.committee)
            if reviewer and report.state == ReportState.SUBMITTED
            else None
        ),
    }
    return context


@login_required
def report_detail(request, pk):
    report = _report_or_404(request, pk)
    if request.method != "POST":
        return render(request, "performance/report_detail.html", _detail_context(request, report))
    action = request.POST.get("action", "")
    forms = {}
    try:
        if action in ("save", "submit"):
            form = forms["text_form"] = ReportTextForm(request.POST)
            if form.is_valid():
                if action == "save":
                    services.report_save(
                        actor=request.user, report=report, text=form.cleaned_data["text"]
                    )
                    messages.success(request, _("述职报告已保存。"))
                else:
                    services.report_submit(
                        actor=request.user, report=report, text=form.cleaned_data["text"]
                    )
                    messages.success(request, _("述职报告已提交。"))
                return redirect("performance:report_detail", pk=report.pk)
        elif action == "return":
            form = forms["return_form"] = ReportReturnForm(request.POST)
            if form.is_valid():
                services.report_return(
                    actor=request.user, report=report, note=form.cleaned_data["note"]
                )
                messages.success(request, _("已退回修改。"))
                return redirect("performance:report_detail", pk=report.pk)
        elif action == "schedule":
            form = forms["schedule_form"] = ReportScheduleForm(
                request.POST, committee=request.committee
            )
            if form.is_valid():
                services.reports_schedule(
                    actor=request.user, reports=[report], meeting=form.cleaned_data["meeting"]
                )
                messages.success(request, _("已安排述职。"))
                return redirect("performance:report_detail", pk=report.pk)
        elif action == "assess":
            form = forms["assess_form"] = ReportAssessForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                services.report_assess(
                    actor=request.user,
                    report=report,
                    assessment=data["assessment"],
                    score=data["assessment_score"],
                    note=data["assessment_note"],
                )
                messages.success(request, _("测评结果已登记。"))
                return redirect("performance:report_detail", pk=report.pk)
        else:
            raise PermissionDenied
    except ValidationError as exc:
        attach_errors(form, exc)
    except InvalidTransition as exc:
        messages.error(request, str(exc))
        return redirect("performance:report_detail", pk=report.pk)
    report.refresh_from_db()
    return render(
        request,
        "performance/report_detail.html",
        _detail_context(request, report, **forms),
        status=400,
    )


@login_required
@require_POST
def report_schedule(request):
    """Schedule the ticked submitted reports at one standing-committee meeting."""
    if not _is_reviewer(request.user):
        raise PermissionDenied
    form = ReportScheduleForm(request.POST, committee=request.committee)
    ids = [int(i) for i in request.POST.getlist("reports") if i.isdigit()]
    chosen = list(DutyReport.objects.filter(pk__in=ids))
    if not form.is_valid():
        messages.error(request, "".join(m for e in form.errors.values() for m in e))
    elif not chosen or len(chosen) != len(set(ids)):
        messages.error(request, _("请选择要安排的述职报告。"))
    else:
        try:
            done = services.reports_schedule(
                actor=request.user, reports=chosen, meeting=form.cleaned_data["meeting"]
            )
        except (ValidationError, InvalidTransition) as exc:
            messages.error(request, "".join(error_messages(exc)))
        else:
            messages.success(request, _("已安排%(n)s名委员述职。") % {"n": len(done)})
    return redirect("performance:report_list")


# Political self-check --------------------------------------------------------------------


def _year_of(request):
    field = year_field()
    try:
        return field.clean(request.GET.get("year") or request.POST.get("year") or None) or (
            timezone.localdate().year
        )
    except ValidationError:
        return timezone.localdate().year


@login_required
def check(request):
    if not request.user.has_perm("performance.own_dossier"):
        raise PermissionDenied
    membership = own_seat(request.user, request.committee)
    if membership is None:
        return render(request, "performance/dossier_none.html", status=404)
    year = _year_of(request)
    existing = PoliticalCheck.objects.filter(membership=membership, year=year).first()
    submitted = existing is not None and existing.submitted_at is not None
    initial = CheckForm.initial_from(existing.answers if existing else {})
    form = CheckForm(
        request.POST if request.method == "POST" and not submitted else None,
        initial=initial,
        disabled=submitted,
    )
    status, error = 200, ""
    if request.method == "POST":
        if submitted:
            error = _("本年度政治体检已提交,不能再修改。")
            status = 400
        elif form.is_valid():
            submit = request.POST.get("action") == "submit"
            try:
                services.check_save(
                    actor=request.user,
                    membership=membership,
                    year=year,
                    answers=form.answers(),
                    submit=submit,
                )
            except ValidationError as exc:
                attach_errors(form, exc)
                status = 400
            else:
                messages.success(
                    request, _("政治体检已提交。") if submit else _("政治体检草稿已保存。")
                )
                return redirect(f"{request.path}?year={year}")
        else:
            status = 400
    context = {
        "form": form,
        "year": year,
        "check": existing,
        "submitted": submitted,
        "error": error,
        "membership": membership,
        "questions": services.CHECK_QUESTIONS,
    }
    return render(request, "performance/check.html", context, status=status)


@login_required
def check_list(request):
    if not request.user.has_perm("performance.review_check"):
        raise PermissionDenied
    year = _year_of(request)
    members = (
        Membership.objects.filter(committee=request.committee)
        .in_office()
        .select_related("person", "sector")
        .order_by("person__name", "pk")
    )
    state = request.GET.get("state", "")
    submitted_ids = PoliticalCheck.objects.filter(year=year, submitted_at__isnull=False)
    if state == "submitted":
        members = members.filter(political_checks__in=submitted_ids)
    elif state == "missing":
        members = members.exclude(political_checks__in=submitted_ids)
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    checks = {
        c.membership_id: c
        for c in PoliticalCheck.objects.filter(
            year=year, membership__in=[m.pk for m in page.object_list]
        )
    }
    rows = [(m, checks.get(m.pk)) for m in page.object_list]
    done = PoliticalCheck.objects.filter(
        year=year,
        submitted_at__isnull=False,
        membership__in=Membership.objects.filter(committee=request.committee).in_office(),
    ).count()
    context = {
        "page": page,
        "rows": rows,
        "year": year,
        "state": state,
        "done": done,
    }
    return render(request, "performance/check_list.html", context)


@login_required
def check_detail(request, pk):
    item = (
        PoliticalCheck.objects.select_related("membership__person", "reviewed_by")
        .filter(pk=pk)
        .first()
    )
    allowed = item is not None and (
        request.user.has_perm("performance.review_check", item)
        or request.user.has_perm("performance.fill_check", item)
    )
    if not allowed:
        raise Http404
    reviewer = request.user.has_perm("performance.review_check", item)
    form = CheckReviewForm(request.POST or None, initial={"note": item.review_note})
    status = 200
    if request.method == "POST":
        if not reviewer:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.check_review(
                    actor=request.user, check=item, note=form.cleaned_data["note"]
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("审阅意见已保存。"))
                return redirect("performance:check_detail", pk=item.pk)
        status = 400
    answers = [
        (question, problem, (item.answers or {}).get(key) or {})
        for key, question, problem in services.CHECK_QUESTIONS
    ]
    context = {"item": item, "answers": answers, "form": form if reviewer else None}
    return render(request, "performance/check_detail.html", context, status=status)


urlpatterns = [
    path("reports/", report_list, name="report_list"),
    path("reports/assign/", report_assign, name="report_assign"),
    path("reports/schedule/", report_schedule, name="report_schedule"),
    path("reports/<int:pk>/", report_detail, name="report_detail"),
    path("check/", check, name="check"),
    path("checks/", check_list, name="check_list"),
    path("checks/<int:pk>/", check_detail, name="check_detail"),
]
