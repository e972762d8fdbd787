"""History import (历史提案导入): earlier years' proposals from .xlsx, one row per proposal with
its final state, so the statistics cover a committee's past.

``read_history`` checks every row against the active committee's sessions, members, categories
and units and returns the rows or every error (row number and column header, in Chinese);
``history_import`` (a service) writes a valid file in one transaction: proposals (``imported``),
confirmed co-signers, assignments, replies, ratings, awards, history rows, duty-ledger rows and
one IMPORT audit row. Rows already in the database are errors (「已存在」), so a file imported
twice changes nothing.

Syntax of the multi-value columns (also in the template's 填写说明 sheet):
- 联名人: names separated by 、; a name shared by two members is written 姓名(委员编号).
- 承办单位: ``单位(办理方式)`` separated by ;, 办理方式 one of 单办/主办/会办/分办; a single unit
  without a 办理方式 is 单办.
- 答复类别: ``单位:类别`` separated by ; for every answering unit (单办/主办/分办); a single
  category applies to every answering unit.
- 态度评价 / 结果评价: 满意/基本满意/不满意, either one value for every answering unit or
  ``单位:评价`` separated by ;.
"""

import datetime
import io
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.worksheet.datavalidation import DataValidation

from zhengxie.core.audit import audit_record
from zhengxie.core.ledger import record_duty
from zhengxie.core.models import AuditAction, DutyRole
from zhengxie.core.spreadsheets import (
    MAX_ROWS,
    YES_NO,
    Column,
    SheetCheck,
    SheetRow,
    SpreadsheetError,
    column_texts,
    parse_date,
    row_error,
    sheet_rows,
    template_workbook,
)
from zhengxie.organisation.models import HandlingUnit, Session
from zhengxie.organisation.queries import member_in_cell, seats_by_term
from zhengxie.proposals.models import (
    ANSWERING_ROLES,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Award,
    AwardKind,
    CoSigner,
    KeyState,
    Proposal,
    ProposalCategory,
    ProposalHistory,
    ProposalState,
    Rating,
    Reply,
    Satisfaction,
    SignatureState,
    SubmitterType,
)

COLUMNS = [
    Column("会议", "session", required=True, width=16),
    Column("大会提案", "plenary", width=8),
    Column("提交日期", "submitted", required=True, width=12),
    Column("提案者类型", "submitter_type", required=True, width=12),
    Column("第一提案人", "lead", max_length=32, width=10),
    Column("第一提案人编号", "lead_number", max_length=16, width=10),
    Column("联名人", "cosigners", width=20),
    Column("提案单位", "body", max_length=128, width=16),
    Column("案号", "number", width=6),
    Column("案由", "title", required=True, max_length=200, width=36),
    Column("类别", "category", width=10),
    Column("审查结果", "outcome", required=True, width=12),
    Column("并入案号", "merged_into", width=8),
    Column("不立案理由", "ground", max_length=128, width=20),
    Column("承办单位", "units", width=32),
    Column("答复类别", "reply_categories", width=24),
    Column("态度评价", "attitude", width=16),
    Column("结果评价", "result", width=16),
    Column("重点提案", "key", width=8),
    Column("获奖", "award", width=10),
]
REQUIRED_HEADERS = [c.header for c in COLUMNS if c.required]
SUBMITTER_TYPES = {
    "委员个人": SubmitterType.MEMBER,
    "委员联名": SubmitterType.JOINT,
    "党派团体": SubmitterType.PARTY_GROUP,
    "专门委员会": SubmitterType.SPECIAL_COMMITTEE,
    "界别小组": SubmitterType.SECTOR_GROUP,
    "界别/小组": SubmitterType.SECTOR_GROUP,
}
MEMBER_TYPES = (SubmitterType.MEMBER, SubmitterType.JOINT)
OUTCOMES = {
    "立案": ProposalState.REGISTERED,
    "并案": ProposalState.MERGED,
    "转意见建议": ProposalState.TO_OPINION_LETTER,
    "转社情民意": ProposalState.TO_PUBLIC_OPINION,
    "不予立案": ProposalState.NOT_REGISTERED,
}
OUTCOME_DUTY = {
    ProposalState.REGISTERED: "registered",
    ProposalState.MERGED: "merged",
    ProposalState.TO_OPINION_LETTER: "to_opinion_letter",
    ProposalState.TO_PUBLIC_OPINION: "to_public_opinion",
}
ROLES = {
    "单办": AssignmentRole.SINGLE,
    "主办": AssignmentRole.MAIN,
    "会办": AssignmentRole.CO,
    "分办": AssignmentRole.SPLIT,
}
RATINGS = {
    "满意": Satisfaction.SATISFIED,
    "基本满意": Satisfaction.BASICALLY,
    "不满意": Satisfaction.UNSATISFIED,
}
AWARDS = {"优秀提案": AwardKind.OUTSTANDING_PROPOSAL}
NAMES_SPLIT = re.compile(r"[、,,]+")
ITEMS_SPLIT = re.compile(r"[;;\n]+")
UNIT_ROLE = re.compile(r"^(?P<unit>.+?)\s*[((](?P<role>[^()()]+)[))]$")
REPLY_AFTER = datetime.timedelta(days=60)
DEADLINE_AFTER = datetime.timedelta(days=90)


