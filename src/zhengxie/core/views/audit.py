from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from zhengxie.core import queries
from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.core.models import AuditAction


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


@login_required
def audit_list(request):
    if not request.user.has_perm("core.view_audit"):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = queries.audit_entries(
        committee=request.committee, **{k: v for k, v in filters.items() if v}
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    template = "core/audit.html#results" if request.htmx else "core/audit.html"
    return render(request, template, {"form": form, "page": page})
