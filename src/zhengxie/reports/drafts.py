"""Editable drafts of the statistics passages of a committee's work reports, in Chinese prose.

Three kinds: ``annual`` (常委会工作报告的统计段落), ``term`` (届内工作报告) and ``proposals``
(提案工作情况报告). A draft is built once from a ``reports.figures.Report`` (``draft_content``)
and then written as Markdown (``draft_markdown``) or Word (``draft_docx``, with charts), so that
both forms state the same numbers with the same rounding.

Rules of the prose:
- one section per area that is present; an absent area (its app not built) is left out, never
  printed as 0;
- a figure that is ``None`` is left out of its sentence; secondary counts of 0 are left out too
  (the headline counts — proposals received and registered — are stated even when 0); a section
  with nothing to say is left out;
- rates are printed with one decimal (``proposals.stats.format_rate``: 0.5986 → 59.9%);
- the appendix lists every figure the prose states: its catalogue name, value, definition
  (``catalogue.BY_NAME``) and period.
"""

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm

from zhengxie.core.audit import audit_record
from zhengxie.core.documents import (
    BODY_FONT,
    HEADING_FONT,
)
from zhengxie.core.documents import add_para as _para
from zhengxie.core.documents import official_document as _new_document
from zhengxie.core.documents import set_font as _font
from zhengxie.core.models import AuditAction, Level
from zhengxie.meetings.models import MeetingCategory
from zhengxie.opinions.documents import DOCX, MASTHEAD_FONT
from zhengxie.proposals.stats import format_rate
from zhengxie.reports import charts
from zhengxie.reports.catalogue import BY_NAME, RATE

KINDS = {
    "annual": gettext_lazy("常委会工作报告(统计段落)"),
    "term": gettext_lazy("届内工作报告(统计段落)"),
    "proposals": gettext_lazy("提案工作情况报告(统计段落)"),
}
FORMATS = ("md", "docx")
MARKDOWN = "text/markdown; charset=utf-8"
__all__ = ["DOCX", "FORMATS", "KINDS", "MARKDOWN", "draft_content", "draft_docx", "draft_markdown"]

NUMERALS = "一二三四五六七八九十"
RATE_BREAKDOWNS = {"attendance_rate_by_category"}
LABELS = {
    "attendance_rate_by_category": dict(MeetingCategory.choices),
    "instructions_by_level": dict(Level.choices),
}


@dataclass
class Section:
    heading: str
    paragraphs: list[str]
    charts: list[str] = field(default_factory=list)  # keys of CHARTS, drawn in the .docx only


@dataclass
class AppendixRow:
    name: str
    label: str
    value: str
    definition: str
    period: str


@dataclass
class Draft:
    kind: str
    title: str
    subtitle: str
    sections: list[Section]
    appendix: list[AppendixRow]


# Reading the report ----------------------------------------------------------------------------


def breakdown_items(value, labels=None):
    """[(label, value)] of a breakdown given as [{"label", "value"}] or {code: value}."""
    if not value:
        return []
    if isinstance(value, dict):
        labels = labels or {}
        return [(str(labels.get(code, code)), v) for code, v in value.items()]
    return [(str(row["label"]), row["value"]) for row in value]


def value_text(name, value):
    """A figure's value as the appendix prints it."""
    if value is None:
        return "—"
    figure = BY_NAME.get(name)
    if name in RATE_BREAKDOWNS:
        items = breakdown_items(value, LABELS.get(name))
        return ";".join(f"{label} {format_rate(v)}" for label, v in items if v is not None)
    if isinstance(value, (list, dict)):
        items = breakdown_items(value, LABELS.get(name))
        return ";".join(f"{label} {v}" for label, v in items if v)
    if figure is not None and figure.kind == RATE:
        return format_rate(value)
    return str(value)


class _Prose:
    """Clauses of the prose; remembers which figures were stated (for the appendix)."""

    def __init__(self, report):
        self.report = report
        self.used = []

    def present(self, area):
        return bool(self.report.present.get(area))

    def value(self, name):
        return self.report.values.get(name)

    def _use(self, name):
        if name not in self.used:
            self.used.append(name)

    def count(self, template, name, *, keep_zero=False):
        value = self.value(name)
        if value is None or (value == 0 and not keep_zero):
            return ""
        self._use(name)
        return template % {"n": value}

    def rate(self, template, name):
        value = self.value(name)
        if value is None:
            return ""
        self._use(name)
        return template % {"r": format_rate(value)}

    def items(self, name, template, *, percent=False, limit=None):
        """One clause per item of a breakdown (items of 0 or None left out)."""
        items = [
            (label, v)
            for label, v in breakdown_items(self.value(name), LABELS.get(name))
            if v is not None and (v or percent)
        ]
        if not items:
            return []
        self._use(name)
        if limit is not None:
            items = items[:limit]
        return [
            template % {"label": label, "n": format_rate(v) if percent else v} for label, v in items
        ]


