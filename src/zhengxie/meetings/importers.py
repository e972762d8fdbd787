"""History import (历史会议导入): earlier meetings from .xlsx, one row per meeting with who
attended, who was on approved leave and who was absent, so the statistics and the members' duty
records cover the past.

``read_history`` checks every row against the active committee's terms and members and returns
the rows or every error (row number and column header, in Chinese); ``history_import`` (a
service) writes a valid file in one transaction: closed meetings, invitations in their final
states, history rows (``import``), the duty-ledger attendance rows through the same rule as a
live meeting's close (``services._record_attendance``) and one IMPORT audit row. A meeting
already in the database (same 会议名称 and 开始日期) is an error (「已存在」), so a file
imported twice changes nothing.

Syntax (also in the template's 填写说明 sheet):
- 会议类别: 全体会议, 常委会议, 主席会议, 专委会会议 or 其他会议.
- 开始时间 / 结束时间: ``2024-03-15 09:00`` (a date alone means 09:00). Without 结束时间 a
  meeting of one half-day ends three hours after it starts; a longer one at 17:30 of its last day.
- 出席委员 / 请假委员 / 缺席委员: names separated by 、 (``姓名(委员编号)`` when two share a
  name), members of the term in office on the meeting's date; a member appears once per row.
"""

import datetime
import io
import math
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.worksheet.datavalidation import DataValidation

from zhengxie.core.audit import audit_record
from zhengxie.core.models import AuditAction
from zhengxie.core.periods import LOCAL_TZ
from zhengxie.core.spreadsheets import (
    MAX_ROWS,
    Column,
    SheetCheck,
    SheetRow,
    SpreadsheetError,
    cell_text,
    column_texts,
    parse_date,
    row_error,
    sheet_rows,
    template_workbook,
)
from zhengxie.meetings import services
from zhengxie.meetings.models import (
    AttendanceState,
    Invitation,
    InvitationHistory,
    Meeting,
    MeetingCategory,
    MeetingHistory,
    MeetingState,
    SignInMethod,
)
from zhengxie.organisation.models import Committee, Session, Term
from zhengxie.organisation.queries import member_in_cell, seats_by_term

ATTENDANCE_COLUMNS = (
    ("attended", "出席委员", AttendanceState.SIGNED_IN),
    ("leave", "请假委员", AttendanceState.LEAVE_APPROVED),
    ("absent", "缺席委员", AttendanceState.ABSENT),
)
COLUMNS = [
    Column("会议名称", "title", required=True, max_length=200, width=36),
    Column("会议类别", "category", required=True, width=12),
    Column("开始时间", "starts", required=True, width=18),
    Column("结束时间", "ends", width=18),
    Column("地点", "place", required=True, max_length=128, width=20),
    Column("会期(半天)", "half_days", width=10),
    *(Column(header, key, width=40) for key, header, _state in ATTENDANCE_COLUMNS),
]
CATEGORIES = {str(label): value for value, label in MeetingCategory.choices}
NAMES_SPLIT = re.compile(r"[、,,;;\n]+")
DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y.%m.%d %H:%M")
DEFAULT_START = datetime.time(9)
DEFAULT_LONG_END = datetime.time(17, 30)
MIN_DATE = datetime.date(1949, 10, 1)


# --- template -------------------------------------------------------------------------------


NOTES = [
    gettext_lazy(
        "红色表头为必填项。每行一次会议,填写其最终出席情况;只要有一行有误,整个文件都不会导入。"
    ),
    gettext_lazy("会议类别:全体会议、常委会议、主席会议、专委会会议或其他会议。"),
    gettext_lazy(
        "开始时间、结束时间:如 2024-03-15 09:00,只写日期时按上午9:00;不填结束时间时,"
        "半天的会议按开始后3小时结束,更长的会议按最后一天17:30结束。"
    ),
    gettext_lazy("会期(半天):出席计入履职的时长,以半天计,0.5 至 20,不填按 1。"),
    gettext_lazy(
        "出席委员、请假委员、缺席委员:多名委员用顿号“、”分隔,须为会议日期所在届次的委员,"
        "同名时写成 姓名(委员编号);同一委员在一行中只能出现一次。"
    ),
    gettext_lazy("会议名称和开始日期都相同的会议会报“已存在”,不会重复导入。"),
]


