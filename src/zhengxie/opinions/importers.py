"""History import (历史社情民意导入): earlier years' public-opinion reports from .xlsx, one row per
report with what became of it, so the statistics and members' duty records cover the past.

``read_history`` checks every row against the active committee's terms, members, information
officers and bulletins and returns the rows or every error (row number and column header, in
Chinese); ``history_import`` (a service) writes a valid file in one transaction: reports,
co-submitters, sent bulletins and their items, off-platform forwardings and adoptions, leader
instructions, history rows (``import``), duty-ledger rows dated at the events and one IMPORT
audit row. A row already in the database (same 标题, 报送日期 and 报送人/单位) is an error
(「已存在」), so a file imported twice changes nothing.

Syntax (also in the template's 填写说明 sheet):
- 报送人/单位: for 委员 and 委员联名 a member of the term in office on 报送日期 (姓名, or
  姓名(委员编号) when two share a name); for 信息员 a person registered in the system; otherwise
  the body (党派团体, 专门委员会, 小组) or the reception room that recorded residents' views.
- 联名委员: names separated by 、 (委员联名 only).
- 刊物期号: ``2024年第5期``; the row's report is an item (单篇) of that sent issue, created when
  missing. The issue's date is the latest 报送日期 of its rows (not before 1 January of its year).
- 市级/省级/全国上报单位: the committee it was sent to (off the platform), dated 报送日期.
  市级/省级/全国采用: 单独采用, 综合采用 or 编入刊物, optionally with the date, e.g.
  ``单独采用(2024-05-06)`` (default: 报送日期); it needs the 上报单位 of that level.
- 领导批示: ``级别:领导:日期`` separated by ;, 级别 one of 县级/市级/省级/全国,
  e.g. ``县级:县长张三:2024-04-02``.
"""

import datetime
import io
import re

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.worksheet.datavalidation import DataValidation

from zhengxie.core.audit import audit_record
from zhengxie.core.config import get_setting
from zhengxie.core.ledger import record_duty
from zhengxie.core.models import AuditAction, DutyRole, Instruction, Level
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
from zhengxie.opinions.models import (
    Adoption,
    AdoptionKind,
    Bulletin,
    BulletinItem,
    BulletinState,
    CoSubmitter,
    Forwarding,
    ItemKind,
    OpinionReport,
    ReportHistory,
    ReportState,
    SourceKind,
)
from zhengxie.organisation.models import Committee, Person, Session, Term
from zhengxie.organisation.queries import member_in_cell, seats_by_term

LEVELS = (
    (Level.CITY, "市级", "adopted_city"),
    (Level.PROVINCE, "省级", "adopted_province"),
    (Level.NATIONAL, "全国", "adopted_national"),
)
COLUMNS = [
    Column("报送日期", "submitted", required=True, width=12),
    Column("标题", "title", required=True, max_length=200, width=36),
    Column("来源", "source", required=True, width=14),
    Column("报送人/单位", "submitter", required=True, max_length=128, width=16),
    Column("联名委员", "cosubmitters", width=20),
    Column("是否采用", "used", required=True, width=8),
    Column("未采用理由", "reason", max_length=255, width=16),
    Column("刊物期号", "bulletin", width=14),
    *(
        column
        for _level, label, _sub in LEVELS
        for column in (
            Column(f"{label}上报单位", f"to_{_level}", max_length=128, width=16),
            Column(f"{label}采用", f"adopted_{_level}", width=14),
        )
    ),
    Column("领导批示", "instructions", width=30),
]
SOURCES = {
    "委员": SourceKind.MEMBER,
    "委员个人": SourceKind.MEMBER,
    "委员联名": SourceKind.JOINT,
    "委员活动小组": SourceKind.GROUP,
    "专门委员会": SourceKind.SPECIAL_COMMITTEE,
    "党派团体": SourceKind.PARTY_GROUP,
    "信息员": SourceKind.INFO_OFFICER,
    "机关代群众反映": SourceKind.STAFF,
    "群众反映": SourceKind.STAFF,
}
MEMBER_SOURCES = (SourceKind.MEMBER, SourceKind.JOINT)
ADOPTION_KINDS = {
    "单独采用": AdoptionKind.ADOPTED,
    "采用": AdoptionKind.ADOPTED,
    "综合采用": AdoptionKind.COMBINED,
    "编入刊物": AdoptionKind.PUBLISHED,
}
INSTRUCTION_LEVELS = {label: value for value, label in Level.choices}
LEVEL_RANK = {Level.COUNTY: 0, Level.CITY: 1, Level.PROVINCE: 2, Level.NATIONAL: 3}
ISSUE = re.compile(r"^(?P<year>\d{4})\s*年\s*第\s*(?P<number>\d{1,3})\s*期$")
KIND_DATE = re.compile(r"^(?P<kind>[^()()]+?)\s*(?:[((](?P<date>[^()()]+)[))])?$")
NAMES_SPLIT = re.compile(r"[、,,]+")
ITEMS_SPLIT = re.compile(r"[;;\n]+")


