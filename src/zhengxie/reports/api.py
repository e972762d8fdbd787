"""The report-data API: every catalogue figure of a committee (or of it and its descendants,
added up) for one period, by catalogue name (``reports.figures.report_json``).

A committee other than the user's own may be named only if it is one of its descendants; any
other code answers 404 exactly like a code that does not exist."""

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from zhengxie.core.api import ERROR_RESPONSES, ErrorOut, ObjectId, Text
from zhengxie.core.periods import MAX_YEAR, MIN_YEAR
from zhengxie.organisation.models import Committee
from zhengxie.reports.figures import committee_report, report_json

router = Router(tags=["统计与报告"])


class AnnualQuery(Schema):
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="年度(自然年)")
    session: ObjectId | None = Field(
        None, description="会议 ID:自该次全体会议开幕日至下次全体会议开幕前一日"
    )
    term: ObjectId | None = Field(
        None, description="届 ID:自本届首次全体会议至下届首次全体会议前一日"
    )
    committee: Annotated[Text, Field(max_length=32)] | None = Field(
        None, description="委员会代码:本会或其下级政协;省略时为本会"
    )
    aggregate: bool = Field(
        False, description="true:本会及全部下级政协汇总(仅限按年度);false:仅本会"
    )


class CommitteeBriefOut(Schema):
    id: int
    code: str = Field(description="委员会代码")
    name: str
    short_name: str
    level: str = Field(description="级别:county、city、province、national")


class PeriodOut(Schema):
    kind: str = Field(description="session、year 或 term")
    id: int | None = Field(description="会议或届的 ID;年度为 null")
    label: str = Field(description="期间名称,如“2025年”“十届三次会议”")


class ReportOut(Schema):
    committee: CommitteeBriefOut = Field(description="统计的委员会")
    period: PeriodOut
    aggregate: bool = Field(description="是否为本会及下级政协的汇总")
    committees: list[CommitteeBriefOut] = Field(description="计入的委员会(汇总时含全部下级)")
    figures: dict[str, Any] = Field(
        description="按统计口径名称的数值:计数为整数;比率为 0 到 1 的小数(无分母时为 null);"
        "分组计数为 [{label, value}] 列表或按键计数的对象;尚未建设的领域为 null"
    )
    absent: list[str] = Field(description="尚未建设的领域的统计项名称(其值为 null,而不是 0)")
    definitions: dict[str, str] = Field(description="每个统计项的口径说明")
    labels: dict[str, str] = Field(description="每个统计项的中文名称")
    notes: dict[str, str] = Field(description="汇总时无法重新计算而为 null 的统计项及原因")


def _target(request, code):
    """The committee named by ``code``: the user's own or one of its descendants, else 404."""
    own = request.committee
    if not code or code == own.code:
        return own
    target = Committee.objects.filter(code=code).first()
    if target is None or target.pk not in set(own.descendant_ids()):
        raise Http404
    if not request.user.has_perm("reports.view_descendants"):
        raise PermissionDenied(_("您没有查看下级政协统计的权限。"))
    return target


@router.get(
    "/reports/annual",
    url_name="reports_annual",
    response={200: ReportOut, 400: ErrorOut, **ERROR_RESPONSES},
    summary="工作报告统计数据",
    description="一个统计期间的全部统计项(按统计口径名称):year(年度)、session(会议)或 "
    "term(届)三者必须且只能指定一个。committee 可指定本会或下级政协的代码(其他委员会一律 "
    "404);aggregate=true 时为本会及全部下级政协的年度汇总(会议和届不能汇总,返回 400)。"
    "汇总时计数相加,比率按分子分母重新计算。",
)
def annual(request, filters: Query[AnnualQuery]):
    if not request.user.has_perm("reports.view_dashboard"):
        raise PermissionDenied
    given = [p for p in (filters.session, filters.year, filters.term) if p is not None]
    if len(given) != 1:
        message = _("请指定且只指定一个统计期间:会议、年度或届。")
        error = {"loc": ["query"], "msg": message, "type": "period"}
        return Status(422, {"detail": message, "errors": [error]})
    committee = _target(request, filters.committee)
    if filters.aggregate and not request.user.has_perm("reports.view_descendants"):
        raise PermissionDenied(_("您没有查看下级政协汇总统计的权限。"))
    report = committee_report(
        committee=committee,
        year=filters.year,
        session=filters.session,
        term=filters.term,
        aggregate=filters.aggregate,
    )
    return report_json(report)
