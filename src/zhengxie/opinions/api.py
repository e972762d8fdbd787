"""The public-opinion API (read-only): the figures of a period, the report list and a report.
Who sees what is ``queries.visible_reports``; a report the user may not see answers 404."""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from zhengxie.core.api import ERROR_RESPONSES, ObjectId, Text, period_or_422
from zhengxie.core.periods import MAX_YEAR, MIN_YEAR
from zhengxie.opinions.models import BulletinItem, CoSubmitter, ReportState, SourceKind
from zhengxie.opinions.queries import LIST_VIEWS, report_list, visible_reports
from zhengxie.opinions.stats import opinion_figures

router = Router(tags=["社情民意"])


# --- statistics -----------------------------------------------------------------------------


class StatsQuery(Schema):
    session: ObjectId | None = Field(None, description="会议(届次)ID")
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="年度")
    term: ObjectId | None = Field(None, description="届 ID")


class PeriodOut(Schema):
    kind: str = Field(description="session、year 或 term")
    id: int | None = Field(description="会议或届的 ID;年度为 null")
    label: str


class CountRow(Schema):
    label: str
    value: int


class InstructionLevelsOut(Schema):
    county: int = Field(description="县级领导批示")
    city: int = Field(description="市级领导批示")
    province: int = Field(description="省级领导批示")
    national: int = Field(description="全国(中央)领导批示")


class OpinionStatsOut(Schema):
    period: PeriodOut
    opinions_received: int = Field(description="期间内报送的信息(不含草稿),含下级政协报送")
    opinions_received_own: int = Field(description="其中本级报送")
    opinions_received_from_lower: int = Field(description="其中下级政协报送")
    opinions_used: int = Field(description="收到的信息中本级已采用的")
    bulletin_issues: int = Field(description="期间内印发的刊物期数(按印发日期)")
    bulletin_items: int = Field(description="这些刊物刊发的信息篇数(单篇或综合)")
    opinions_forwarded: int = Field(description="报送上级政协的篇次")
    opinions_adopted_city: int = Field(description="被市级采用(单独、综合或编入刊物)的信息")
    opinions_adopted_province: int = Field(description="被省级采用的信息")
    opinions_adopted_national: int = Field(description="被全国政协采用的信息")
    instructions_by_level: InstructionLevelsOut
    instructions: int = Field(description="领导批示合计")
    by_source: list[CountRow] = Field(description="收到的信息按来源")


@router.get(
    "/opinions/stats",
    response={200: OpinionStatsOut, **ERROR_RESPONSES},
    summary="社情民意统计",
    description="一个统计期间的社情民意数据:session(会议)、year(年度)或 term(届)三者必须且"
    "只能指定一个。会议期间为开幕日至下次会议开幕前一日;届为首次全体会议至下届首次全体会议"
    "前一日。",
)
def opinion_stats(request, filters: Query[StatsQuery]):
    if not request.user.has_perm("opinions.view_stats"):
        raise PermissionDenied
    period, refusal = period_or_422(filters)
    if refusal is not None:
        return refusal
    figures = opinion_figures(committee=request.committee, **period.arguments)
    return {"period": period.describe(), **figures}


# --- reports --------------------------------------------------------------------------------


class OpinionItemOut(Schema):
    id: int
    title: str
    state: ReportState
    state_label: str
    source_kind: SourceKind
    source_label: str
    submitter: str = Field(description="报送委员、信息员姓名,或报送单位")
    submitted_at: datetime.datetime | None
    received_from_lower: bool = Field(description="是否为下级政协报送的信息")


class OpinionPageOut(Schema):
    count: int
    items: list[OpinionItemOut]


class BulletinRefOut(Schema):
    id: int
    label: str = Field(description="如《政协社情民意》2025年第3期")
    item_kind: str = Field(description="single(单篇)或 combined(综合)")


class AdoptionOut(Schema):
    level: str
    level_label: str
    by_name: str
    kind: str
    kind_label: str
    decided_on: datetime.date
    evidence: str


class ForwardingOut(Schema):
    to_level: str
    to_name: str
    forwarded_on: datetime.date
    on_platform: bool