def history_template() -> bytes:
    """The downloadable .xlsx template with a 填写说明 sheet."""
    wb, ws, letter = template_workbook("历史会议", COLUMNS)
    choices = ",".join(CATEGORIES)
    validation = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
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


# --- reading and checking -------------------------------------------------------------------


def parse_moment(value):
    """An aware datetime from a cell (datetime, date or text); a date alone (or an Excel
    date cell, read as midnight) is 09:00."""
    if isinstance(value, datetime.datetime):
        # Excel stores a date cell as midnight: a meeting at 00:00 means a date alone.
        moment = value if value.time() != datetime.time.min else value.replace(hour=9)
    elif isinstance(value, datetime.date):
        moment = datetime.datetime.combine(value, DEFAULT_START)
    else:
        text = cell_text(value).replace("T", " ").replace(":", ":")
        moment = None
        for fmt in DATETIME_FORMATS:
            try:
                moment = datetime.datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
        if moment is None:
            day = parse_date(text)
            if day is None:
                return None
            moment = datetime.datetime.combine(day, DEFAULT_START)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=LOCAL_TZ)
    return moment


def default_end(starts_at, half_days):
    if half_days <= 1:
        return starts_at + datetime.timedelta(hours=3)
    local = starts_at.astimezone(LOCAL_TZ)
    last_day = local.date() + datetime.timedelta(days=math.ceil(half_days / 2) - 1)
    return datetime.datetime.combine(last_day, DEFAULT_LONG_END, tzinfo=LOCAL_TZ)


def _local_day(moment):
    return moment.astimezone(LOCAL_TZ).date()


def existing_keys(committee, titles=None):
    """(会议名称, 开始日期) of the committee's meetings (those titled so)."""
    meetings = Meeting.objects.filter(committee=committee)
    if titles is not None:
        meetings = meetings.filter(title__in=titles)
    return {(m.title, _local_day(m.starts_at)) for m in meetings.only("title", "starts_at")}


class Lookups:
    """The committee's terms and seats, loaded once per file (inside its scope)."""

    def __init__(self, committee):
        self.committee = committee
        self.terms = list(Term.objects.filter(committee=committee).order_by("-starts_on"))
        self.seats = seats_by_term()
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
            key = (values["title"], _local_day(values["starts_at"]))
            if key in lookups.existing:
                errors.append(row_error(number, "会议名称", _("已存在(相同会议名称和开始日期)")))
            elif key in seen:
                message = _("与第%(row)s行重复") % {"row": seen[key]}
                errors.append(row_error(number, "会议名称", message))
            else:
                seen[key] = number
        check.errors.extend(errors)
        if not errors:
            check.rows.append(SheetRow(number=number, values=values))
    check.errors.sort(key=lambda e: e["row"])
    if not check.rows and not check.errors:
        raise SpreadsheetError(_("文件中没有会议数据(第2行起填写)。"))
    return check


def _check_row(number, cells, lookups):  # noqa: C901  (one flat check per column reads best)
    values, errors = {}, []

    def err(header, message):
        errors.append(row_error(number, header, message))

    text = column_texts(cells, COLUMNS, err)
    values["title"] = text["title"]
    values["place"] = text["place"]

    values["category"] = CATEGORIES.get(text["category"])
    if text["category"] and values["category"] is None:
        err("会议类别", _("应为全体会议、常委会议、主席会议、专委会会议或其他会议"))

    half_days = Decimal("1")
    if text["half_days"]:
        try:
            half_days = Decimal(text["half_days"])
        except InvalidOperation:
            half_days = None
        if half_days is None or not (Decimal("0") < half_days <= Decimal("20")):
            err("会期(半天)", _("应为 0.5 至 20 之间的数字"))
            half_days = None
        elif half_days * 2 != int(half_days * 2):
            err("会期(半天)", _("以半天计,应为 0.5 的整数倍"))
            half_days = None
    values["half_days"] = half_days

    now = timezone.now()
    starts_at = None
    if text["starts"]:
        starts_at = parse_moment(cells.get("starts"))
        if starts_at is None:
            err("开始时间", _("时间格式不正确,应如 2024-03-15 09:00"))
        elif _local_day(starts_at) < MIN_DATE or starts_at > now:
            err("开始时间", _("历史会议的开始时间应在今天之前"))
            starts_at = None
    values["starts_at"] = starts_at

    ends_at = None
    if text["ends"]:
        ends_at = parse_moment(cells.get("ends"))
        if ends_at is None:
            err("结束时间", _("时间格式不正确,应如 2024-03-15 12:00"))
        elif starts_at is not None and ends_at <= starts_at:
            err("结束时间", _("结束时间应晚于开始时间"))
            ends_at = None
    elif starts_at is not None and half_days is not None:
        ends_at = default_end(starts_at, half_days)
    values["ends_at"] = ends_at

    values["attendance"] = []
    if starts_at is None:
        return values, errors
    term = lookups.term_on(_local_day(starts_at))
    seats = lookups.seats.get(term.pk) if term else None
    named = {}
    for key, header, state in ATTENDANCE_COLUMNS:
        names = [n.strip() for n in NAMES_SPLIT.split(text[key]) if n.strip()]
        if names and seats is None:
            err(header, _("会议日期所在届次没有委员"))
            continue
        for name in names:
            member, message = member_in_cell(
                seats, name, not_member=_("“%(name)s”不是会议日期所在届次的委员")
            )
            if message:
                err(header, message)
                continue
            if member.pk in named:
                err(header, _("“%(name)s”在本行中重复出现") % {"name": name})
                continue
            named[member.pk] = state
            values["attendance"].append((member, state))
    return values, errors


