"""What the dashboard (统计总览) and the descendants' page (下级政协统计) show, as data.

``dashboard_data`` turns one ``reports.figures.committee_report`` into cards (key figures per
area; an area that is not built yet is marked absent, never shown as zero), charts (lists of
``{"label", "value", "url"}`` for the ``data-chart`` renderer of ``site.js``), the duty-points
distribution of the year and trends over the last years. A figure links to the records behind it
only where a list page can filter them (``year`` / ``session`` / category / state …); for a term
there is no such filter, so there are no links.

``descendants_data`` puts the committee's direct children side by side with the aggregate (the
committee and everything below it added up); it carries figures only, never links.

``dashboard_xlsx`` / ``descendants_xlsx`` write the same tables to .xlsx and audit the export.
"""

import io
import math
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from zhengxie.core.audit import audit_record
from zhengxie.core.models import AuditAction
from zhengxie.organisation.models import HandlingUnit, Membership, MembershipStatus
from zhengxie.performance.scoring import committee_scores
from zhengxie.proposals.models import ProposalCategory
from zhengxie.reports import figures
from zhengxie.reports.catalogue import AREAS, BY_NAME, RATE

# Key figures of each area, in the order cards show them.
KEY_FIGURES = {
    "proposals": [
        "proposals_received",
        "proposals_registered",
        "registration_rate",
        "key_proposals",
        "proposals_replied",
        "reply_rate",
        "adoption_rate",
        "satisfaction_attitude_rate",
        "satisfaction_result_rate",
        "livelihood_share",
    ],
    "opinions": [
        "opinions_received",
        "opinions_used",
        "bulletin_issues",
        "bulletin_items",
        "opinions_forwarded",
        "opinions_adopted_city",
        "opinions_adopted_province",
        "opinions_adopted_national",
    ],
    "consultations": ["plan_items", "plan_items_held", "outcome_reports", "recommendations"],
    "meetings": [
        "plenary_meetings",
        "standing_meetings",
        "chairs_meetings",
        "special_committee_meetings",
        "attendance_rate",
        "members_added",
        "members_resigned",
    ],
    "speeches": ["plenary_speeches", "livelihood_speeches", "livelihood_speech_share"],
    "activities": ["inspections", "research_activities", "research_reports"],
    "supervision": [
        "supervision_groups",
        "supervision_recommendations",
        "supervision_recommendations_answered",
    ],
    "places": ["reception_rooms", "reception_visits", "issues_recorded"],
    "study": ["study_sessions", "training_materials"],
    "archives": ["archive_volumes", "archive_words", "archive_images", "periodical_issues"],
    "publicity": ["media_news_items", "higher_media_reports", "portal_news_items"],
}
# Figures whose years the dashboard draws as trends (the last TREND_YEARS years).
TREND_FIGURES = ["registration_rate", "adoption_rate", "opinions_used"]
TREND_YEARS = 4
# Meeting categories (meetings.MeetingCategory values) of the catalogue's meeting counts.
MEETING_CATEGORIES = {
    "plenary_meetings": "plenary",
    "standing_meetings": "standing",
    "chairs_meetings": "chairs",
    "special_committee_meetings": "special_committee",
}
# Proposal outcomes drawn as "proposals by state": figure -> ProposalState value (None: several).
PROPOSAL_OUTCOMES = {
    "proposals_registered": None,
    "proposals_merged": "merged",
    "proposals_to_opinion_letters": "to_opinion_letter",
    "proposals_to_public_opinion": "to_public_opinion",
    "proposals_not_registered": "not_registered",
}
ACTIVITY_CATEGORIES = {"inspections": "inspection", "research_activities": "research"}
MAX_BINS = 10


def figure_text(name, value):
    """A figure as the pages print it: rates with one decimal, None as "—"."""
    if value is None:
        return "—"
    if BY_NAME[name].kind == RATE:
        return f"{value * 100:.1f}%"
    return str(value)


def _percent(value):
    return None if value is None else round(value * 100, 1)


# Drill-down links ----------------------------------------------------------------------------


