"""GET /api/v1/proposals/stats: the proposal figures of one period (rates from 0 to 1)."""

from django.core.exceptions import PermissionDenied
from ninja import Field, Query, Router, Schema

from zhengxie.core.api import ERROR_RESPONSES, ObjectId, period_or_422
from zhengxie.core.periods import MAX_YEAR, MIN_YEAR
from zhengxie.proposals.stats import proposal_figures

router = Router(tags=["提案"])


class StatsQuery(Schema):
    session: ObjectId | None = Field(None, description="会议(届次)ID")
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="年度(按提交日期)")
    term: ObjectId | None = Field(None, description="届 ID")
    plenary_only: bool = Field(False, description="仅统计大会期间提交的提案(与 session 同用)")


class CountRow(Schema):
    label: str
    value: int


class PeriodOut(Schema):
    kind: str = Field(description="session、year 或 term")
    id: int | None = Field(description="会议或届的 ID;年度为 null")
    label: str


Rate = float | None
RATE_HELP = "0 到 1 之间的比率;分母为 0 时为 null"


class ProposalStatsOut(Schema):
    period: PeriodOut
    proposals_received: int = Field(description="收到提案(不含草稿、征集联名中和已撤回)")
    proposals_registered: int = Field(description="立案")
    registration_rate: Rate = Field(description=RATE_HELP)
    proposals_merged: int = Field(description="并案")
    proposals_to_opinion_letters: int = Field(description="转意见建议")
    proposals_to_public_opinion: int = Field(description="转社情民意")
    proposals_not_registered: int = Field(description="不予立案")
    key_proposals: int = Field(description="重点提案")
    proposals_replied: int = Field(description="每个答复单位都已答复的立案提案")
    reply_rate: Rate = Field(description=RATE_HELP)
    replies_by_category: dict[str, int] = Field(
        description="按答复类别(以核定类别为准)统计的最终答复"
    )
    replies_a: int
    replies_b: int
    replies_c: int
    proposals_adopted: int = Field(description="答复类别属于“采纳”的立案提案")
    adoption_rate: Rate = Field(description=RATE_HELP)
    satisfaction_attitude_rate: Rate = Field(description=RATE_HELP)
    satisfaction_result_rate: Rate = Field(description=RATE_HELP)
    livelihood_proposals: int = Field(description="民生类立案提案")
    livelihood_share: Rate = Field(description=RATE_HELP)
    members_in_office: int = Field(description="期末在任委员")
    members_submitting: int = Field(description="领衔或联名(已确认)提交提案的在任委员")
    members_submitting_rate: Rate = Field(description=RATE_HELP)
    by_category: list[CountRow]
    by_submitter_type: list[CountRow]
    by_main_unit: list[CountRow]
    outstanding_proposals: int = Field(description="优秀提案表彰")
    outstanding_units: int = Field(description="先进承办单位表彰")


@router.get(
    "/proposals/stats",
    response={200: ProposalStatsOut, **ERROR_RESPONSES},
    summary="提案统计",
    description="一个统计期间的提案数据:session(会议)、year(年度)或 term(届)三者必须且只能"
    "指定一个;plenary_only 仅统计大会提案。比率为 0 到 1 之间的小数。",
)
def proposal_stats(request, filters: Query[StatsQuery]):
    if not request.user.has_perm("proposals.view_stats"):
        raise PermissionDenied
    period, refusal = period_or_422(filters)
    if refusal is not None:
        return refusal
    figures = proposal_figures(
        committee=request.committee,
        plenary_only=filters.plenary_only and period.session is not None,
        **period.arguments,
    )
    return {"period": period.describe(), **figures}
