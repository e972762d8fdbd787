"""Score pages: one member's score explained rule by rule and record by record, the committee
ranking (whole committee, by sector or by group) with commendation candidates, and its .xlsx
export. Views are access → queries → response; scores come from ``scoring`` and ``queries``."""

import io

from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Font

from zhengxie.core.audit import audit_record
from zhengxie.core.duty import DUTY_KINDS
from zhengxie.core.models import AuditAction
from zhengxie.organisation.models import Membership
from zhengxie.performance import queries, scoring, tables
from zhengxie.performance.models import PointTableVersion
from zhengxie.performance.views.rules import year_choices, year_or_404

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
GROUPINGS = {"": _lazy("全体委员"), "sector": _lazy("按界别"), "group": _lazy("按活动小组")}


def _version(request, table):
    """The table's version named by ``?version=<n>`` (404 if it has none such), else None."""
    number = request.GET.get("version", "")
    if not number:
        return None
    if not number.isdigit():
        raise Http404
    return get_object_or_404(PointTableVersion.objects.filter(table=table), number=int(number))


def _versions(table):
    return list(table.versions.order_by("-number").values_list("number", flat=True))


def _source_links(lines):
    """{record pk: url} for records whose source has a page (``get_absolute_url``): one query
    per kind of source."""
    wanted = {}
    for line in lines:
        record = line.record
        if record.source_type_id and record.source_id:
            wanted.setdefault(record.source_type_id, set()).add(record.source_id)
    urls = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None or not hasattr(model, "get_absolute_url"):
            continue
        found = {obj.pk: obj.get_absolute_url() for obj in model._base_manager.filter(pk__in=ids)}
        for line in lines:
            r = line.record
            if r.source_type_id == type_id and r.source_id in found:
                urls[r.pk] = found[r.source_id]
    return urls


@login_required
@require_GET
def score(request, pk, year):
    user = request.user
    if not (user.has_perm("performance.view_scores") or user.has_perm("performance.own_dossier")):
        raise PermissionDenied
    membership = get_object_or_404(
        Membership.objects.select_related("person", "sector", "group", "term"), pk=pk
    )
    if not user.has_perm("performance.view_dossier", membership):
        raise Http404  # another member's score answers like a missing one
    year = year_or_404(year)
    table = tables.table_ensure(committee=request.committee, year=year)
    breakdown = scoring.member_breakdown(
        membership=membership, year=year, version=_version(request, table)
    )
    links = _source_links(breakdown.lines)
    lines = [
        {
            "line": line,
            "kind_label": _kind_label(line.record.kind, line.record.sub_kind),
            "url": links.get(line.record.pk, ""),
        }
        for line in breakdown.lines
    ]
    context = {
        "membership": membership,
        "year": year,
        "years": year_choices(year),
        "breakdown": breakdown,
        "lines": lines,
        "versions": _versions(table),
        "latest": table.versions.order_by("-number").first(),
    }
    return render(request, "performance/score.html", context)


def _kind_label(kind, sub_kind):
    known = DUTY_KINDS.get(kind)
    if known is None:
        return kind
    if sub_kind:
        return f"{known.label}·{known.sub_kinds.get(sub_kind, sub_kind)}"
    return str(known.label)


def _ranking_arguments(request):
    if not request.user.has_perm("performance.view_scores"):
        raise PermissionDenied
    year = year_or_404(request.GET.get("year"))
    table = tables.table_ensure(committee=request.committee, year=year)
    version = _version(request, table) or table.versions.order_by("-number").first()
    by = request.GET.get("by", "")
    by = by if by in queries.GROUPINGS else ""
    return year, table, version, by


@login_required
@require_GET
def ranking(request):
    year, table, version, by = _ranking_arguments(request)
    rows = queries.ranking(committee=request.committee, year=year, version=version, by=by or None)
    context = {
        "year": year,
        "years": year_choices(year),
        "version": version,
        "versions": _versions(table),
        "by": by,
        "groupings": GROUPINGS,
        "rows": rows,
        "candidates": sum(1 for r in rows if r.candidate),
        "below_pass": sum(1 for r in rows if r.below_pass),
        "quota": queries.commendation_quota(len(rows), version.commendation_share),
    }
    return render(request, "performance/ranking.html", context)


HEADERS = ["名次", "姓名", "界别", "活动小组", "年度积分", "优秀委员候选人", "低于合格分"]


@login_required
@require_GET
def ranking_export(request):
    year, _table, version, by = _ranking_arguments(request)
    rows = queries.ranking(committee=request.committee, year=year, version=version, by=by or None)
    wb = Workbook()
    ws = wb.active
    ws.title = f"{year}年度履职积分排名"
    headers = HEADERS if not by else [*HEADERS[:1], "组内名次", *HEADERS[1:]]
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        m = r.membership
        cells = [
            r.rank,
            m.person.name,
            m.sector.name,
            m.group.name if m.group else "",
            float(r.score),
            "是" if r.candidate else "",
            "是" if r.below_pass else "",
        ]
        if by:
            cells.insert(1, r.group_rank)
        ws.append(cells)
    ws.freeze_panes = "A2"
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        committee=request.committee,
        object_type="performance.PointTable",
        object_label=_("%(y)s年度履职积分排名") % {"y": year},
        after={"year": year, "version": version.number, "by": by, "rows": len(rows)},
        note=_("导出%(y)s年度履职积分排名(%(n)s人)") % {"y": year, "n": len(rows)},
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''ranking-{year}.xlsx"
    return response


urlpatterns = [
    path("ranking/", ranking, name="ranking"),
    path("ranking/export.xlsx", ranking_export, name="ranking_export"),
    path("score/<int:pk>/<int:year>/", score, name="score"),
]