# --- template -------------------------------------------------------------------------------


NOTES = [
    gettext_lazy(
        "红色表头为必填项。每行一件提案,填写其最终结果;只要有一行有误,整个文件都不会导入。"
    ),
    gettext_lazy("会议:填写会议名称,须与“组织机构”中的会议(届次)名称完全一致,如“十届四次会议”。"),
    gettext_lazy("大会提案:是/否(大会期间提交的填“是”)。提交日期:如 2024-01-12。"),
    gettext_lazy("提案者类型:委员个人、委员联名、党派团体、专门委员会、界别小组。"),
    gettext_lazy(
        "第一提案人:委员姓名,须为该会议所属届次的委员;有同名委员时须填写“第一提案人编号”(委员编号)。党派团体、专门委员会、界别小组的提案填写“提案单位”,不填第一提案人。"
    ),
    gettext_lazy("联名人:多名委员用顿号“、”分隔;有同名委员时写成 姓名(委员编号)。"),
    gettext_lazy("案号:本次会议的提案编号(数字),立案提案必须填写。类别:须为系统中已有的提案类别。"),
    gettext_lazy(
        "审查结果:立案、并案、转意见建议、转社情民意、不予立案。并案须填写“并入案号”(同一会议中立案提案的案号)。"
    ),
    gettext_lazy(
        "承办单位:单位(办理方式),多个单位用分号“;”分隔,办理方式为 单办/主办/会办/分办;"
        "只有一个单位且未写办理方式时为单办。例:县教育局(主办);县财政局(会办)"
    ),
    gettext_lazy(
        "答复类别:单位:类别,多个用分号分隔,例:县教育局:A;县财政局:B。只填一个类别时适用于所有答复单位(单办、主办、分办);会办单位不填。"
    ),
    gettext_lazy(
        "态度评价、结果评价:满意/基本满意/不满意;可只填一个(适用于所有答复单位),"
        "或写成 县教育局:满意;县财政局:基本满意。"
    ),
    gettext_lazy(
        "状态:有答复且有评价的为“已办结”,有答复未评价的为“已答复”,未答复的为“办理中”,未填承办单位的为“已立案”。"
    ),
    gettext_lazy("重点提案:是/否。获奖:优秀提案,或不填(表彰年度为提交年度)。"),
    gettext_lazy("交办、答复、评价日期未知时按提交日期推算,仅供统计使用。"),
    gettext_lazy(
        "已导入的提案(同一会议的相同案号,或相同案由和第一提案人)会报“已存在”,不会重复导入。"
    ),
]


