# ruff: noqa: E501  (the catalogue reads best one figure a line)
"""The catalogue of figures a committee reports (/work/shared/figures.md), as data.

Each figure has its catalogue name (the name the API, the CLI and the reports use), its area,
a Chinese label and definition (printed in the reports' appendix), its kind, and where it comes
from: the area's figure function and the key it returns. A rate also names its numerator and
denominator, so that aggregates over several committees recompute it instead of adding rates.

Areas whose app does not exist yet have ``source = None``: their figures are reported as absent
(``None`` in JSON, "—" in prose), never as zero.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

COUNT, RATE, BREAKDOWN = "count", "rate", "breakdown"


@dataclass(frozen=True)
class Area:
    code: str
    label: str
    # "module:function" called as f(*, committee, year=None, session=None, term=None) -> dict;
    # None: the area is not built yet (its figures are absent).
    source: str | None
    # "module:function" called as f(*, committees, year=None, …) -> {committee id: dict}: the
    # same figures of many committees in one set of queries (used by aggregates).
    batch: str | None = None


AREAS = {
    a.code: a
    for a in [
        Area(
            "proposals",
            _("提案"),
            "zhengxie.proposals.stats:proposal_figures",
            batch="zhengxie.proposals.stats:proposal_figures_for",
        ),
        Area(
            "opinions",
            _("社情民意"),
            "zhengxie.opinions.stats:opinion_figures",
            batch="zhengxie.opinions.stats:opinion_figures_for",
        ),
        Area("consultations", _("协商"), None),
        Area(
            "meetings",
            _("会议"),
            "zhengxie.meetings.stats:meeting_figures",
            batch="zhengxie.meetings.stats:meeting_figures_for",
        ),
        Area(
            "speeches",
            _("大会发言"),
            "zhengxie.meetings.speech_stats:speech_figures",
            batch="zhengxie.meetings.speech_stats:speech_figures_for",
        ),
        Area(
            "activities",
            _("视察调研"),
            "zhengxie.activities.stats:activity_figures",
            batch="zhengxie.activities.stats:activity_figures_for",
        ),
        Area(
            "supervision",
            _("民主监督"),
            "zhengxie.supervision.stats:supervision_figures",
            batch="zhengxie.supervision.stats:supervision_figures_for",
        ),
        Area(
            "places",
            _("委员之家"),
            "zhengxie.places.stats:place_figures",
            batch="zhengxie.places.stats:place_figures_for",
        ),
        Area(
            "study",
            _("学习培训"),
            "zhengxie.study.stats:study_figures",
            batch="zhengxie.study.stats:study_figures_for",
        ),
        Area(
            "archives",
            _("文史资料"),
            "zhengxie.archives.stats:archive_figures",
            batch="zhengxie.archives.stats:archive_figures_for",
        ),
        Area(
            "publicity",
            _("宣传报道"),
            "zhengxie.portal.stats:publicity_figures",
            batch="zhengxie.portal.stats:publicity_figures_for",
        ),
    ]
}


@dataclass(frozen=True)
class Figure:
    name: str
    area: str
    label: str
    kind: str
    definition: str
    key: str = ""  # the key in the area function's result; defaults to ``name``
    numerator: str = ""  # for a rate: catalogue names of its parts
    denominator: str = ""

    @property
    def source_key(self):
        return self.key or self.name


F = Figure
CATALOGUE = [
    # 提案 ------------------------------------------------------------------------------------
    F(
        "proposals_received",
        "proposals",
        _("收到提案"),
        COUNT,
        _("期间内提交的提案(不含草稿和撤回),含各类提案人"),
    ),
    F("proposals_registered", "proposals", _("立案"), COUNT, _("收到的提案中经审查立案的")),
    F(
        "registration_rate",
        "proposals",
        _("立案率"),
        RATE,
        _("立案数 / 收到提案数"),
        numerator="proposals_registered",
        denominator="proposals_received",
    ),
    F("proposals_merged", "proposals", _("并案"), COUNT, _("并入其他提案的")),
    F(
        "proposals_to_opinion_letters",
        "proposals",
        _("转意见建议"),
        COUNT,
        _("不予立案、转为意见建议的"),
    ),
    F(
        "proposals_to_public_opinion",
        "proposals",
        _("转社情民意"),
        COUNT,
        _("不予立案、转为社情民意信息的"),
    ),
    F(
        "proposals_not_registered",
        "proposals",
        _("不予立案"),
        COUNT,
        _("不予立案且未转为其他形式的"),
    ),
    F("key_proposals", "proposals", _("重点提案"), COUNT, _("立案提案中确定为重点提案的")),
    F(
        "proposals_replied",
        "proposals",
        _("已答复提案"),
        COUNT,
        _("立案提案中各答复单位均已答复的"),
    ),
    F(
        "reply_rate",
        "proposals",
        _("答复率"),
        RATE,
        _("已答复提案 / 立案数"),
        numerator="proposals_replied",
        denominator="proposals_registered",
    ),
    F("replies_a", "proposals", _("A类答复"), COUNT, _("最终答复为A类的(以机关核定类别为准)")),
    F("replies_b", "proposals", _("B类答复"), COUNT, _("最终答复为B类的")),
    F("replies_c", "proposals", _("C类答复"), COUNT, _("最终答复为C类的")),
    F(
        "proposals_adopted",
        "proposals",
        _("采纳或部分采纳"),
        COUNT,
        _("立案提案中答复类别属于采纳类别(默认A、B类)的"),
    ),
    F(
        "adoption_rate",
        "proposals",
        _("采纳率"),
        RATE,
        _("采纳提案 / 立案数"),
        numerator="proposals_adopted",
        denominator="proposals_registered",
    ),
    F(
        "satisfaction_attitude_rate",
        "proposals",
        _("办理态度满意率"),
        RATE,
        _("最终评价中对办理态度满意或基本满意的比例"),
    ),
    F(
        "satisfaction_result_rate",
        "proposals",
        _("办理结果满意率"),
        RATE,
        _("最终评价中对办理结果满意或基本满意的比例"),
    ),
    F("livelihood_proposals", "proposals", _("民生类提案"), COUNT, _("立案提案中类别属于民生类的")),
    F(
        "livelihood_share",
        "proposals",
        _("民生类提案占比"),
        RATE,
        _("民生类提案 / 立案数"),
        numerator="livelihood_proposals",
        denominator="proposals_registered",
    ),
    F(
        "members_submitting_rate",
        "proposals",
        _("委员提案参与率"),
        RATE,
        _("提交或联名提案的在任委员 / 在任委员"),
        numerator="members_submitting",
        denominator="members_in_office",
    ),
    F("by_category", "proposals", _("立案提案按类别"), BREAKDOWN, _("立案提案按提案类别计数")),
    F(
        "by_submitter_type",
        "proposals",
        _("立案提案按提案人类型"),
        BREAKDOWN,
        _("立案提案按提案人类型计数"),
    ),
    F(
        "by_main_unit",
        "proposals",
        _("立案提案按主办单位"),
        BREAKDOWN,
        _("立案提案按主办(单办、分办)单位计数,分办提案每个单位各计一次"),
    ),
    F("outstanding_proposals", "proposals", _("优秀提案"), COUNT, _("期间内评选表彰的优秀提案")),
    F(
        "outstanding_units",
        "proposals",
        _("先进承办单位"),
        COUNT,
        _("期间内表彰的提案办理先进单位"),
    ),
    # 社情民意 ---------------------------------------------------------------------------------
    F(
        "opinions_received",
        "opinions",
        _("收到社情民意信息"),
        COUNT,
        _("期间内报送的信息(不含草稿),含下级政协报送"),
    ),
    F(
        "opinions_used",
        "opinions",
        _("本级采用"),
        COUNT,
        _("本会采用(编入刊物或报送领导、部门)的信息"),
    ),
    F("bulletin_issues", "opinions", _("编发刊物(期)"), COUNT, _("期间内印发的刊物期数")),
    F(
        "bulletin_items",
        "opinions",
        _("刊发信息(篇)"),
        COUNT,
        _("这些刊物刊发的信息篇数(单篇或综合)"),
    ),
    F("opinions_forwarded", "opinions", _("报送上级(篇次)"), COUNT, _("报送上级政协的篇次")),
    F("opinions_adopted_city", "opinions", _("市级采用"), COUNT, _("被市级政协采用的信息")),
    F("opinions_adopted_province", "opinions", _("省级采用"), COUNT, _("被省级政协采用的信息")),
    F("opinions_adopted_national", "opinions", _("全国政协采用"), COUNT, _("被全国政协采用的信息")),
    F(
        "instructions_by_level",
        "opinions",
        _("领导批示(按级别)"),
        BREAKDOWN,
        _("信息获得的领导批示,按批示领导的级别"),
    ),
    # 协商 ------------------------------------------------------------------------------------
    F(
        "consultations_by_form",
        "consultations",
        _("协商活动(按形式)"),
        BREAKDOWN,
        _("期间内开展的协商活动,按协商形式"),
    ),
    F("plan_items", "consultations", _("协商计划事项"), COUNT, _("年度协商计划中的事项")),
    F("plan_items_held", "consultations", _("已开展计划事项"), COUNT, _("计划事项中已开展的")),
    F(
        "consultation_leaders",
        "consultations",
        _("参加协商的党政领导"),
        COUNT,
        _("参加协商的不同党政领导人数"),
    ),
    F(
        "consultation_units",
        "consultations",
        _("参加协商的部门单位"),
        COUNT,
        _("参加协商的不同部门单位数"),
    ),
    F(
        "consultation_participants",
        "consultations",
        _("现场参加协商人数"),
        COUNT,
        _("现场参加协商的委员和群众"),
    ),
    F(
        "online_participations",
        "consultations",
        _("网上参与人次"),
        COUNT,
        _("不同的人或访客每天访问直播页的次数,加上直播平台报告、由工作人员录入的观看人次"),
    ),
    F(
        "online_suggestions",
        "consultations",
        _("网上建言"),
        COUNT,
        _("网上发布的建言(未被审核拒绝或删除)"),
    ),
    F("outcome_reports", "consultations", _("协商成果报告"), COUNT, _("报送党委、政府的协商成果")),
    F(
        "recommendations",
        "consultations",
        _("协商建议"),
        COUNT,
        _("协商成果及其他建议文件中的建议条目"),
    ),
    F("recommendations_adopted", "consultations", _("建议被采纳"), COUNT, _("建议中已被采纳的")),
    F("recommendations_implemented", "consultations", _("建议已落实"), COUNT, _("建议中已落实的")),
    F(
        "instructions_received",
        "consultations",
        _("协商成果获批示"),
        COUNT,
        _("协商成果获得的领导批示"),
    ),
    # 会议与人员 -------------------------------------------------------------------------------
    F("plenary_meetings", "meetings", _("全体会议"), COUNT, _("期间内召开(已结束)的全体会议")),
    F("standing_meetings", "meetings", _("常委会议"), COUNT, _("期间内召开的常委会议")),
    F("chairs_meetings", "meetings", _("主席会议"), COUNT, _("期间内召开的主席会议")),
    F(
        "special_committee_meetings",
        "meetings",
        _("专委会会议"),
        COUNT,
        _("期间内召开的专门委员会会议"),
    ),
    F(
        "attendance_rate",
        "meetings",
        _("会议出席率"),
        RATE,
        _("签到人数 / 应出席人数(不含取消邀请),同意请假另计"),
        numerator="meeting_attended",
        denominator="meeting_invitations",
    ),
    F(
        "attendance_rate_by_category",
        "meetings",
        _("各类会议出席率"),
        BREAKDOWN,
        _("按会议类别的出席率"),
    ),
    F("plenary_speeches", "speeches", _("大会发言"), COUNT, _("提交的大会发言")),
    F("livelihood_speeches", "speeches", _("民生类大会发言"), COUNT, _("类别属于民生类的大会发言")),
    F(
        "livelihood_speech_share",
        "speeches",
        _("民生类发言占比"),
        RATE,
        _("民生类大会发言 / 大会发言"),
        numerator="livelihood_speeches",
        denominator="plenary_speeches",
    ),
    F("members_added", "meetings", _("增补委员"), COUNT, _("期间内增补的委员")),
    F(
        "members_resigned",
        "meetings",
        _("辞去或撤销委员"),
        COUNT,
        _("期间内辞去或被撤销资格的委员"),
    ),
    F(
        "standing_members_added",
        "meetings",
        _("增补常委"),
        COUNT,
        _("期间内增补的常委(不含换届选举产生)"),
    ),
    F(
        "standing_members_resigned",
        "meetings",
        _("辞去或撤销常委"),
        COUNT,
        _("期间内辞去或被撤销的常委"),
    ),
    F("inspections", "activities", _("视察"), COUNT, _("期间内开展的视察")),
    F("research_activities", "activities", _("调研"), COUNT, _("期间内开展的调研")),
    F("research_reports", "activities", _("调研报告"), COUNT, _("期间内形成的调研报告")),
    F(
        "supervision_groups",
        "supervision",
        _("民主监督小组"),
        COUNT,
        _("期间所涉年度对口部门的民主监督小组"),
    ),
    F(
        "supervision_recommendations",
        "supervision",
        _("民主监督建议书"),
        COUNT,
        _("期间内送达的民主监督建议书"),
        key="supervision_recommendations_sent",
    ),
    F(
        "supervision_recommendations_answered",
        "supervision",
        _("建议书已答复"),
        COUNT,
        _("期间内部门答复的民主监督建议书"),
    ),
    F(
        "reception_rooms",
        "places",
        _("委员之家(在用)"),
        COUNT,
        _("期末在用的委员之家、会客室、联系点"),
    ),
    F("reception_visits", "places", _("接待群众"), COUNT, _("期间内的接待次数")),
    F("issues_recorded", "places", _("群众反映问题"), COUNT, _("接待中登记的群众反映问题")),
    F("study_sessions", "study", _("集体学习"), COUNT, _("举办的集体学习")),
    F("training_materials", "study", _("培训资料(册)"), COUNT, _("发放的培训资料册数")),
    F("archive_volumes", "archives", _("文史资料"), COUNT, _("出版的文史资料辑数")),
    F("periodical_issues", "archives", _("会刊"), COUNT, _("编印的会刊期数")),
    F("media_news_items", "publicity", _("县市媒体报道"), COUNT, _("县、市媒体刊播的本会新闻")),
    F(
        "higher_media_reports",
        "publicity",
        _("省级以上媒体报道"),
        COUNT,
        _("省级和中央媒体对本会的报道"),
    ),
    F("portal_news_items", "publicity", _("门户网站新闻"), COUNT, _("本会门户网站发布的新闻")),
    F("archive_words", "archives", _("文史资料字数"), COUNT, _("文史资料的文字字数合计")),
    F("archive_images", "archives", _("文史资料图片"), COUNT, _("文史资料的图片数合计")),
]
# Parts of rates that are not themselves catalogue figures (read from the area's result so that
# aggregates can recompute the rate): name -> (area, key in the area's result).
PARTS = {
    "members_submitting": ("proposals", "members_submitting"),
    "members_in_office": ("proposals", "members_in_office"),
    "meeting_attended": ("meetings", "attended"),
    "meeting_invitations": ("meetings", "invitations"),
}
BY_NAME = {f.name: f for f in CATALOGUE}