def _sentence(*clauses, sep=","):
    clauses = [c for c in clauses if c]
    return sep.join(clauses) + "。" if clauses else ""


def _series(prefix, clauses, sep="、"):
    clauses = [c for c in clauses if c]
    return prefix + sep.join(clauses) if clauses else ""


def _paragraph(lead, *sentences):
    text = "".join(s for s in sentences if s)
    return lead + text if text else ""


def period_lead(period):
    """How a paragraph opens: 「全年」 for a year, 「十届五次会议以来,」 for a session,
    「第十届任期内,」 for a term."""
    if period.year is not None:
        return _("全年")
    if period.session is not None:
        return _("%(name)s以来,") % {"name": period.session.name}
    return _("%(name)s任期内,") % {"name": period.term.name}


# The areas' paragraphs -------------------------------------------------------------------------


def _proposal_intake(p, lead):
    return _paragraph(
        lead,
        _sentence(
            p.count(_("共收到提案%(n)s件"), "proposals_received", keep_zero=True),
            p.count(_("经审查立案%(n)s件"), "proposals_registered", keep_zero=True),
            p.rate(_("立案率%(r)s"), "registration_rate"),
            p.count(_("确定重点提案%(n)s件"), "key_proposals"),
        ),
    )


def _proposal_not_registered(p):
    return _sentence(
        _series(
            _("未立案的提案中,"),
            [
                p.count(_("并案处理%(n)s件"), "proposals_merged"),
                p.count(_("转为意见建议%(n)s件"), "proposals_to_opinion_letters"),
                p.count(_("转为社情民意信息%(n)s件"), "proposals_to_public_opinion"),
                p.count(_("不予立案%(n)s件"), "proposals_not_registered"),
            ],
            sep=",",
        )
    )


def _proposal_content(p, *, detailed):
    livelihood = _sentence(
        p.count(_("民生类提案%(n)s件"), "livelihood_proposals"),
        p.rate(_("占立案总数%(r)s"), "livelihood_share") if p.value("livelihood_proposals") else "",
    )
    categories = _sentence(_series(_("从类别看,"), p.items("by_category", _("%(label)s%(n)s件"))))
    extra = ""
    if detailed:
        extra = _sentence(
            _series(_("从提案者看,"), p.items("by_submitter_type", _("%(label)s提案%(n)s件"))),
            p.rate(_("在任委员提交或联名提案的比例为%(r)s"), "members_submitting_rate"),
        )
    return livelihood + categories + extra


def _proposal_handling(p, *, detailed):
    units = ""
    if detailed:
        units = _sentence(
            _series(
                _("交办承办单位办理的提案中,"),
                p.items("by_main_unit", _("%(label)s%(n)s件"), limit=10),
            )
        )
    replies = _sentence(
        p.count(_("承办单位已答复提案%(n)s件"), "proposals_replied"),
        p.rate(_("答复率%(r)s"), "reply_rate"),
        _series(
            _("其中"),
            [
                p.count(_("A类%(n)s件"), "replies_a"),
                p.count(_("B类%(n)s件"), "replies_b"),
                p.count(_("C类%(n)s件"), "replies_c"),
            ],
        ),
    )
    adopted = _sentence(
        p.count(_("所提意见建议被采纳或部分采纳的%(n)s件"), "proposals_adopted"),
        p.rate(_("采纳率%(r)s"), "adoption_rate"),
    )
    satisfaction = _sentence(
        _series(
            _("提案者对办理工作的评价中,"),
            [
                p.rate(_("办理态度满意率%(r)s"), "satisfaction_attitude_rate"),
                p.rate(_("办理结果满意率%(r)s"), "satisfaction_result_rate"),
            ],
            sep=",",
        )
    )
    awards = _sentence(
        _series(
            _("评选表彰"),
            [
                p.count(_("优秀提案%(n)s件"), "outstanding_proposals"),
                p.count(_("提案办理先进单位%(n)s个"), "outstanding_units"),
            ],
        )
    )
    return units + replies + adopted + satisfaction + awards


