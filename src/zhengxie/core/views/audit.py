from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from zhengxie.core import queries
from zhengxie.core.audit import audit_record, audit_workbook
from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.core.models import AuditAction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_LIMIT = 100_000


class AuditFilterForm(BootstrapFormMixin, forms.Form):
    action = forms.ChoiceField(
        label=_("操作"), required=False, choices=[("", _("全部"))] + AuditAction.choices
    )
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label=_("对象/说明"), required=False, max_length=100)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data


def _filtered(request):
    if not request.user.has_perm("core.view_audit"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = {k: v for k, v in filters.items() if v}
    return form, filters, queries.audit_entries(committee=request.committee, **filters)


@login_required
def audit_list(request):
    form, filters, entries = _filtered(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    template = "core/audit.html#results" if request.htmx else "core/audit.html"
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, template, {"form": form, "page": page, "export_query": query.urlencode()}
    )


@login_required
@require_GET
def audit_export(request):
    """The filtered audit rows as .xlsx (at most EXPORT_LIMIT); the export is itself audited."""
    form, filters, entries = _filtered(request)
    if form.is_bound and not form.is_valid():
        empty = Paginator([], 50).get_page(1)
        return render(request, "core/audit.html", {"form": form, "page": empty}, status=400)
    count = entries.count()
    if count > EXPORT_LIMIT:
        messages.error(
            request,
            _("符合条件的记录有 %(count)s 条,超过一次导出的上限 %(limit)s 条,请缩小日期范围。")
            % {"count": count, "limit": EXPORT_LIMIT},
        )
        return redirect(f"{reverse('core:audit')}?{request.GET.urlencode()}")
    content = audit_workbook(entries)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        committee=request.committee,
        object_type="core.AuditEntry",
        object_label=str(_("审计日志")),
        after={"count": count, **{k: str(v) for k, v in filters.items()}},
    )
    filename = f"audit-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