def history_template() -> bytes:
    """The downloadable .xlsx template with a 填写说明 sheet listing the valid names."""
    wb, ws, letter = template_workbook("历史提案", COLUMNS)
    lists = {
        "plenary": "是,否",
        "key": "是,否",
        "submitter_type": "委员个人,委员联名,党派团体,专门委员会,界别小组",
        "outcome": ",".join(OUTCOMES),
    }
    for key, choices in lists.items():
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        ws.add_data_validation(validation)
        validation.add(f"{letter[key]}2:{letter[key]}{MAX_ROWS}")

    notes = wb.create_sheet("填写说明")
    notes.append([_("填写说明")])
    for line in NOTES:
        notes.append([str(line)])
    notes.append([])
    notes.append([_("会议"), _("提案类别"), _("承办单位")])
    names = [
        [s.name for s in Session.objects.order_by("-opens_on")],
        [c.name for c in ProposalCategory.objects.all()],
        [u.name for u in HandlingUnit.objects.all()],
    ]
    for i in range(max((len(n) for n in names), default=0)):
        notes.append([n[i] if i < len(n) else "" for n in names])
    notes.column_dimensions["A"].width = 60
    notes.column_dimensions["B"].width = 20
    notes.column_dimensions["C"].width = 24
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading and checking -------------------------------------------------------------------


class Lookups:
    """The committee's names, loaded once per file (inside its scope)."""

    def __init__(self):
        self.sessions = {s.name: s for s in Session.objects.select_related("term")}
        self.categories = {c.name: c for c in ProposalCategory.objects.all()}
        self.units = {}
        for unit in HandlingUnit.objects.all():
            self.units[unit.name] = unit
            if unit.short_name:
                self.units.setdefault(unit.short_name, unit)
        self.members = seats_by_term()
        self.existing_numbers = set()
        self.existing_titles = set()
        self.registered = {}  # (session id, number) → proposal id, for 并入案号
        for pk, session_id, number, title, lead_id, state in Proposal.objects.values_list(
            "pk", "session_id", "number", "title", "lead_id", "state"
        ):
            if number is not None:
                self.existing_numbers.add((session_id, number))
                if state in REGISTERED_OR_LATER:
                    self.registered[(session_id, number)] = pk
            self.existing_titles.add((session_id, title, lead_id))


REGISTERED_OR_LATER = (
    ProposalState.REGISTERED,
    ProposalState.ASSIGNED,
    ProposalState.REPLIED,
    ProposalState.CLOSED,
)


def read_history(upload) -> SheetCheck:
    """Parse and check every row; raises ``SpreadsheetError`` for an unreadable file."""
    lookups = Lookups()
    check = SheetCheck()
    seen = {"numbers": {}, "titles": {}, "registered": {}}
    pending_merges = []
    for number, cells in sheet_rows(upload, COLUMNS):
        values, errors = _check_row(number, cells, lookups)
        if values.get("session") is not None and not errors:
            repeated = _repeatrow_error(number, values, lookups, seen)
            if repeated is not None:
                errors.append(repeated)
            elif values["merged_into"] is not None:
                pending_merges.append((number, values))
        check.errors.extend(errors)
        if not errors:
            check.rows.append(SheetRow(number=number, values=values))
    for number, values in pending_merges:
        target = (values["session"].pk, values["merged_into"])
        if target in lookups.registered:
            values["merged_into_id"] = lookups.registered[target]
        elif target in seen["registered"]:
            values["merged_into_row"] = seen["registered"][target]
        else:
            message = _("该会议中没有案号为 %(n)s 的立案提案") % {"n": values["merged_into"]}
            check.errors.append(row_error(number, "并入案号", message))
            check.rows = [r for r in check.rows if r.number != number]
    check.errors.sort(key=lambda e: e["row"])
    if not check.rows and not check.errors:
        raise SpreadsheetError(_("文件中没有提案数据(第2行起填写)。"))
    return check