def proposals_section(p, lead, heading, *, detailed=False):
    if not p.present("proposals"):
        return []
    if not detailed:
        paragraphs = [
            _proposal_intake(p, lead) + _proposal_content(p, detailed=False),
            _proposal_handling(p, detailed=False),
        ]
        return [Section(heading, paragraphs, ["by_category", "replies"])]
    return [
        Section(
            _("提案提交和立案情况"),
            [_proposal_intake(p, lead) + _proposal_not_registered(p)],
        ),
        Section(_("提案内容分布"), [_proposal_content(p, detailed=True)], ["by_category"]),
        Section(_("提案办理情况"), [_proposal_handling(p, detailed=True)], ["replies"]),
    ]


def opinions_section(p, lead):
    if not p.present("opinions"):
        return []
    text = _paragraph(
        lead,
        _sentence(
            p.count(_("共收到社情民意信息%(n)s篇"), "opinions_received"),
            p.count(_("本级采用%(n)s篇"), "opinions_used"),
        ),
        _sentence(
            p.count(_("共编发《政协社情民意》%(n)s期"), "bulletin_issues"),
            p.count(_("刊发信息%(n)s篇"), "bulletin_items"),
        ),
        _sentence(
            p.count(_("向上级政协报送信息%(n)s篇次"), "opinions_forwarded"),
            _series(
                _("被"),
                [
                    p.count(_("市级采用%(n)s篇"), "opinions_adopted_city"),
                    p.count(_("省级采用%(n)s篇"), "opinions_adopted_province"),
                    p.count(_("全国政协采用%(n)s篇"), "opinions_adopted_national"),
                ],
            ),
        ),
        _sentence(
            _series(_("获得领导批示:"), p.items("instructions_by_level", _("%(label)s%(n)s件次")))
        ),
    )
    return [Section(_("社情民意信息工作"), [text])]


def consultations_section(p, lead):
    if not p.present("consultations"):
        return []
    text = _paragraph(
        lead,
        _sentence(
            _series(_("开展"), p.items("consultations_by_form", _("%(label)s%(n)s次"))),
            p.count(_("年度协商计划%(n)s项"), "plan_items"),
            p.count(_("已开展%(n)s项"), "plan_items_held"),
        ),
        _sentence(
            p.count(_("参加协商的党政领导%(n)s人"), "consultation_leaders"),
            p.count(_("部门单位%(n)s个"), "consultation_units"),
            p.count(_("现场参加协商的委员和群众%(n)s人次"), "consultation_participants"),
            p.count(_("网上参与%(n)s人次"), "online_participations"),
            p.count(_("网上建言%(n)s条"), "online_suggestions"),
        ),
        _sentence(
            p.count(_("报送协商成果报告%(n)s份"), "outcome_reports"),
            p.count(_("提出建议%(n)s条"), "recommendations"),
            p.count(_("已被采纳%(n)s条"), "recommendations_adopted"),
            p.count(_("已落实%(n)s条"), "recommendations_implemented"),
            p.count(_("获领导批示%(n)s件次"), "instructions_received"),
        ),
    )
    return [Section(_("协商议政"), [text])]


def meetings_section(p, lead):
    if not p.present("meetings"):
        return []
    meetings = _paragraph(
        lead,
        _sentence(
            _series(
                _("召开"),
                [
                    p.count(_("全体会议%(n)s次"), "plenary_meetings"),
                    p.count(_("常委会议%(n)s次"), "standing_meetings"),
                    p.count(_("主席会议%(n)s次"), "chairs_meetings"),
                    p.count(_("专委会会议%(n)s次"), "special_committee_meetings"),
                ],
            ),
            p.rate(_("委员出席率%(r)s"), "attendance_rate"),
        ),
        _sentence(
            _series(
                _("其中"),
                p.items("attendance_rate_by_category", _("%(label)s出席率%(n)s"), percent=True),
            )
        ),
    )
    people = _sentence(
        p.count(_("增补委员%(n)s名"), "members_added"),
        p.count(_("辞去或撤销委员%(n)s名"), "members_resigned"),
        p.count(_("增补常委%(n)s名"), "standing_members_added"),
        p.count(_("辞去或撤销常委%(n)s名"), "standing_members_resigned"),
    )
    if people:
        people = _("委员队伍方面,") + people
    return [Section(_("会议与委员队伍"), [meetings, people], ["attendance"])]


def speeches_section(p, lead):
    if not p.present("speeches"):
        return []
    text = _paragraph(
        lead,
        _sentence(
            p.count(_("共收到大会发言%(n)s篇"), "plenary_speeches"),
            p.count(_("其中民生类%(n)s篇"), "livelihood_speeches"),
            p.rate(_("占%(r)s"), "livelihood_speech_share")
            if p.value("livelihood_speeches")
            else "",
        ),
    )
    return [Section(_("大会发言"), [text])]