# --- template -------------------------------------------------------------------------------


NOTES = [
    gettext_lazy(
        "红色表头为必填项。每行一篇信息,填写其最终结果;只要有一行有误,整个文件都不会导入。"
    ),
    gettext_lazy(
        "报送日期:如 2024-03-15。来源:委员、委员联名、委员活动小组、专门委员会、"
        "党派团体、信息员、机关代群众反映。"
    ),
    gettext_lazy(
        "报送人/单位:委员或委员联名填写第一报送委员姓名(须为报送日期所在届次的委员,同名时写成"
        " 姓名(委员编号));信息员填写系统中已登记的信息员姓名;其他来源填写报送单位或接待场所。"
    ),
    gettext_lazy("联名委员:仅“委员联名”填写,多名委员用顿号“、”分隔。"),
    gettext_lazy(
        "是否采用:是/否。未采用的可填写未采用理由;未采用的信息不能填写刊物、上报和采用情况。"
    ),
    gettext_lazy(
        "刊物期号:如“2024年第5期”,该信息作为单篇编入该期刊物(系统中没有时自动建立并记为已印发,"
        "印发日期取该期各行中最晚的报送日期)。"
    ),
    gettext_lazy("市级/省级/全国上报单位:报送的上级政协名称,报送日期按本行报送日期登记。"),
    gettext_lazy(
        "市级/省级/全国采用:单独采用、综合采用或编入刊物,可在括号中注明日期,如“单独采用(2024-05-06)”,"
        "未注明时按报送日期;填写采用情况时须填写同级的上报单位。"
    ),
    gettext_lazy(
        "领导批示:级别:领导:日期,多条用分号“;”分隔,级别为县级、市级、省级或全国,"
        "例:县级:县长张三:2024-04-02;市级:副市长李四:2024-05-10。"
    ),
    gettext_lazy("标题、报送日期和报送人/单位都相同的信息会报“已存在”,不会重复导入。"),
]


def history_template() -> bytes:
    """The downloadable .xlsx template with a 填写说明 sheet."""
    wb, ws, letter = template_workbook("历史社情民意", COLUMNS)
    lists = {
        "used": "是,否",
        "source": "委员,委员联名,委员活动小组,专门委员会,党派团体,信息员,机关代群众反映",
        **{f"adopted_{level}": "单独采用,综合采用,编入刊物" for level, _l, _s in LEVELS},
    }
    for key, choices in lists.items():
        validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
        ws.add_data_validation(validation)
        validation.add(f"{letter[key]}2:{letter[key]}{MAX_ROWS}")
    notes = wb.create_sheet("填写说明")
    notes.append([_("填写说明")])
    for line in NOTES:
        notes.append([str(line)])
    notes.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- reading and checking -------------------------------------------------------------------


def _local_date(moment):
    return timezone.localtime(moment).date()


def existing_keys(committee, titles=None):
    """(标题, 报送日期, 报送人/单位) of the committee's submitted reports (those titled so)."""
    reports = OpinionReport.objects.filter(committee=committee, submitted_at__isnull=False)
    if titles is not None:
        reports = reports.filter(title__in=titles)
    return {
        (r.title, _local_date(r.submitted_at), r.submitter_label)
        for r in reports.select_related("lead__person", "person")
    }


class Lookups:
    """The committee's names, loaded once per file (inside its scope)."""

    def __init__(self, committee):
        self.committee = committee
        self.terms = list(Term.objects.order_by("-starts_on"))
        self.seats = seats_by_term()
        self.persons = {}
        for person in Person.objects.filter(committee=committee):
            self.persons.setdefault(person.name, []).append(person)
        self.bulletins = {
            (b.year, b.number): b for b in Bulletin.objects.filter(committee=committee)
        }
        self.existing = existing_keys(committee)

    def term_on(self, day):
        return next((t for t in self.terms if t.starts_on <= day), None)