def _repeatrow_error(number, values, lookups, seen):
    """The error for a row already in the database or earlier in the file, else None; records
    the row in ``seen`` (案号, and 案由 with 第一提案人) otherwise."""
    session, lead = values["session"], values["lead"]
    key = (session.pk, values["number"])
    title_key = (session.pk, values["title"], lead.pk if lead else None)
    if values["number"] is not None:
        if key in lookups.existing_numbers:
            return row_error(number, "案号", _("已存在(该会议已有此案号的提案)"))
        if key in seen["numbers"]:
            message = _("与第%(row)s行重复") % {"row": seen["numbers"][key]}
            return row_error(number, "案号", message)
    if title_key in lookups.existing_titles:
        return row_error(number, "案由", _("已存在(相同会议、案由和第一提案人)"))
    if title_key in seen["titles"]:
        message = _("与第%(row)s行重复") % {"row": seen["titles"][title_key]}
        return row_error(number, "案由", message)
    seen["titles"][title_key] = number
    if values["number"] is not None:
        seen["numbers"][key] = number
        if values["state"] == ProposalState.REGISTERED:
            seen["registered"][key] = number
    return None


def _pairs(text):
    """ "单位:值;单位:值" → [(单位, 值)], or [(None, 值)] for one bare value."""
    pairs = []
    for item in (t.strip() for t in ITEMS_SPLIT.split(text)):
        if not item:
            continue
        parts = re.split(r"[::]", item, maxsplit=1)
        pairs.append((parts[0].strip(), parts[1].strip()) if len(parts) == 2 else (None, item))
    return pairs


def _member(seats, text, err, header):
    """One membership named ``姓名`` or ``姓名(编号)``; errors go to ``err``."""
    member, message = member_in_cell(
        seats, text, not_member=_("“%(name)s”不是该会议所属届次的委员")
    )
    if message:
        err(header, message)
    return member


def _check_row(number, cells, lookups):  # noqa: C901  (one flat check per column reads best)
    values, errors = {}, []

    def err(header, message):
        errors.append(row_error(number, header, message))

    text = column_texts(cells, COLUMNS, err)
    values["title"] = text["title"]
    values["ground"] = text["ground"]
    values["body"] = text["body"]

    session = lookups.sessions.get(text["session"]) if text["session"] else None
    if text["session"] and session is None:
        err("会议", _("“%(name)s”不存在,请先在组织机构中添加") % {"name": text["session"]})
    values["session"] = session

    for key, header in (("plenary", "大会提案"), ("key", "重点提案")):
        if text[key] and text[key] not in YES_NO:
            err(header, _("应为“是”或“否”"))
        values[key] = YES_NO.get(text[key], False)

    submitted = None
    if text["submitted"]:
        submitted = parse_date(cells.get("submitted"))
        if submitted is None:
            err("提交日期", _("日期格式不正确,应如 2024-01-12"))
        elif not datetime.date(1949, 10, 1) <= submitted <= timezone.localdate():
            err("提交日期", _("日期超出范围"))
            submitted = None
    values["submitted"] = submitted

    submitter_type = SUBMITTER_TYPES.get(text["submitter_type"])
    if text["submitter_type"] and submitter_type is None:
        err("提案者类型", _("应为委员个人、委员联名、党派团体、专门委员会或界别小组"))
    values["submitter_type"] = submitter_type

    seats = lookups.members.get(session.term_id, {"name": {}, "number": {}}) if session else None
    values["lead"], values["cosigners"] = None, []
    if submitter_type in MEMBER_TYPES:
        if not text["lead"] and not text["lead_number"]:
            err("第一提案人", _("委员提案必须填写第一提案人"))
        elif seats is not None:
            if text["lead_number"]:
                member = seats["number"].get(text["lead_number"])
                if member is None or (text["lead"] and member.person.name != text["lead"]):
                    err("第一提案人编号", _("找不到该编号的委员,或与第一提案人姓名不符"))
                    member = None
                values["lead"] = member
            else:
                values["lead"] = _member(seats, text["lead"], err, "第一提案人")
        if text["body"]:
            err("提案单位", _("委员提案不填写提案单位"))
    elif submitter_type is not None:
        if not text["body"]:
            err("提案单位", _("党派团体、专门委员会、界别小组的提案必须填写提案单位"))
        if text["lead"] or text["lead_number"] or text["cosigners"]:
            err("第一提案人", _("非委员提案不填写第一提案人和联名人"))
    if text["cosigners"] and seats is not None and submitter_type in MEMBER_TYPES:
        for name in (n.strip() for n in NAMES_SPLIT.split(text["cosigners"])):
            if not name:
                continue
            member = _member(seats, name, err, "联名人")
            if (
                member is not None
                and member != values["lead"]
                and member not in values["cosigners"]
            ):
                values["cosigners"].append(member)
    if submitter_type == SubmitterType.JOINT and text["cosigners"] == "":
        err("联名人", _("委员联名提案必须填写联名人"))

    values["number"] = None
    if text["number"]:
        if text["number"].isdigit() and 0 < int(text["number"]) < 100000:
            values["number"] = int(text["number"])
        else:
            err("案号", _("应为正整数"))

    values["category"] = None
    if text["category"]:
        values["category"] = lookups.categories.get(text["category"])
        if values["category"] is None:
            err("类别", _("“%(name)s”不是已有的提案类别") % {"name": text["category"]})

    state = OUTCOMES.get(text["outcome"])
    if text["outcome"] and state is None:
        err("审查结果", _("应为立案、并案、转意见建议、转社情民意或不予立案"))
    values["state"] = state
    values["merged_into"] = None
    if state == ProposalState.MERGED:
        if not text["merged_into"].isdigit():
            err("并入案号", _("并案须填写并入提案的案号(数字)"))
        else:
            values["merged_into"] = int(text["merged_into"])
    elif text["merged_into"]:
        err("并入案号", _("只有并案的提案填写并入案号"))
    if state == ProposalState.REGISTERED and values["number"] is None and not text["number"]:
        err("案号", _("立案提案必须填写案号"))

    values["assignments"] = []
    values["award"] = None
    if text["award"]:
        values["award"] = AWARDS.get(text["award"])
        if values["award"] is None:
            err("获奖", _("应为“优秀提案”或不填"))
    if state is not None and state != ProposalState.REGISTERED:
        for key, header in (
            ("units", "承办单位"),
            ("reply_categories", "答复类别"),
            ("attitude", "态度评价"),
            ("result", "结果评价"),
        ):
            if text[key]:
                err(header, _("只有立案的提案填写此项"))
        if values["key"] or values["award"]:
            err("重点提案" if values["key"] else "获奖", _("只有立案的提案可以是重点提案或获奖"))
    elif state == ProposalState.REGISTERED:
        values["assignments"] = _check_units(text, lookups, err)
    return values, errors


