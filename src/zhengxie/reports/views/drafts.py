"""The work-report drafts page (工作报告数据): choose a period and a kind of report, read the
draft's prose, download it as .md or .docx.

Views are thin: permission → period and kind → ``figures.committee_report`` →
``drafts`` → response. The kind is part of the page's path (``drafts/<kind>/``) so that the
shared period chooser, whose forms submit only year / session / term, keeps it.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhengxie.core.periods import PeriodForm
from zhengxie.organisation.models import Session, Term
from zhengxie.reports import drafts
from zhengxie.reports.figures import committee_report

PERMISSION = "reports.draft_reports"


def _check(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _report(request, kind, fmt=None):
    """(report or None, errors) for the query string's period (``_default_period`` if none)."""
    errors = []
    if kind not in drafts.KINDS:
        errors.append(_("报告类型无效。"))
    if fmt is not None and fmt not in drafts.FORMATS:
        errors.append(_("下载格式无效,应为 md 或 docx。"))
    form = PeriodForm(request.GET)
    if not form.is_valid():
        errors += [e for field_errors in form.errors.values() for e in field_errors]
    if errors:
        return None, errors
    data = form.cleaned_data
    period = {k: data[k] for k in ("session", "year", "term") if data[k] is not None}
    if not period:
        period = _default_period(kind)
    try:
        return committee_report(committee=request.committee, **period), []
    except Http404:
        return None, [_("所选会议或届次不存在。")]
    except ValidationError as error:
        return None, list(error.messages)


def _default_period(kind):
    """No period chosen: the current term for a term report, this year otherwise."""
    if kind == "term":
        term = Term.objects.order_by("-starts_on").first()
        if term is not None:
            return {"term": term}
    return {"year": timezone.localdate().year}


@login_required
@require_GET
def drafts_page(request, kind=None):
    _check(request)
    kind = kind or request.GET.get("kind") or "annual"
    report, errors = _report(request, kind)
    context = {
        "kind": kind if kind in drafts.KINDS else "annual",
        "kinds": [(code, str(label)) for code, label in drafts.KINDS.items()],
        "sessions": Session.objects.select_related("term").order_by("-opens_on"),
        "terms": Term.objects.order_by("-number"),
        "errors": errors,
        "period": report.period if report else None,
    }
    if report is not None:
        context.update(
            draft=drafts.draft_content(report, kind),
            period_label=str(report.period.label),
            period_query=_period_query(report.period),
        )
    return render(request, "reports/drafts.html", context, status=400 if errors else 200)


def _period_query(period):
    described = period.describe()
    if described["kind"] == "year":
        return f"year={period.year}"
    return f"{described['kind']}={described['id']}"


@login_required
@require_GET
def draft_download(request):
    _check(request)
    kind = request.GET.get("kind") or "annual"
    fmt = request.GET.get("format") or "docx"
    report, errors = _report(request, kind, fmt)
    if errors:
        return HttpResponse(
            "\n".join(str(e) for e in errors), status=400, content_type="text/plain; charset=utf-8"
        )
    if fmt == "md":
        response = HttpResponse(drafts.draft_markdown(report, kind), content_type=drafts.MARKDOWN)
    else:
        response = HttpResponse(drafts.draft_docx(report, kind), content_type=drafts.DOCX)
    drafts.record_download(actor=request.user, report=report, kind=kind, fmt=fmt)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=drafts.filename(report, kind, fmt)
    )
    return response


urlpatterns = [
    path("drafts/", drafts_page, name="drafts"),
    path("drafts/download/", draft_download, name="draft_download"),
    path("drafts/<slug:kind>/", drafts_page, name="drafts_kind"),
]