def activities_section(p, lead):
    if not p.present("activities"):
        return []
    text = _paragraph(
        lead,
        _sentence(
            _series(
                _("开展"),
                [
                    p.count(_("视察%(n)s次"), "inspections"),
                    p.count(_("调研%(n)s次"), "research_activities"),
                ],
            ),
            p.count(_("形成调研报告%(n)s篇"), "research_reports"),
        ),
    )
    return [Section(_("视察调研"), [text])]


def supervision_section(p, lead):
    if not p.present("supervision"):
        return []
    text = _paragraph(
        lead,
        _sentence(
            p.count(_("组建民主监督小组%(n)s个"), "supervision_groups"),
            p.count(_("送达民主监督建议书%(n)s份"), "supervision_recommendations"),
            p.count(_("已获答复%(n)s份"), "supervision_recommendations_answered"),
        ),
    )
    return [Section(_("民主监督"), [text])]


def places_section(p, lead):
    if not p.present("places"):
        return []
    text = _paragraph(
        lead,
        _sentence(
            p.count(_("委员之家等履职阵地接待群众%(n)s次"), "reception_visits"),
            p.count(_("登记群众反映问题%(n)s个"), "issues_recorded"),
        ),
        _sentence(p.count(_("目前在用委员之家、会客室、联系点%(n)s个"), "reception_rooms")),
    )
    return [Section(_("委员之家与联系群众"), [text])]


def study_section(p, lead):
    if not p.present("study"):
        return []
    text = _paragraph(
        lead,
        _sentence(
            p.count(_("举办集体学习%(n)s次"), "study_sessions"),
            p.count(_("发放培训资料%(n)s册"), "training_materials"),
        ),
    )
    return [Section(_("学习培训"), [text])]


def archives_section(p, lead):
    if not p.present("archives"):
        return []
    text = _paragraph(
        lead,
        _sentence(
            p.count(_("出版文史资料%(n)s辑"), "archive_volumes"),
            p.count(_("征集文史资料文字%(n)s字"), "archive_words"),
            p.count(_("图片%(n)s幅"), "archive_images"),
            p.count(_("编印会刊%(n)s期"), "periodical_issues"),
        ),
    )
    return [Section(_("文史资料"), [text])]


def publicity_section(p, lead):
    if not p.present("publicity"):
        return []
    text = _paragraph(
        lead,
        _sentence(
            p.count(_("县、市媒体刊播本会新闻%(n)s条"), "media_news_items"),
            p.count(_("省级以上媒体报道%(n)s篇"), "higher_media_reports"),
            p.count(_("门户网站发布新闻%(n)s条"), "portal_news_items"),
        ),
    )
    return [Section(_("宣传报道"), [text])]


def _title(report, kind):
    name = report.committee.name
    if kind == "proposals":
        return _("%(name)s关于提案工作情况的报告(统计数据部分)") % {"name": name}
    if kind == "term":
        return _("%(name)s常务委员会届内工作报告(统计数据部分)") % {"name": name}
    return _("%(name)s常务委员会工作报告(统计数据部分)") % {"name": name}


def _subtitle(report):
    text = _("统计期间:%(period)s") % {"period": report.period.label}
    if report.aggregate:
        text += _("(含下级政协汇总,共%(n)s个委员会)") % {"n": len(report.committees)}
    return text + _("。本稿由系统根据业务记录生成,供起草修改。")


def draft_content(report, kind) -> Draft:
    """The draft's title, sections and appendix (what both the .md and the .docx print)."""
    if kind not in KINDS:
        raise ValueError(f"unknown draft kind {kind!r}")
    p = _Prose(report)
    lead = period_lead(report.period)
    if kind == "proposals":
        sections = proposals_section(p, lead, _("提案工作"), detailed=True)
    else:
        sections = [
            *proposals_section(p, lead, _("提案工作")),
            *opinions_section(p, lead),
            *consultations_section(p, lead),
            *meetings_section(p, lead),
            *speeches_section(p, lead),
            *activities_section(p, lead),
            *supervision_section(p, lead),
            *places_section(p, lead),
            *study_section(p, lead),
            *archives_section(p, lead),
            *publicity_section(p, lead),
        ]
    sections = [s for s in sections if any(s.paragraphs)]
    for number, section in enumerate(sections):
        section.paragraphs = [text for text in section.paragraphs if text]
        section.heading = f"{NUMERALS[number]}、{section.heading}"
    period = str(report.period.label)
    appendix = [
        AppendixRow(
            name=name,
            label=str(BY_NAME[name].label) if name in BY_NAME else name,
            value=value_text(name, report.values.get(name)),
            definition=str(BY_NAME[name].definition) if name in BY_NAME else "",
            period=period,
        )
        for name in p.used
    ]
    return Draft(kind, _title(report, kind), _subtitle(report), sections, appendix)