# --- writing --------------------------------------------------------------------------------


def _session_on(sessions, day):
    return next((s for s in sessions if s.opens_on <= day <= s.closes_on), None)


@transaction.atomic
def history_import(*, actor, committee, rows, filename=""):
    """Write checked rows (all or nothing). Returns the counts of what was created."""
    if not actor.has_perm("meetings.import_history"):
        raise PermissionDenied(_("您没有导入历史会议的权限。"))
    # Lock the committee, then check again that nothing was imported meanwhile: two imports of
    # one file run one after the other, the second fails.
    Committee.objects.select_for_update().filter(pk=committee.pk).first()
    existing = existing_keys(committee, {r.values["title"] for r in rows})
    for r in rows:
        if (r.values["title"], _local_day(r.values["starts_at"])) in existing:
            raise ValidationError(_("部分会议已存在(可能刚被导入),请重新上传文件以查看详情。"))

    sessions = list(Session.objects.filter(committee=committee).order_by("opens_on"))
    counts = {"meetings": 0, "invitations": 0, "attended": 0, "leave": 0, "absent": 0}
    outcome = {
        AttendanceState.SIGNED_IN: "attended",
        AttendanceState.LEAVE_APPROVED: "leave",
        AttendanceState.ABSENT: "absent",
    }
    by_row = {}
    note = _("历史数据导入:%(file)s 第%(row)s行")
    for r in rows:
        v = r.values
        meeting = Meeting.objects.create(
            committee=committee,
            category=v["category"],
            title=v["title"],
            session=_session_on(sessions, _local_day(v["starts_at"])),
            starts_at=v["starts_at"],
            ends_at=v["ends_at"],
            place=v["place"],
            half_days=v["half_days"],
            description=_("(历史数据导入)"),
            state=MeetingState.CLOSED,
            created_by=actor,
        )
        by_row[r.number] = meeting
        counts["meetings"] += 1
        row_note = note % {"file": filename or "-", "row": r.number}
        MeetingHistory.objects.create(
            subject=meeting,
            committee=committee,
            from_state="",
            action="import",
            to_state=MeetingState.CLOSED,
            actor=actor,
            note=row_note,
            data={"row": r.number},
        )
        for membership, state in v["attendance"]:
            signed_in = state == AttendanceState.SIGNED_IN
            invitation = Invitation.objects.create(
                committee=committee,
                meeting=meeting,
                membership=membership,
                state=state,
                signed_in_at=v["starts_at"] if signed_in else None,
                sign_in_method=SignInMethod.STAFF if signed_in else "",
            )
            InvitationHistory.objects.create(
                subject=invitation,
                committee=committee,
                from_state="",
                action="import",
                to_state=state,
                actor=actor,
                note=row_note,
                data={"row": r.number},
            )
            counts["invitations"] += 1
            counts[outcome[state]] += 1
            invitation.membership = membership
            services._record_attendance(invitation, meeting, actor)
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        committee=committee,
        object_type="meetings.Meeting",
        object_label=_("历史会议导入:%(file)s") % {"file": filename or "-"},
        after={**counts, "rows": {str(n): m.pk for n, m in by_row.items()}},
        note=_("导入历史会议 %(meetings)s 次") % counts,
    )
    return counts