def _check_units(text, lookups, err):  # noqa: C901  (the four unit columns read together)
    """[{"unit", "role", "category", "attitude", "result"}] from the four unit columns."""
    items = [t.strip() for t in ITEMS_SPLIT.split(text["units"]) if t.strip()]
    assignments = []
    for item in items:
        match = UNIT_ROLE.match(item)
        name, role_text = (match["unit"].strip(), match["role"].strip()) if match else (item, "")
        role = ROLES.get(role_text) if role_text else AssignmentRole.SINGLE
        if role is None:
            err(
                "承办单位",
                _("“%(role)s”不是办理方式,应为单办、主办、会办或分办") % {"role": role_text},
            )
            continue
        unit = lookups.units.get(name)
        if unit is None:
            err("承办单位", _("“%(name)s”不是已有的承办单位") % {"name": name})
            continue
        if any(a["unit"] == unit for a in assignments):
            err("承办单位", _("“%(name)s”重复") % {"name": name})
            continue
        assignments.append({"unit": unit, "role": role, "name": name})
    roles = [a["role"] for a in assignments]
    if roles:
        if len(roles) > 1 and AssignmentRole.SINGLE in roles:
            err("承办单位", _("多个承办单位时须写明办理方式(主办、会办或分办)"))
        if AssignmentRole.MAIN in roles and AssignmentRole.SPLIT in roles:
            err("承办单位", _("主办与分办不能同时出现"))
        if roles.count(AssignmentRole.MAIN) > 1:
            err("承办单位", _("只能有一个主办单位"))
        if AssignmentRole.CO in roles and AssignmentRole.MAIN not in roles:
            err("承办单位", _("有会办单位时须有一个主办单位"))
    answering = [a for a in assignments if a["role"] in ANSWERING_ROLES]
    for key, header, choices in (
        ("reply_categories", "答复类别", None),
        ("attitude", "态度评价", RATINGS),
        ("result", "结果评价", RATINGS),
    ):
        for a in assignments:
            a[key] = None
        if not text[key]:
            continue
        if not assignments:
            err(header, _("请先填写承办单位"))
            continue
        for unit_name, value in _pairs(text[key]):
            targets = answering
            if unit_name is not None:
                targets = [a for a in answering if unit_name in (a["name"], a["unit"].name)]
                if not targets:
                    err(
                        header,
                        _("“%(name)s”不是本提案的答复单位(单办、主办或分办)") % {"name": unit_name},
                    )
                    continue
            if choices is not None and value not in choices:
                err(header, _("应为满意、基本满意或不满意"))
                continue
            if choices is None and not re.fullmatch(r"[A-Za-z0-9]{1,8}", value):
                err(header, _("答复类别应为字母,如 A、B、C"))
                continue
            for a in targets:
                a[key] = choices[value] if choices else value.upper()
    for a in answering:
        rated = a["attitude"] is not None or a["result"] is not None
        if rated and (a["attitude"] is None or a["result"] is None):
            err("态度评价", _("%(name)s:态度评价和结果评价须同时填写") % {"name": a["name"]})
        if rated and a["reply_categories"] is None:
            err("答复类别", _("%(name)s:已评价的答复须填写答复类别") % {"name": a["name"]})
    return assignments