# Charts ----------------------------------------------------------------------------------------


def _chart_by_category(report):
    return charts.bar_chart(
        breakdown_items(report.values.get("by_category")),
        title=_("立案提案按类别分布(件)"),
    )


def _chart_replies(report):
    items = [(_("%(c)s类") % {"c": c}, report.values.get(f"replies_{c.lower()}")) for c in "ABC"]
    return charts.pie_chart(items, title=_("提案答复类别"))


def _chart_attendance(report):
    return charts.bar_chart(
        breakdown_items(
            report.values.get("attendance_rate_by_category"),
            LABELS["attendance_rate_by_category"],
        ),
        title=_("各类会议出席率"),
        percent=True,
    )


CHARTS = {
    "by_category": _chart_by_category,
    "replies": _chart_replies,
    "attendance": _chart_attendance,
}


# Markdown --------------------------------------------------------------------------------------

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def _md(text):
    return str(text).translate(_MD_SPECIAL)


def draft_markdown(report, kind) -> str:
    draft = draft_content(report, kind)
    lines = [f"# {_md(draft.title)}", "", _md(draft.subtitle), ""]
    for section in draft.sections:
        lines += [f"## {_md(section.heading)}", ""]
        for text in section.paragraphs:
            lines += [_md(text), ""]
    lines += _markdown_appendix(draft)
    return "\n".join(lines).rstrip("\n") + "\n"


def _markdown_appendix(draft):
    if not draft.appendix:
        return []
    lines = [
        f"## {_('附录:数据口径')}",
        "",
        "| " + " | ".join(APPENDIX_COLUMNS()) + " |",
        "|" + "---|" * len(APPENDIX_COLUMNS()),
    ]
    for row in draft.appendix:
        cells = [row.label, row.name, row.value, row.definition, row.period]
        lines.append("| " + " | ".join(_md(c).replace("\n", " ") for c in cells) + " |")
    return [*lines, ""]


def APPENDIX_COLUMNS():  # noqa: N802 (a constant, translated at call time)
    return [_("指标"), _("名称"), _("数值"), _("定义"), _("统计期间")]


# Word ------------------------------------------------------------------------------------------


def _docx_appendix(document, draft):
    if not draft.appendix:
        return
    _para(document, _("附录:数据口径"), font=HEADING_FONT, size=16)
    columns = APPENDIX_COLUMNS()
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = ""
        _font(cell.paragraphs[0].add_run(text), HEADING_FONT, 10.5)
    for row in draft.appendix:
        cells = table.add_row().cells
        values = [row.label, row.name, row.value, row.definition, row.period]
        for cell, text in zip(cells, values, strict=True):
            _font(cell.paragraphs[0].add_run(text), BODY_FONT, 10.5)


def draft_docx(report, kind) -> bytes:
    draft = draft_content(report, kind)
    document = _new_document()
    _para(document, draft.title, font=MASTHEAD_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(document, draft.subtitle, font="楷体", size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    for section in draft.sections:
        _para(document, section.heading, font=HEADING_FONT, size=16)
        for text in section.paragraphs:
            _para(document, text, indent=True)
        for key in section.charts:
            image = CHARTS[key](report)
            if image is not None:
                document.add_picture(io.BytesIO(image), width=Cm(14))
                document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _docx_appendix(document, draft)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Downloads -------------------------------------------------------------------------------------


def filename(report, kind, fmt):
    """「某某政协-提案工作情况报告(统计段落)-2026年.docx」"""
    name = report.committee.short_name or report.committee.name
    return f"{name}-{KINDS[kind]}-{report.period.label}.{fmt}".replace("/", "-")


def record_download(*, actor, report, kind, fmt):
    """One EXPORT audit row for a downloaded draft."""
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        committee=report.committee,
        object_type="reports.Draft",
        object_label=f"{KINDS[kind]} {report.period.label}"[:255],
        note=_("下载工作报告草稿(%(kind)s,%(period)s,%(fmt)s)")
        % {"kind": KINDS[kind], "period": report.period.label, "fmt": fmt},
    )
