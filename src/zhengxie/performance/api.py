"""The duty-points API (read-only): one member's score for a year, every ledger row with its rule
and points, and the member's own score. A member sees only their own; staff and chairs anyone of
their committee; a membership the user may not see answers 404."""

import datetime
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from zhengxie.core.api import ERROR_RESPONSES, ObjectId
from zhengxie.core.periods import MAX_YEAR, MIN_YEAR
from zhengxie.organisation.models import Membership
from zhengxie.organisation.queries import own_seat
from zhengxie.performance import scoring
from zhengxie.performance.models import PointTable

router = Router(tags=["委员履职"])


class ScoreQuery(Schema):
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="年度,默认今年")
    version: int | None = Field(None, ge=1, le=10_000, description="积分表版本号,默认最新版")


class LineOut(Schema):
    date: datetime.date
    kind: str
    sub_kind: str
    title: str
    rule: str | None = Field(description="适用的积分规则;没有对应规则时为 null")
    points: Decimal = Field(description="本条计分(已计入年度上限)")
    note: str = Field(description="如:已达本项年度上限")


class SubtotalOut(Schema):
    rule: str
    count: int
    points: Decimal
    capped: bool


class ScoreOut(Schema):
    membership_id: int
    name: str
    year: int
    version: int | None = Field(description="所用积分表版本;该年度没有积分表时为 null")
    total: Decimal
    pass_mark: Decimal | None
    subtotals: list[SubtotalOut]
    lines: list[LineOut]


def _score(membership, query):
    year = query.year or timezone.localdate().year
    version = None
    if query.version is not None:
        table = PointTable.objects.filter(committee=membership.committee, year=year).first()
        version = table.versions.filter(number=query.version).first() if table else None
        if version is None:
            raise Http404
    breakdown = scoring.member_breakdown(membership=membership, year=year, version=version)
    used = breakdown.version
    return {
        "membership_id": membership.pk,
        "name": membership.person.name,
        "year": year,
        "version": used.number if used else None,
        "total": breakdown.total,
        "pass_mark": used.pass_mark if used else None,
        "subtotals": [
            {
                "rule": s["rule"].label,
                "count": s["count"],
                "points": s["points"],
                "capped": s["capped"],
            }
            for s in breakdown.subtotals
        ],
        "lines": [
            {
                "date": line.record.occurred_on,
                "kind": line.record.kind,
                "sub_kind": line.record.sub_kind,
                "title": line.record.title,
                "rule": line.rule.label if line.rule else None,
                "points": line.points,
                "note": line.note,
            }
            for line in breakdown.lines
        ],
    }


@router.get(
    "/performance/members/{membership_id}/score",
    response={200: ScoreOut, **ERROR_RESPONSES},
    summary="委员年度履职积分明细",
    description="由履职台账和该年度积分表(默认最新版,可指定 version 按旧版重算)计算;"
    "每条记录列出适用规则和得分,达到年度上限的注明。委员只能查看本人。",
)
def member_score(request, membership_id: ObjectId, query: Query[ScoreQuery]):
    membership = get_object_or_404(
        Membership.objects.select_related("person", "committee"), pk=membership_id
    )
    if not request.user.has_perm("performance.view_dossier", membership):
        raise Http404
    return _score(membership, query)


@router.get(
    "/performance/me",
    response={200: ScoreOut, **ERROR_RESPONSES},
    summary="本人年度履职积分",
    description="当前身份为委员时,本人在本委员会当届的年度积分与明细。",
)
def my_score(request, query: Query[ScoreQuery]):
    membership = own_seat(request.user, request.committee)
    if membership is None or not request.user.has_perm("performance.own_dossier"):
        raise Http404
    return _score(membership, query)