class OpinionDetailOut(OpinionItemOut):
    cosubmitters: list[str] = Field(description="联名委员姓名,按顺序")
    source_note: str
    situation: str
    analysis: str
    suggestion: str
    not_used_reason: str
    bulletins: list[BulletinRefOut]
    forwardings: list[ForwardingOut]
    adoptions: list[AdoptionOut]


class OpinionFilters(Schema):
    view: Literal[tuple(LIST_VIEWS)] = Field(  # type: ignore[valid-type]  # keys of LIST_VIEWS
        "all", description="列表:" + "、".join(f"{k}({v})" for k, v in LIST_VIEWS.items())
    )
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="报送年度")
    state: ReportState | None = Field(None, description="状态")
    source_kind: SourceKind | None = Field(None, description="来源")
    q: Annotated[Text, Field(max_length=64)] | None = Field(
        None, description="标题关键词或报送委员姓名"
    )
    limit: int = Field(50, ge=1, le=500, description="每页条数")
    offset: int = Field(0, ge=0, le=2**31, description="起始位置")


def _item(report):
    return {
        "id": report.pk,
        "title": report.title,
        "state": report.state,
        "state_label": report.get_state_display(),
        "source_kind": report.source_kind,
        "source_label": report.get_source_kind_display(),
        "submitter": report.submitter_label,
        "submitted_at": report.submitted_at,
        "received_from_lower": report.origin_id is not None,
    }


@router.get(
    "/opinions",
    response={200: OpinionPageOut, **ERROR_RESPONSES},
    summary="社情民意信息列表",
    description="当前角色可见的信息(委员、信息员:本人报送或联名的;工作人员、主席、领导:除他人"
    "草稿外的全部),可按列表、年度、状态、来源和关键词筛选;limit/offset 分页。",
)
def opinion_list(request, filters: Query[OpinionFilters]):
    if not request.user.has_perm("opinions.list"):
        raise PermissionDenied
    qs = report_list(
        request.user,
        view=filters.view,
        year=filters.year,
        state=filters.state,
        source_kind=filters.source_kind,
        q=filters.q,
    )
    page = qs[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [_item(r) for r in page]}


@router.get(
    "/opinions/{report_id}",
    response={200: OpinionDetailOut, **ERROR_RESPONSES},
    summary="社情民意信息详情",
    description="信息正文、联名委员、编入的刊物、报送上级和采用情况。看不到的信息与不存在的"
    "一样答复 404。",
)
def opinion_detail(request, report_id: ObjectId):
    items = BulletinItem.objects.select_related("bulletin").order_by("bulletin__issued_on", "pk")
    report = get_object_or_404(
        visible_reports(request.user)
        .select_related("lead__person", "person")
        .prefetch_related(
            Prefetch(
                "cosubmitters",
                queryset=CoSubmitter.objects.select_related("membership__person"),
            ),
            Prefetch("bulletin_items", queryset=items),
            "forwardings",
            "adoptions",
        ),
        pk=report_id,
    )
    return {
        **_item(report),
        "cosubmitters": [c.membership.person.name for c in report.cosubmitters.all()],
        "source_note": report.source_note,
        "situation": report.situation,
        "analysis": report.analysis,
        "suggestion": report.suggestion,
        "not_used_reason": report.not_used_reason,
        "bulletins": [
            {"id": i.bulletin_id, "label": str(i.bulletin), "item_kind": i.kind}
            for i in report.bulletin_items.all()
        ],
        "forwardings": [
            {
                "to_level": f.to_level,
                "to_name": f.to_name,
                "forwarded_on": f.forwarded_on,
                "on_platform": f.to_committee_id is not None,
            }
            for f in report.forwardings.all()
        ],
        "adoptions": [
            {
                "level": a.level,
                "level_label": a.get_level_display(),
                "by_name": a.by_name,
                "kind": a.kind,
                "kind_label": a.get_kind_display(),
                "decided_on": a.decided_on,
                "evidence": a.evidence,
            }
            for a in report.adoptions.all()
        ],
    }
