"""The kinds of duty event (履职事项) the ledger records — a documented, extensible list.

Each later app registers its own kinds with ``register_duty_kind`` in its ``AppConfig.ready``;
points (the performance app) are computed from ledger rows by each committee's yearly point
table, which addresses rows by (kind, sub_kind). Nothing here carries points.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DutyKind:
    code: str
    label: str
    sub_kinds: dict[str, str] = field(default_factory=dict)


DUTY_KINDS: dict[str, DutyKind] = {}


def register_duty_kind(code, label, sub_kinds=None):
    DUTY_KINDS[code] = DutyKind(code=code, label=label, sub_kinds=dict(sub_kinds or {}))
    return DUTY_KINDS[code]


def duty_kind_choices():
    return [(kind.code, kind.label) for kind in DUTY_KINDS.values()]


def is_valid_duty(kind, sub_kind):
    known = DUTY_KINDS.get(kind)
    return known is not None and (
        not sub_kind or not known.sub_kinds or sub_kind in known.sub_kinds
    )


MEETING_SUB_KINDS = {
    "plenary": _("全体会议"),
    "standing": _("常委会议"),
    "chairs": _("主席会议"),
    "special_committee": _("专委会会议"),
    "other": _("其他会议"),
}

register_duty_kind(
    "attendance",
    _("会议出席"),
    {
        f"{meeting}.{state}": f"{label}·{state_label}"
        for meeting, label in MEETING_SUB_KINDS.items()
        for state, state_label in (
            ("attended", _("已签到")),
            ("leave_approved", _("同意请假")),
            ("leave_requested", _("请假")),
            ("absent", _("缺席")),
        )
    },
)
register_duty_kind(
    "proposal",
    _("提案"),
    {
        "submitted": _("提交提案"),
        "co_signed": _("联名附议"),
        "registered": _("提案立案"),
        "key": _("重点提案"),
        "merged": _("并案"),
        "to_opinion_letter": _("转意见建议"),
        "to_public_opinion": _("转社情民意"),
        "outstanding": _("优秀提案"),
    },
)
register_duty_kind(
    "opinion",
    _("社情民意"),
    {
        "submitted": _("报送信息"),
        "used": _("本级采用"),
        "published": _("编入刊物"),
        "forwarded": _("报送上级"),
        "instructed": _("获领导批示"),
        "adopted_city": _("市级采用"),
        "adopted_province": _("省级采用"),
        "adopted_national": _("全国采用"),
    },
)
register_duty_kind("instruction", _("领导批示"))
register_duty_kind(
    "speech",
    _("大会发言"),
    {"submitted": _("提交大会发言"), "oral": _("大会口头发言"), "written": _("书面发言")},
)
register_duty_kind("consultation", _("协商活动"))
register_duty_kind("inspection", _("视察"))
register_duty_kind("research", _("调研"), {"participant": _("参加调研"), "report": _("调研报告")})
register_duty_kind("supervision", _("民主监督"))
register_duty_kind("reception", _("委员会客室值班"))
register_duty_kind(
    "study",
    _("学习培训"),
    {"study": _("集体学习"), "training": _("培训"), "reading": _("读书活动")},
)
register_duty_kind(
    "archive",
    _("文史资料"),
    {"contributed": _("提供文史资料"), "published": _("文史资料入编")},
)
register_duty_kind("activity", _("其他活动"))