# --- writing --------------------------------------------------------------------------------


def _state_of(assignments):
    """(proposal state, {unit id: assignment state}) from the imported outcome of each unit."""
    answering = [a for a in assignments if a["role"] in ANSWERING_ROLES]
    if not assignments:
        return ProposalState.REGISTERED, {}
    replied = all(a["reply_categories"] for a in answering) and bool(answering)
    rated = replied and all(a["attitude"] for a in answering)
    proposal_state = (
        ProposalState.CLOSED
        if rated
        else ProposalState.REPLIED
        if replied
        else ProposalState.ASSIGNED
    )
    states = {}
    for a in assignments:
        if a["role"] not in ANSWERING_ROLES:
            done = proposal_state == ProposalState.CLOSED
            states[a["unit"].pk] = AssignmentState.DONE if done else AssignmentState.ACCEPTED
        elif a["attitude"]:
            states[a["unit"].pk] = AssignmentState.DONE
        elif a["reply_categories"]:
            states[a["unit"].pk] = AssignmentState.REPLIED
        else:
            states[a["unit"].pk] = AssignmentState.ACCEPTED
    return proposal_state, states


def _local_datetime(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


@transaction.atomic
def history_import(*, actor, committee, rows, filename=""):
    """Write checked rows (all or nothing). Returns the counts of what was created."""
    if not actor.has_perm("proposals.import_history"):
        raise PermissionDenied(_("您没有导入历史提案的权限。"))
    # Lock the sessions involved, then check again that nothing was imported meanwhile.
    session_ids = {r.values["session"].pk for r in rows}
    list(Session.objects.select_for_update().filter(pk__in=session_ids))
    numbers = Q(pk__in=[])
    for r in rows:
        v = r.values
        if v["number"] is not None:
            numbers |= Q(session_id=v["session"].pk, number=v["number"])
        numbers |= Q(session_id=v["session"].pk, title=v["title"], lead=v["lead"])
    if Proposal.objects.filter(numbers).exists():
        raise ValidationError(_("部分提案已存在(可能刚被导入),请重新上传文件以查看详情。"))

    today = timezone.localdate()
    counts = dict.fromkeys(
        ("proposals", "cosigners", "assignments", "replies", "ratings", "awards"), 0
    )
    by_row, duty = {}, []
    for r in sorted(rows, key=lambda r: "merged_into_row" in r.values):
        v = r.values
        submitted = v["submitted"]
        state, unit_states = (
            _state_of(v["assignments"])
            if v["state"] == ProposalState.REGISTERED
            else (v["state"], {})
        )
        merged_into_id = v.get("merged_into_id") or (
            by_row[v["merged_into_row"]].pk if "merged_into_row" in v else None
        )
        proposal = Proposal.objects.create(
            committee=committee,
            session=v["session"],
            is_plenary=v["plenary"],
            submitter_type=v["submitter_type"],
            lead=v["lead"],
            submitting_body=v["body"],
            title=v["title"],
            category=v["category"],
            situation="",
            suggestions="",
            state=state,
            submitted_at=_local_datetime(submitted),
            number=v["number"],
            registered_on=submitted if v["state"] == ProposalState.REGISTERED else None,
            not_registered_ground=v["ground"],
            merged_into_id=merged_into_id,
            key_state=KeyState.DECIDED if v["key"] else KeyState.NONE,
            created_by=actor,
            imported=True,
        )
        by_row[r.number] = proposal
        counts["proposals"] += 1
        signers = [(v["lead"], DutyRole.LEAD)] if v["lead"] else []
        for order, member in enumerate(v["cosigners"], start=1):
            CoSigner.objects.create(
                committee=committee,
                proposal=proposal,
                membership=member,
                order=order,
                state=SignatureState.CONFIRMED,
                answered_at=_local_datetime(submitted),
            )
            signers.append((member, DutyRole.CO_SIGNER))
            counts["cosigners"] += 1
        for a in v["assignments"]:
            assignment = Assignment.objects.create(
                committee=committee,
                proposal=proposal,
                unit=a["unit"],
                role=a["role"],
                state=unit_states[a["unit"].pk],
                assigned_on=submitted,
                deadline=submitted + DEADLINE_AFTER,
                accepted_on=submitted,
            )
            counts["assignments"] += 1
            if a["role"] in ANSWERING_ROLES and a["reply_categories"]:
                replied_on = min(submitted + REPLY_AFTER, today)
                reply = Reply.objects.create(
                    committee=committee,
                    assignment=assignment,
                    round=1,
                    text=_("(历史数据导入)"),
                    category=a["reply_categories"],
                    replied_on=replied_on,
                    created_by=actor,
                )
                counts["replies"] += 1
                if a["attitude"]:
                    Rating.objects.create(
                        committee=committee,
                        reply=reply,
                        attitude=a["attitude"],
                        result=a["result"],
                        rated_by=actor,
                        rated_on=replied_on,
                    )
                    counts["ratings"] += 1
        if v["award"]:
            Award.objects.create(
                committee=committee,
                kind=v["award"],
                year=submitted.year,
                awarded_on=min(datetime.date(submitted.year, 12, 31), today),
                proposal=proposal,
                note=_("历史数据导入"),
                created_by=actor,
            )
            counts["awards"] += 1
        ProposalHistory.objects.create(
            subject=proposal,
            committee=committee,
            from_state="",
            action="import",
            to_state=state,
            actor=actor,
            note=_("历史数据导入:%(file)s 第%(row)s行")
            % {"file": filename or "-", "row": r.number},
            data={"row": r.number},
        )
        sub_kinds = []
        if v["state"] in OUTCOME_DUTY:
            sub_kinds.append(OUTCOME_DUTY[v["state"]])
        if v["key"]:
            sub_kinds.append("key")
        if v["award"]:
            sub_kinds.append("outstanding")
        for order, (member, role) in enumerate(signers, start=1):
            first = "submitted" if role == DutyRole.LEAD else "co_signed"
            for sub_kind in (first, *sub_kinds):
                duty.append((member, sub_kind, role, order, len(signers), submitted, proposal))
    for member, sub_kind, role, order, participants, on, proposal in duty:
        record_duty(
            membership=member,
            kind="proposal",
            sub_kind=sub_kind,
            occurred_on=on,
            source=proposal,
            role=role,
            order=order,
            participants=participants,
            actor=actor,
        )
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        committee=committee,
        object_type="proposals.Proposal",
        object_label=_("历史提案导入:%(file)s") % {"file": filename or "-"},
        after={**counts, "rows": {str(n): p.pk for n, p in by_row.items()}},
        note=_("导入提案 %(proposals)s 件") % counts,
    )
    return counts