class Links:
    """URLs of the list pages behind figures for one period (None where no filter fits)."""

    def __init__(self, period):
        self.year = period.year
        self.session = period.session

    def _url(self, name, **params):
        return f"{reverse(name)}?{urlencode(params)}"

    def proposals(self, **params):
        if self.year is not None:
            return self._url("proposals:list", view="all", year=self.year, **params)
        if self.session is not None:
            return self._url("proposals:list", view="all", session=self.session.pk, **params)
        return None

    def _by_year(self, name, **params):
        if self.year is None:
            return None
        return self._url(name, **{**params, "year": self.year})

    def opinions(self):
        return self._by_year("opinions:list", view="all")

    def meetings(self, category):
        return self._by_year("meetings:list", category=category)

    def activities(self, category):
        return self._by_year("activities:list", category=category)

    def supervision(self):
        return self._by_year("supervision:group_list")

    def for_figure(self, name):
        """The records behind a scalar figure, or None."""
        if name == "proposals_received":
            return self.proposals()
        if name == "key_proposals":
            return self.proposals(key="1")
        if PROPOSAL_OUTCOMES.get(name):
            return self.proposals(state=PROPOSAL_OUTCOMES[name])
        if name == "opinions_received":
            return self.opinions()
        if name in MEETING_CATEGORIES:
            return self.meetings(MEETING_CATEGORIES[name])
        if name in ACTIVITY_CATEGORIES:
            return self.activities(ACTIVITY_CATEGORIES[name])
        if name == "supervision_groups":
            return self.supervision()
        return None


# The dashboard -------------------------------------------------------------------------------


def _cards(report, links):
    cards = []
    for code, area in AREAS.items():
        present = report.present.get(code, False)
        figures = []
        if present:
            for name in KEY_FIGURES.get(code, []):
                value = report.values.get(name)
                figures.append(
                    {
                        "name": name,
                        "label": str(BY_NAME[name].label),
                        "value": value,
                        "text": figure_text(name, value),
                        "url": links.for_figure(name),
                    }
                )
        cards.append(
            {"code": code, "label": str(area.label), "present": present, "figures": figures}
        )
    return cards


def _ids_by_name(queryset):
    return {name: pk for pk, name in queryset.values_list("pk", "name")}


def _chart(chart_id, title, rows, *, kind="bar", unit="", area=""):
    return {"id": chart_id, "title": title, "kind": kind, "rows": rows, "unit": unit, "area": area}


def _charts(report, links):

    values, present = report.values, report.present
    charts = []
    if present.get("proposals"):
        charts.append(
            _chart(
                "chart-proposal-outcomes",
                _("收到提案处理情况"),
                [
                    {
                        "label": str(BY_NAME[name].label),
                        "value": values[name],
                        "url": links.for_figure(name),
                    }
                    for name in PROPOSAL_OUTCOMES
                ],
                area="proposals",
            )
        )
        with_links = links.proposals() is not None
        categories = _ids_by_name(ProposalCategory.objects.all()) if with_links else {}
        charts.append(
            _chart(
                "chart-proposal-categories",
                _("立案提案按类别"),
                [
                    {
                        **row,
                        "url": links.proposals(category=categories[row["label"]])
                        if row["label"] in categories
                        else None,
                    }
                    for row in values["by_category"] or []
                ],
                area="proposals",
            )
        )
        units = _ids_by_name(HandlingUnit.objects.all()) if with_links else {}
        charts.append(
            _chart(
                "chart-proposal-units",
                _("立案提案按主办单位"),
                [
                    {
                        **row,
                        "url": links.proposals(unit=units[row["label"]])
                        if row["label"] in units
                        else None,
                    }
                    for row in values["by_main_unit"] or []
                ],
                area="proposals",
            )
        )
        charts.append(
            _chart(
                "chart-proposal-rates",
                _("立案、答复、采纳与满意率"),
                [
                    {
                        "label": str(BY_NAME[name].label),
                        "value": _percent(values[name]),
                        "text": figure_text(name, values[name]),
                        "url": None,
                    }
                    for name in (
                        "registration_rate",
                        "reply_rate",
                        "adoption_rate",
                        "satisfaction_attitude_rate",
                        "satisfaction_result_rate",
                    )
                ],
                unit="%",
                area="proposals",
            )
        )
    if present.get("opinions"):
        charts.append(
            _chart(
                "chart-opinion-adoptions",
                _("社情民意信息采用(按级别)"),
                [
                    {"label": str(BY_NAME[name].label), "value": values[name], "url": None}
                    for name in (
                        "opinions_used",
                        "opinions_adopted_city",
                        "opinions_adopted_province",
                        "opinions_adopted_national",
                    )
                ],
                area="opinions",
            )
        )
    if present.get("meetings"):
        by_category = values.get("attendance_rate_by_category") or {}
        charts.append(
            _chart(
                "chart-meetings",
                _("会议召开次数(按类别)"),
                [
                    {
                        "label": str(BY_NAME[name].label),
                        "value": values[name],
                        "url": links.meetings(category),
                    }
                    for name, category in MEETING_CATEGORIES.items()
                ],
                area="meetings",
            )
        )
        charts.append(
            _chart(
                "chart-attendance",
                _("会议出席率(按类别)"),
                [
                    {
                        "label": str(BY_NAME[name].label),
                        "value": _percent(by_category.get(category)),
                        "text": figure_text("attendance_rate", by_category.get(category)),
                        "url": links.meetings(category),
                    }
                    for name, category in MEETING_CATEGORIES.items()
                ],
                unit="%",
                area="meetings",
            )
        )
    work = []
    if present.get("activities"):
        work += [
            {
                "label": str(BY_NAME[name].label),
                "value": values[name],
                "url": links.for_figure(name),
            }
            for name in ("inspections", "research_activities", "research_reports")
        ]
    if present.get("supervision"):
        work += [
            {
                "label": str(BY_NAME[name].label),
                "value": values[name],
                "url": links.for_figure(name),
            }
            for name in (
                "supervision_groups",
                "supervision_recommendations",
                "supervision_recommendations_answered",
            )
        ]
    if work:
        charts.append(_chart("chart-work", _("视察调研与民主监督"), work, area="activities"))
    return charts


