"""The point table pages: the year's rules (everyone inside the committee reads them), the
editor (admins; every save is a new version through ``tables.table_save``) and the version
history with what each version changed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhengxie.core.duty import DUTY_KINDS
from zhengxie.core.periods import MAX_YEAR, MIN_YEAR
from zhengxie.performance import queries, tables
from zhengxie.performance.forms_rules import (
    ExitFormSet,
    RuleFormSet,
    RuleRowForm,
    TableHeaderForm,
    attach_row_errors,
    kept_forms,
)
from zhengxie.performance.models import ExitRule, PointRule, PointTableVersion


def _check(request, permission):
    if not request.user.has_perm(permission):
        raise PermissionDenied


def year_or_404(value) -> int:
    """A year from a URL or query string; a missing one is this year, a bad one a 404."""
    if value in (None, ""):
        return timezone.localdate().year
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return year


def year_choices(selected):
    this = timezone.localdate().year
    return sorted({*range(this - 4, this + 2), selected}, reverse=True)


def _latest(table):
    return table.versions.select_related("created_by").order_by("-number").first()


def rule_rows(version):
    """The version's rules as the page shows them (kind and sub-kind by label)."""
    rows = []
    for rule in version.rules.order_by("position", "pk"):
        kind = DUTY_KINDS.get(rule.kind)
        rows.append(
            {
                "rule": rule,
                "kind_label": kind.label if kind else rule.kind,
                "sub_label": (kind.sub_kinds.get(rule.sub_kind, rule.sub_kind) if kind else "")
                if rule.sub_kind
                else _("全部"),
            }
        )
    return rows


def exit_rows(version):
    return [
        queries.exit_prose(e.kind, e.meeting_category, e.scope, e.count)
        for e in version.exit_rules.order_by("position", "pk")
    ]


@login_required
@require_GET
def rules_page(request):
    _check(request, "performance.view_rules")
    year = year_or_404(request.GET.get("year"))
    table = tables.table_ensure(committee=request.committee, year=year)
    version = _latest(table)
    context = {
        "year": year,
        "years": year_choices(year),
        "table": table,
        "version": version,
        "rows": rule_rows(version),
        "exits": exit_rows(version),
        "can_edit": request.user.has_perm("performance.edit_rules"),
    }
    return render(request, "performance/rules.html", context)


def _initial(version):
    contents = tables.version_contents(version)
    header = {
        "pass_mark": contents["pass_mark"],
        "commendation_threshold": contents["commendation_threshold"],
        "commendation_share": contents["commendation_share"],
    }
    rules = [RuleRowForm.initial_of(r) for r in contents["rules"]]
    return header, rules, contents["exit_rules"]


@login_required
def rules_edit(request, year):
    _check(request, "performance.edit_rules")
    year = year_or_404(year)
    table = tables.table_ensure(committee=request.committee, year=year, actor=request.user)
    version = _latest(table)
    if request.method == "POST":
        header = TableHeaderForm(request.POST)
        rule_set = RuleFormSet(request.POST, prefix="rule")
        exit_set = ExitFormSet(request.POST, prefix="exit")
        if all([header.is_valid(), rule_set.is_valid(), exit_set.is_valid()]):
            rule_forms, exit_forms = kept_forms(rule_set), kept_forms(exit_set)
            contents = {
                "pass_mark": header.cleaned_data["pass_mark"],
                "commendation_threshold": header.cleaned_data["commendation_threshold"],
                "commendation_share": header.cleaned_data["commendation_share"],
                "rules": [f.row() for f in rule_forms],
                "exit_rules": [f.row() for f in exit_forms],
            }
            try:
                saved = tables.table_save(
                    actor=request.user,
                    table=table,
                    contents=contents,
                    note=header.cleaned_data["note"],
                )
            except ValidationError as exc:
                errors = exc.message_dict
                attach_row_errors(errors.pop("rules", []), rule_forms, rule_set)
                attach_row_errors(errors.pop("exit_rules", []), exit_forms, exit_set)
                for field, field_errors in errors.items():
                    header.add_error(field if field in header.fields else None, field_errors)
            else:
                messages.success(request, _("已保存为第%(n)s版积分规则。") % {"n": saved.number})
                return redirect(f"{reverse('performance:rules')}?year={year}")
        status = 400
    else:
        header_initial, rules_initial, exits_initial = _initial(version)
        header = TableHeaderForm(initial=header_initial)
        rule_set = RuleFormSet(initial=rules_initial, prefix="rule")
        exit_set = ExitFormSet(initial=exits_initial, prefix="exit")
        status = 200
    context = {
        "year": year,
        "version": version,
        "header": header,
        "rule_set": rule_set,
        "exit_set": exit_set,
    }
    return render(request, "performance/rules_edit.html", context, status=status)


@login_required
@require_GET
def rules_versions(request, year):
    _check(request, "performance.view_rules")
    year = year_or_404(year)
    table = tables.table_ensure(committee=request.committee, year=year)
    versions = list(
        PointTableVersion.objects.filter(table=table)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("rules", queryset=PointRule.objects.order_by("position", "pk")),
            Prefetch("exit_rules", queryset=ExitRule.objects.order_by("position", "pk")),
        )
        .order_by("number")
    )
    entries = [
        {
            "version": v,
            "diff": queries.version_diff(v, versions[n - 1] if n else None),
        }
        for n, v in enumerate(versions)
    ]
    entries.reverse()
    context = {"year": year, "years": year_choices(year), "table": table, "entries": entries}
    return render(request, "performance/rules_versions.html", context)


urlpatterns = [
    path("rules/", rules_page, name="rules"),
    path("rules/<int:year>/edit/", rules_edit, name="rules_edit"),
    path("rules/<int:year>/versions/", rules_versions, name="rules_versions"),
]