def read_history(upload, *, committee) -> SheetCheck:
    """Parse and check every row; raises ``SpreadsheetError`` for an unreadable file."""
    lookups = Lookups(committee)
    check = SheetCheck()
    seen = {}
    for number, cells in sheet_rows(upload, COLUMNS):
        values, errors = _check_row(number, cells, lookups)
        if not errors:
            key = (values["title"], values["submitted"], values["submitter_label"])
            if key in lookups.existing:
                errors.append(row_error(number, "标题", _("已存在(相同标题、报送日期和报送人)")))
            elif key in seen:
                message = _("与第%(row)s行重复") % {"row": seen[key]}
                errors.append(row_error(number, "标题", message))
            else:
                seen[key] = number
        check.errors.extend(errors)
        if not errors:
            check.rows.append(SheetRow(number=number, values=values))
    _check_issue_dates(check)
    check.errors.sort(key=lambda e: e["row"])
    if not check.rows and not check.errors:
        raise SpreadsheetError(_("文件中没有社情民意数据(第2行起填写)。"))
    return check


def _check_issue_dates(check):
    """An issue cannot precede the reports it carries: a row dated after its issue's year."""
    for row in list(check.rows):
        issue = row.values["bulletin"]
        if issue and row.values["submitted"].year > issue[0]:
            check.errors.append(row_error(row.number, "刊物期号", _("刊物年度早于报送日期")))
            check.rows.remove(row)


def _member(seats, text, err, header):
    """One membership named ``姓名`` or ``姓名(编号)``; errors go to ``err``."""
    member, message = member_in_cell(
        seats, text, not_member=_("“%(name)s”不是报送日期所在届次的委员")
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
    values["reason"] = text["reason"]
    today = timezone.localdate()

    submitted = None
    if text["submitted"]:
        submitted = parse_date(cells.get("submitted"))
        if submitted is None:
            err("报送日期", _("日期格式不正确,应如 2024-03-15"))
        elif not datetime.date(1949, 10, 1) <= submitted <= today:
            err("报送日期", _("日期超出范围"))
            submitted = None
    values["submitted"] = submitted

    source = SOURCES.get(text["source"])
    if text["source"] and source is None:
        err(
            "来源",
            _("应为委员、委员联名、委员活动小组、专门委员会、党派团体、信息员或机关代群众反映"),
        )
    values["source"] = source

    values.update(lead=None, person=None, body="", cosubmitters=[], submitter_label="")
    if source in MEMBER_SOURCES and text["submitter"] and submitted is not None:
        term = lookups.term_on(submitted)
        seats = lookups.seats.get(term.pk) if term else None
        if seats is None:
            err("报送人/单位", _("报送日期所在届次没有委员"))
        else:
            values["lead"] = _member(seats, text["submitter"], err, "报送人/单位")
            names = [n.strip() for n in NAMES_SPLIT.split(text["cosubmitters"]) if n.strip()]
            if source == SourceKind.JOINT and not names:
                err("联名委员", _("委员联名的信息须填写联名委员"))
            for name in names:
                member = _member(seats, name, err, "联名委员")
                if member is None:
                    continue
                if member == values["lead"] or member in values["cosubmitters"]:
                    err("联名委员", _("“%(name)s”重复") % {"name": name})
                    continue
                values["cosubmitters"].append(member)
        if values["lead"] is not None:
            values["submitter_label"] = values["lead"].person.name
    elif source == SourceKind.INFO_OFFICER and text["submitter"]:
        found = lookups.persons.get(text["submitter"], [])
        if len(found) != 1:
            message = (
                _("“%(name)s”不是系统中登记的信息员")
                if not found
                else _("有多名人员叫“%(name)s”,请先在系统中区分")
            )
            err("报送人/单位", message % {"name": text["submitter"]})
        else:
            values["person"] = found[0]
            values["submitter_label"] = found[0].name
    elif source is not None:
        values["body"] = values["submitter_label"] = text["submitter"]
    if source == SourceKind.MEMBER and text["cosubmitters"]:
        err("联名委员", _("来源为“委员”的信息不填联名委员,联名的请选“委员联名”"))
    if source is not None and source not in MEMBER_SOURCES and text["cosubmitters"]:
        err("联名委员", _("只有委员联名的信息填写联名委员"))

    used = YES_NO.get(text["used"])
    if text["used"] and used is None:
        err("是否采用", _("应为“是”或“否”"))
    values["used"] = bool(used)
    if used and text["reason"]:
        err("未采用理由", _("已采用的信息不填未采用理由"))

    values["bulletin"] = None
    if text["bulletin"]:
        match = ISSUE.match(text["bulletin"])
        if match is None or int(match["number"]) < 1:
            err("刊物期号", _("格式应如“2024年第5期”"))
        else:
            year, issue_number = int(match["year"]), int(match["number"])
            existing = lookups.bulletins.get((year, issue_number))
            if existing is not None and existing.state != BulletinState.SENT:
                err("刊物期号", _("该期刊物正在编辑中,不能导入"))
            elif not 1949 <= year <= today.year:
                err("刊物期号", _("年度超出范围"))
            else:
                values["bulletin"] = (year, issue_number)

    own_rank = LEVEL_RANK.get(lookups.committee.level, 0)
    values["levels"] = []
    for level, label, _sub in LEVELS:
        to_name, adopted = text[f"to_{level}"], text[f"adopted_{level}"]
        if not (to_name or adopted):
            continue
        if LEVEL_RANK[level] <= own_rank:
            err(f"{label}上报单位", _("只能报送上级政协"))
            continue
        if not to_name:
            err(f"{label}采用", _("请先填写%(label)s上报单位") % {"label": label})
            continue
        entry = {"level": level, "to_name": to_name, "kind": None, "decided_on": submitted}
        if adopted:
            match = KIND_DATE.match(adopted)
            kind = ADOPTION_KINDS.get(match["kind"].strip()) if match else None
            if kind is None:
                err(f"{label}采用", _("应为单独采用、综合采用或编入刊物"))
            else:
                entry["kind"] = kind
                if match["date"]:
                    decided_on = parse_date(match["date"].strip())
                    if decided_on is None or decided_on > today:
                        err(f"{label}采用", _("日期格式不正确,应如 单独采用(2024-05-06)"))
                    elif submitted is not None and decided_on < submitted:
                        err(f"{label}采用", _("采用日期不能早于报送日期"))
                    else:
                        entry["decided_on"] = decided_on
        values["levels"].append(entry)

    values["instructions"] = []
    for item in (t.strip() for t in ITEMS_SPLIT.split(text["instructions"])):
        if not item:
            continue
        parts = [p.strip() for p in re.split(r"[::]", item)]
        level = INSTRUCTION_LEVELS.get(parts[0]) if len(parts) == 3 else None
        given_on = parse_date(parts[2]) if len(parts) == 3 else None
        if level is None or not parts[1] or given_on is None:
            err(
                "领导批示",
                _("“%(item)s”应写成 级别:领导:日期,如 县级:县长张三:2024-04-02") % {"item": item},
            )
        elif given_on > today or (submitted is not None and given_on < submitted):
            err("领导批示", _("批示日期应在报送日期和今天之间"))
        elif len(parts[1]) > 64:
            err("领导批示", _("领导不能超过64个字"))
        else:
            values["instructions"].append(
                {"level": level, "leader": parts[1], "given_on": given_on}
            )

    if used is False and (values["bulletin"] or values["levels"]):
        err("是否采用", _("未采用的信息不能填写刊物期号、上报单位或采用情况"))
    return values, errors


# --- writing --------------------------------------------------------------------------------


def _local_datetime(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))