def points_year(period):
    """The calendar year whose duty points the dashboard shows for ``period``."""
    return period.year if period.year is not None else timezone.localdate().year


def _bin_width(low, high):
    span = max(high - low, 1)
    for magnitude in (1, 10, 100, 1000, 10000):
        for step in (1, 2, 5):
            if math.ceil((span + 1) / (step * magnitude)) <= MAX_BINS:
                return step * magnitude
    return 10**6


def points_distribution(*, committee, year):
    """Histogram of the year's duty points of the members in office (no rows: 0 points).

    Returns ``{"year", "members", "rows": [{"label", "value"}], "width"}``; bins are
    left-closed (a member with exactly 10 points falls in 10–20)."""
    scores = committee_scores(committee=committee, year=year)
    in_office = Membership.objects.filter(status=MembershipStatus.IN_OFFICE).values_list(
        "pk", flat=True
    )
    totals = [scores.get(pk, Decimal(0)) for pk in in_office]
    if not totals:
        return {"year": year, "members": 0, "rows": [], "width": None}
    low = math.floor(min(totals))
    high = math.floor(max(totals))
    width = _bin_width(low, high)
    start = (low // width) * width
    bins = [0] * ((high - start) // width + 1)
    for total in totals:
        bins[int((math.floor(total) - start) // width)] += 1
    rows = [
        {
            "label": _("%(low)s–%(high)s分")
            % {"low": start + i * width, "high": start + (i + 1) * width},
            "value": n,
        }
        for i, n in enumerate(bins)
    ]
    return {"year": year, "members": len(totals), "rows": rows, "width": width}


def trend_years(period):
    last = points_year(period)
    return list(range(last - TREND_YEARS + 1, last + 1))


def _trend_charts(series):
    charts = []
    for name, points in series.items():
        figure = BY_NAME[name]
        rate = figure.kind == RATE
        charts.append(
            _chart(
                f"chart-trend-{name.replace('_', '-')}",
                _("%(figure)s(近%(n)s年)") % {"figure": figure.label, "n": len(points)},
                [
                    {
                        "label": str(year),
                        "value": _percent(value) if rate else value,
                        "text": figure_text(name, value),
                        "url": None,
                    }
                    for year, value in points
                ],
                unit="%" if rate else "",
                area=figure.area,
            )
        )
    return charts


def dashboard_data(*, committee, period):
    """Everything the dashboard shows for ``committee`` and ``period`` (inside its scope)."""
    report = figures.committee_report(committee=committee, **period.arguments)
    links = Links(period)
    years = trend_years(period)
    names = [n for n in TREND_FIGURES if report.present.get(BY_NAME[n].area)]
    # The period's own year is already in the report: only the earlier years are computed.
    reuse = period.year == years[-1]
    series = (
        figures.trend(committee=committee, names=names, years=years[:-1] if reuse else years)
        if names
        else {}
    )
    if reuse:
        for name in names:
            series[name].append((period.year, report.values[name]))
    points = points_distribution(committee=committee, year=points_year(period))
    return {
        "report": report,
        "cards": _cards(report, links),
        "charts": _charts(report, links),
        "trends": _trend_charts(series),
        "points": points,
    }


def chart_json(chart):
    """The list the ``data-chart`` renderer reads: ``[{"label", "value"}]``."""
    return [{"label": row["label"], "value": row["value"]} for row in chart["rows"]]


# The descendants' table ----------------------------------------------------------------------


def descendants_data(*, committee, year):
    """Children side by side with the aggregate: ``{"columns", "rows"}``; empty without children.

    Each row is a key figure of an area built somewhere: ``{"name", "label", "area", "cells":
    [text per column]}``; the last column is the aggregate (the committee and all below it)."""
    children = figures.descendants_side_by_side(committee=committee, year=year)
    if not children:
        return {"columns": [], "rows": [], "reports": []}
    aggregate = figures.committee_report(committee=committee, year=year, aggregate=True)
    reports = [*children, aggregate]
    columns = [
        *[str(r.committee.short_name or r.committee.name) for r in children],
        _("本级及下级合计"),
    ]
    rows = []
    for code, area in AREAS.items():
        if not any(r.present.get(code) for r in reports):
            cells = [_("尚未启用")] * len(reports)
            rows.append(
                {"name": f"absent-{code}", "label": "", "area": str(area.label), "cells": cells}
            )
            continue
        for name in KEY_FIGURES.get(code, []):
            cells = [
                figure_text(name, r.values.get(name)) if r.present.get(code) else _("尚未启用")
                for r in reports
            ]
            rows.append(
                {
                    "name": name,
                    "label": str(BY_NAME[name].label),
                    "area": str(area.label),
                    "cells": cells,
                }
            )
    return {"columns": columns, "rows": rows, "reports": reports}


# .xlsx ---------------------------------------------------------------------------------------


def _sheet(wb, title, headers, rows, widths):
    ws = wb.create_sheet(title[:31])
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    ws.freeze_panes = "A2"
    for index, width in enumerate(widths):
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    return ws


def _save(wb):
    del wb[wb.sheetnames[0]]
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def dashboard_xlsx(*, actor, committee, period, data):
    """The dashboard's tables as .xlsx: key figures, every chart's rows, points, trends."""
    wb = Workbook()
    label = str(period.label)
    figure_rows = []
    for card in data["cards"]:
        if not card["present"]:
            figure_rows.append([card["label"], "", _("尚未启用")])
        for f in card["figures"]:
            figure_rows.append([card["label"], f["label"], f["text"]])
    _sheet(wb, _("主要数据"), [_("领域"), _("指标"), label], figure_rows, (14, 24, 14))
    for chart in [*data["charts"], *data["trends"]]:
        _sheet(
            wb,
            chart["title"],
            [_("项目"), _("数值")],
            [[row["label"], row.get("text", row["value"])] for row in chart["rows"]],
            (30, 12),
        )
    points = data["points"]
    _sheet(
        wb,
        _("履职积分分布"),
        [_("积分"), _("委员数")],
        [[row["label"], row["value"]] for row in points["rows"]],
        (18, 10),
    )
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        committee=committee,
        object_type="reports.Dashboard",
        object_label=_("统计总览"),
        after={"period": period.describe(), "rows": len(figure_rows)},
        note=_("导出统计总览(%(period)s)") % {"period": label},
    )
    return _save(wb)


def descendants_xlsx(*, actor, committee, year, data):
    """The descendants' side-by-side table as .xlsx (figures only)."""
    wb = Workbook()
    _sheet(
        wb,
        _("下级政协统计"),
        [_("领域"), _("指标"), *data["columns"]],
        [[row["area"], row["label"], *row["cells"]] for row in data["rows"]],
        (14, 24, *([14] * len(data["columns"]))),
    )
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        committee=committee,
        object_type="reports.Descendants",
        object_label=_("下级政协统计"),
        after={"year": year, "committees": data["columns"][:-1], "rows": len(data["rows"])},
        note=_("导出下级政协统计(%(year)s年)") % {"year": year},
    )
    return _save(wb)
