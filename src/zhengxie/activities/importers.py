"""History import (历史活动导入): earlier inspections, research and other activities from .xlsx,
one row per activity, so the figures and members' duty records cover the past (a term report
works in the platform's first year).

``read_history`` checks every row against the active committee's terms and members and returns
the rows or every error (row number and column header, in Chinese); ``history_import`` (a
service) writes a valid file in one transaction: activities in state 已开展, their participants
(attended), a report when 报告标题 is given, history rows (``import``), ledger rows exactly as a
live activity's attendance writes them, and one IMPORT audit row. A row already in the database
(same 名称 and 开始日期) is an error (「已存在」), so a file imported twice changes nothing.

Columns: 名称*, 类别* (视察/调研/界别活动/民主监督/其他), 开始日期*, 结束日期, 地点, 组织单位,
参加委员 (names separated by 、, each a member of the term in office on 开始日期, ``姓名`` or
``姓名(委员编号)``), 报告标题 (the report is dated 结束日期 or 开始日期, without authors).
"""

import datetime
import io
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.worksheet.datavalidation import DataValidation

from zhengxie.activities.models import (
    Activity,
    ActivityHistory,
    ActivityReport,
    ActivityState,
    Attendance,
    Category,
    How,
    Participation,
)
from zhengxie.activities.services import default_half_days, sync_participation_ledger
from zhengxie.core.audit import audit_record
from zhengxie.core.models import AuditAction
from zhengxie.core.spreadsheets import (
    MAX_ROWS,
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
from zhengxie.organisation.models import Committee, Term
from zhengxie.organisation.queries import member_in_cell, seats_by_term

COLUMNS = [
    Column("名称", "title", required=True, max_length=200, width=36),
    Column("类别", "category", required=True, width=10),
    Column("开始日期", "starts_on", required=True, width=12),
    Column("结束日期", "ends_on", width=12),
    Column("地点", "place", max_length=128, width=16),
    Column("组织单位", "organiser", max_length=128, width=16),
    Column("参加委员", "members", width=30),
    Column("报告标题", "report", max_length=200, width=30),
]
CATEGORIES = {str(label): value for value, label in Category.choices}
NAMES_SPLIT = re.compile(r"[、,,]+")

NOTES = [
    gettext_lazy("红色表头为必填项。每行一次活动;只要有一行有误,整个文件都不会导入。"),
    gettext_lazy("类别:视察、调研、界别活动、民主监督或其他。日期如 2024-03-15。"),
    gettext_lazy(
        "参加委员:多名委员用顿号“、”分隔,须为开始日期所在届次的委员,同名时写成 姓名(委员编号);"
        "导入后记为出席,并计入委员履职记录。"
    ),
    gettext_lazy("报告标题:活动形成了视察或调研报告时填写,报告日期按结束日期(未填按开始日期)。"),
    gettext_lazy("名称和开始日期都相同的活动会报“已存在”,不会重复导入。"),
]


def history_template() -> bytes:
    wb, ws, letter = template_workbook("历史视察调研活动", COLUMNS)
    validation = DataValidation(
        type="list", formula1='"' + ",".join(CATEGORIES) + '"', allow_blank=True
    )
    ws.add_data_validation(validation)
    validation.add(f"{letter['category']}2:{letter['category']}{MAX_ROWS}")
    notes = wb.create_sheet("填写说明")
    notes.append([_("填写说明")])
    for line in NOTES:
        notes.append([str(line)])
    notes.column_dimensions["A"].width = 100
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def existing_keys(committee, titles=None):
    activities = Activity.objects.filter(committee=committee)
    if titles is not None:
        activities = activities.filter(title__in=titles)
    return set(activities.values_list("title", "starts_on"))


def read_history(upload, *, committee) -> SheetCheck:
    """Parse and check every row; raises ``SpreadsheetError`` for an unreadable file."""
    terms = list(Term.objects.filter(committee=committee).order_by("-starts_on"))
    seats = seats_by_term()
    existing = existing_keys(committee)
    check = SheetCheck()
    seen = {}
    for number, cells in sheet_rows(upload, COLUMNS):
        values, errors = _check_row(number, cells, terms, seats)
        if not errors:
            key = (values["title"], values["starts_on"])
            if key in existing:
                errors.append(row_error(number, "名称", _("已存在(相同名称和开始日期)")))
            elif key in seen:
                message = _("与第%(row)s行重复") % {"row": seen[key]}
                errors.append(row_error(number, "名称", message))
            else:
                seen[key] = number
        check.errors.extend(errors)
        if not errors:
            check.rows.append(SheetRow(number=number, values=values))
    if not check.rows and not check.errors:
        raise SpreadsheetError(_("文件中没有活动数据(第2行起填写)。"))
    return check


def _check_row(number, cells, terms, seats):
    values, errors = {}, []

    def err(header, message):
        errors.append(row_error(number, header, message))

    text = column_texts(cells, COLUMNS, err)
    for key in ("title", "place", "organiser", "report"):
        values[key] = text[key]
    values["category"] = CATEGORIES.get(text["category"])
    if text["category"] and values["category"] is None:
        err("类别", _("应为视察、调研、界别活动、民主监督或其他"))
    today = timezone.localdate()
    for key, header in (("starts_on", "开始日期"), ("ends_on", "结束日期")):
        values[key] = None
        if not text[key]:
            continue
        day = parse_date(cells.get(key))
        if day is None:
            err(header, _("日期格式不正确,应如 2024-03-15"))
        elif not datetime.date(1949, 10, 1) <= day <= today:
            err(header, _("日期应在今天之前"))
        else:
            values[key] = day
    if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
        err("结束日期", _("结束日期不能早于开始日期"))
    values["members"] = []
    names = [n.strip() for n in NAMES_SPLIT.split(text["members"]) if n.strip()]
    if names and values["starts_on"] is not None:
        term = next((t for t in terms if t.starts_on <= values["starts_on"]), None)
        term_seats = seats.get(term.pk) if term else None
        if term_seats is None:
            err("参加委员", _("开始日期所在届次没有委员"))
        else:
            for name in names:
                member, message = member_in_cell(
                    term_seats, name, not_member=_("“%(name)s”不是开始日期所在届次的委员")
                )
                if message:
                    err("参加委员", message)
                elif member in values["members"]:
                    err("参加委员", _("“%(name)s”重复") % {"name": name})
                else:
                    values["members"].append(member)
    return values, errors


@transaction.atomic
def history_import(*, actor, committee, rows, filename=""):
    """Write checked rows (all or nothing). Returns the counts of what was created."""
    if not actor.has_perm("activities.import_history"):
        raise PermissionDenied(_("您没有导入历史活动的权限。"))
    role = getattr(actor, "active_role", None)
    if role is None or role.committee_id != committee.pk:
        raise PermissionDenied(_("只能在本委员会登记。"))
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    existing = existing_keys(committee, {r.values["title"] for r in rows})
    if any((r.values["title"], r.values["starts_on"]) in existing for r in rows):
        raise ValidationError(_("部分活动已存在(可能刚被导入),请重新上传文件以查看详情。"))
    counts = {"activities": 0, "participations": 0, "reports": 0}
    by_row = {}
    for r in rows:
        v = r.values
        activity = Activity.objects.create(
            committee=committee,
            title=v["title"],
            category=v["category"],
            kind=str(Category(v["category"]).label),
            starts_on=v["starts_on"],
            ends_on=v["ends_on"],
            half_days=default_half_days(v["starts_on"], v["ends_on"]),
            place=v["place"],
            organiser=v["organiser"],
            state=ActivityState.HELD,
            imported=True,
            created_by=actor,
        )
        by_row[r.number] = activity.pk
        counts["activities"] += 1
        ActivityHistory.objects.create(
            subject=activity,
            committee=committee,
            from_state="",
            action="import",
            to_state=ActivityState.HELD,
            actor=actor,
            note=_("历史数据导入:%(file)s 第%(row)s行")
            % {"file": filename or "-", "row": r.number},
            data={"row": r.number},
        )
        for member in v["members"]:
            participation = Participation.objects.create(
                committee_id=member.committee_id,
                activity=activity,
                membership=member,
                how=How.ASSIGNED,
                attendance=Attendance.ATTENDED,
                created_by=actor,
            )
            counts["participations"] += 1
            sync_participation_ledger(participation, actor)
        if v["report"]:
            ActivityReport.objects.create(
                committee=committee,
                activity=activity,
                title=v["report"],
                written_on=v["ends_on"] or v["starts_on"],
                created_by=actor,
            )
            counts["reports"] += 1
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        committee=committee,
        object_type="activities.Activity",
        object_label=_("历史活动导入:%(file)s") % {"file": filename or "-"},
        after={**counts, "rows": {str(n): pk for n, pk in by_row.items()}},
        note=_("导入视察调研活动 %(activities)s 次") % counts,
    )
    return counts