def _issue_dates(rows):
    """{(year, number): issued_on} for the issues the file names."""
    dates = {}
    for r in rows:
        issue = r.values["bulletin"]
        if issue:
            day = max(r.values["submitted"], datetime.date(issue[0], 1, 1))
            dates[issue] = max(dates.get(issue, day), day)
    return dates


@transaction.atomic
def history_import(*, actor, committee, rows, filename=""):  # noqa: C901  (one pass per row)
    """Write checked rows (all or nothing). Returns the counts of what was created."""
    if not actor.has_perm("opinions.import_history"):
        raise PermissionDenied(_("您没有导入历史社情民意信息的权限。"))
    # Lock the committee (as bulletin numbering does), then check again that nothing was
    # imported meanwhile: two imports of one file run one after the other, the second fails.
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    existing = existing_keys(committee, {r.values["title"] for r in rows})
    for r in rows:
        v = r.values
        if (v["title"], v["submitted"], v["submitter_label"]) in existing:
            raise ValidationError(_("部分信息已存在(可能刚被导入),请重新上传文件以查看详情。"))

    counts = dict.fromkeys(
        ("reports", "bulletins", "items", "forwardings", "adoptions", "instructions"), 0
    )
    bulletins, positions = {}, {}
    for (year, number), issued_on in _issue_dates(rows).items():
        bulletin = Bulletin.objects.filter(committee=committee, year=year, number=number).first()
        if bulletin is None:
            bulletin = Bulletin.objects.create(
                committee=committee,
                year=year,
                number=number,
                title=get_setting(committee, "bulletin_title"),
                issued_on=min(issued_on, datetime.date(year, 12, 31)),
                state=BulletinState.SENT,
                sent_at=_local_datetime(issued_on),
                created_by=actor,
            )
            counts["bulletins"] += 1
        elif bulletin.state != BulletinState.SENT:
            raise ValidationError(_("刊物%(b)s正在编辑中,不能导入。") % {"b": bulletin})
        bulletins[(year, number)] = bulletin
        positions[bulletin.pk] = bulletin.items.aggregate(n=Max("position"))["n"] or 0

    sessions = list(Session.objects.order_by("-opens_on"))
    report_type = ContentType.objects.get_for_model(OpinionReport)
    by_row, duty = {}, []
    for r in rows:
        v = r.values
        submitted = v["submitted"]
        bulletin = bulletins.get(v["bulletin"]) if v["bulletin"] else None
        state = (
            ReportState.PUBLISHED
            if bulletin
            else ReportState.USED
            if v["used"]
            else ReportState.NOT_USED
        )
        report = OpinionReport.objects.create(
            committee=committee,
            session=next((s for s in sessions if s.opens_on <= submitted), None),
            source_kind=v["source"],
            lead=v["lead"],
            person=v["person"],
            submitting_body=v["body"],
            source_note=_("历史数据导入"),
            title=v["title"],
            situation="",
            suggestion="",
            state=state,
            submitted_at=_local_datetime(submitted),
            not_used_reason=v["reason"],
            created_by=actor,
        )
        by_row[r.number] = report
        counts["reports"] += 1
        CoSubmitter.objects.bulk_create(
            CoSubmitter(committee=committee, report=report, membership=m, order=i)
            for i, m in enumerate(v["cosubmitters"], start=2)
        )
        credited = [m for m in (v["lead"], *v["cosubmitters"]) if m is not None]
        events = [("submitted", submitted, "")]
        if v["used"]:
            events.append(("used", submitted, committee.level))
        if bulletin is not None:
            positions[bulletin.pk] += 1
            item = BulletinItem.objects.create(
                committee=committee,
                bulletin=bulletin,
                position=positions[bulletin.pk],
                kind=ItemKind.SINGLE,
                title=v["title"],
                text=_("(历史数据导入)"),
            )
            item.reports.set([report])
            counts["items"] += 1
            events.append(("published", bulletin.issued_on, committee.level))
        for entry in v["levels"]:
            Forwarding.objects.create(
                committee=committee,
                report=report,
                to_level=entry["level"],
                to_name=entry["to_name"],
                forwarded_on=submitted,
                created_by=actor,
            )
            counts["forwardings"] += 1
            events.append(("forwarded", submitted, ""))
            if entry["kind"] is not None:
                Adoption.objects.create(
                    committee=committee,
                    report=report,
                    level=entry["level"],
                    by_name=entry["to_name"],
                    kind=entry["kind"],
                    decided_on=entry["decided_on"],
                    evidence=_("历史数据导入"),
                    recorded_by=actor,
                )
                counts["adoptions"] += 1
                sub_kind = next(s for level, _l, s in LEVELS if level == entry["level"])
                events.append((sub_kind, entry["decided_on"], entry["level"]))
        for given in v["instructions"]:
            Instruction.objects.create(
                committee=committee,
                target_type=report_type,
                target_id=report.pk,
                leader_name=given["leader"],
                leader_title="",
                level=given["level"],
                given_on=given["given_on"],
                text=_("(历史数据导入)"),
                created_by=actor,
            )
            counts["instructions"] += 1
            events.append(("instructed", given["given_on"], given["level"]))
        ReportHistory.objects.create(
            subject=report,
            committee=committee,
            from_state="",
            action="import",
            to_state=state,
            actor=actor,
            note=_("历史数据导入:%(file)s 第%(row)s行")
            % {"file": filename or "-", "row": r.number},
            data={"row": r.number},
        )
        for order, member in enumerate(credited, start=1):
            for sub_kind, on, level in events:
                duty.append((member, sub_kind, on, level, order, len(credited), report))
    for member, sub_kind, on, level, order, participants, report in duty:
        record_duty(
            membership=member,
            kind="opinion",
            sub_kind=sub_kind,
            occurred_on=on,
            source=report,
            role=DutyRole.LEAD if order == 1 else DutyRole.CO_SIGNER,
            order=order,
            participants=participants,
            level=level,
            actor=actor,
        )
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        committee=committee,
        object_type="opinions.OpinionReport",
        object_label=_("历史社情民意导入:%(file)s") % {"file": filename or "-"},
        after={**counts, "rows": {str(n): p.pk for n, p in by_row.items()}},
        note=_("导入社情民意信息 %(reports)s 篇") % counts,
    )
    return counts
