"""Roster import from .xlsx: a Chinese-headed template, row-by-row checks, one transaction.

``read_roster`` parses and validates every row and returns the rows or the list of errors
(row number and column header); ``roster_import`` (a service) writes a valid file, matching
existing people by ID number.
"""

import io
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.worksheet.datavalidation import DataValidation

from zhengxie.core.audit import audit_record
from zhengxie.core.fields import digest
from zhengxie.core.models import AuditAction
from zhengxie.core.spreadsheets import (
    MAX_ROWS,
    YES_NO,
    Column,
    SheetCheck,
    SheetRow,
    SpreadsheetError,
    cell_text,
    parse_date,
    row_error,
    sheet_rows,
    template_workbook,
)
from zhengxie.organisation import services
from zhengxie.organisation.models import (
    Gender,
    MemberGroup,
    Membership,
    Person,
    Position,
    PositionEndReason,
    PositionKind,
    Sector,
    SpecialCommittee,
)

COLUMNS = [
    Column("姓名", "name", required=True, max_length=32, width=10),
    Column("性别", "gender", required=True, width=6),
    Column("民族", "ethnicity", max_length=16, width=8),
    Column("出生年份", "birth_year", width=8),
    Column("党派", "party", max_length=32, width=12),
    Column("宗教信仰", "religion", max_length=32, width=10),
    Column("学历", "education", max_length=32, width=10),
    Column("身份证号", "id_number", required=True, width=22),
    Column("手机号码", "phone", width=14),
    Column("电子邮箱", "email", max_length=254, width=20),
    Column("界别", "sector", required=True, width=14),
    Column("活动小组", "group", width=14),
    Column("专门委员会", "special_committees", width=18),
    Column("工作单位", "work_unit", max_length=128, width=24),
    Column("职务", "job_title", max_length=128, width=16),
    Column("是否常委", "standing", width=8),
    Column("委员编号", "number", max_length=16, width=10),
    Column("任职日期", "joined_on", width=12),
]
REQUIRED_HEADERS = [c.header for c in COLUMNS if c.required]
GENDERS = {"男": Gender.MALE, "女": Gender.FEMALE}
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
PHONE_RE = re.compile(r"^1\d{10}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LIST_SPLIT = re.compile(r"[、,,;;\s]+")


def id_number_is_valid(value: str) -> bool:
    """An 18-character resident ID number with a correct check digit (GB 11643)."""
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    total = sum(int(d) * w for d, w in zip(value[:17], ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11] == value[17]


def roster_template(*, sectors=(), groups=(), special_committees=()) -> bytes:
    """The downloadable .xlsx template: headers, an example row's hints and the valid names."""
    wb, ws, letter = template_workbook("委员名册", COLUMNS)
    gender = DataValidation(type="list", formula1='"男,女"', allow_blank=False)
    standing = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    ws.add_data_validation(gender)
    ws.add_data_validation(standing)
    gender.add(f"{letter['gender']}2:{letter['gender']}{MAX_ROWS}")
    standing.add(f"{letter['standing']}2:{letter['standing']}{MAX_ROWS}")
    for column_key in ("id_number", "phone", "number"):
        for row in range(2, 302):
            ws[f"{letter[column_key]}{row}"].number_format = "@"

    notes = wb.create_sheet("填写说明")
    notes.append([_("说明")])
    notes.append([_("红色表头为必填项;按身份证号匹配已有委员,重复导入不会重复创建。")])
    notes.append([_("性别填“男”或“女”;是否常委填“是”或“否”;任职日期格式如 2022-01-10。")])
    notes.append(
        [_("多个专门委员会用顿号“、”分隔。界别、活动小组、专门委员会须先在“组织机构”中维护。")]
    )
    notes.append([])
    notes.append([_("界别"), _("活动小组"), _("专门委员会")])
    names = [list(sectors), list(groups), list(special_committees)]
    for i in range(max((len(n) for n in names), default=0)):
        notes.append([n[i] if i < len(n) else "" for n in names])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 24
    notes.column_dimensions["C"].width = 24
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def read_roster(upload, *, lookups) -> SheetCheck:
    """Parse and validate every row. ``lookups``: sector/group/special-committee names → objects.

    Raises ``SpreadsheetError`` for a file that cannot be read at all.
    """
    check = SheetCheck()
    seen_ids = {}
    for number, cells in sheet_rows(upload, COLUMNS):
        values, errors = _check_row(number, cells, lookups)
        id_number = values.get("id_number")
        if id_number:
            if id_number in seen_ids:
                message = _("与第%(row)s行重复") % {"row": seen_ids[id_number]}
                errors.append(row_error(number, "身份证号", message))
            else:
                seen_ids[id_number] = number
        check.errors.extend(errors)
        if not errors:
            check.rows.append(SheetRow(number=number, values=values))
    if not check.rows and not check.errors:
        raise SpreadsheetError(_("文件中没有委员数据(第2行起填写)。"))
    return check


def _check_row(number, cells, lookups):  # noqa: C901  (one flat check per column reads best)
    values, errors = {}, []

    def err(header, message):
        errors.append(row_error(number, header, message))

    for column in COLUMNS:
        if column.key not in cells:
            continue
        text = cell_text(cells[column.key])
        if column.required and not text:
            err(column.header, _("必须填写"))
            continue
        if column.max_length and len(text) > column.max_length:
            err(column.header, _("不能超过%(n)s个字") % {"n": column.max_length})
            continue
        values[column.key] = text

    if "gender" in values:
        if values["gender"] in GENDERS:
            values["gender"] = GENDERS[values["gender"]]
        else:
            err("性别", _("应为“男”或“女”"))
    year = values.get("birth_year")
    if year:
        this_year = timezone.localdate().year
        if year.isdigit() and 1900 <= int(year) <= this_year:
            values["birth_year"] = int(year)
        else:
            err("出生年份", _("应为 1900–%(year)s 之间的四位年份") % {"year": this_year})
    elif year is not None:
        values["birth_year"] = None
    if "id_number" in values:
        values["id_number"] = values["id_number"].upper()
        if not id_number_is_valid(values["id_number"]):
            err("身份证号", _("不是有效的18位身份证号"))
    phone = values.get("phone", "")
    if phone and not PHONE_RE.match(phone):
        err("手机号码", _("应为11位手机号码"))
    email = values.get("email", "")
    if email and not EMAIL_RE.match(email):
        err("电子邮箱", _("格式不正确"))
    if "sector" in values:
        sector = lookups["sectors"].get(values["sector"])
        if sector is None:
            err("界别", _("“%(name)s”不存在,请先在组织机构中添加") % {"name": values["sector"]})
        values["sector"] = sector
    group_name = values.get("group", "")
    if "group" in values:
        values["group"] = None
    if group_name:
        values["group"] = lookups["groups"].get(group_name)
        if values["group"] is None:
            err("活动小组", _("“%(name)s”不存在,请先在组织机构中添加") % {"name": group_name})
    special = []
    for name in LIST_SPLIT.split(values.get("special_committees", "")):
        if not name:
            continue
        sc = lookups["special_committees"].get(name)
        if sc is None:
            err("专门委员会", _("“%(name)s”不存在,请先在组织机构中添加") % {"name": name})
        elif sc not in special:
            special.append(sc)
    values["special_committees"] = special
    standing = values.get("standing", "")
    if standing and standing not in YES_NO:
        err("是否常委", _("应为“是”或“否”"))
    values["standing"] = YES_NO.get(standing)
    raw_date = cells.get("joined_on")
    if cell_text(raw_date):
        joined_on = parse_date(raw_date)
        if joined_on is None:
            err("任职日期", _("日期格式不正确,应如 2022-01-10"))
        values["joined_on"] = joined_on
    else:
        values["joined_on"] = None
    return values, errors


def roster_lookups():
    return {
        "sectors": {s.name: s for s in Sector.objects.all()},
        "groups": {g.name: g for g in MemberGroup.objects.all()},
        "special_committees": {s.name: s for s in SpecialCommittee.objects.all()},
    }


PERSON_KEYS = ("name", "gender", "ethnicity", "birth_year", "party", "religion", "education")


@transaction.atomic
def roster_import(*, actor, committee, term, rows, filename=""):
    """Write validated rows: add new members, update changed ones, count the unchanged.

    Returns ``{"added", "updated", "unchanged", "rows": [...]}``. One IMPORT audit row carries the
    summary and per-row outcome.
    """
    services.require(actor, "organisation.manage_roster")
    if term is None or term.committee_id != committee.pk:
        raise ValidationError(_("请选择本委员会的届次。"))
    today = timezone.localdate()
    digests = {digest(r.values["id_number"]): r for r in rows}
    people = {p.id_number_digest: p for p in Person.objects.filter(id_number_digest__in=digests)}
    memberships = {
        m.person_id: m
        for m in Membership.objects.select_for_update().filter(
            term=term, person__in=[p.pk for p in people.values()]
        )
    }
    open_positions = {}
    for position in Position.objects.filter(
        membership__in=[m.pk for m in memberships.values()],
        ends_on__isnull=True,
        kind__in=[PositionKind.STANDING, PositionKind.SPECIAL_COMMITTEE],
    ):
        open_positions.setdefault(position.membership_id, []).append(position)

    summary = {"added": 0, "updated": 0, "unchanged": 0}
    details = []
    new_positions = []
    for key, row in digests.items():
        v = row.values
        person_data = {k: v[k] for k in PERSON_KEYS if k in v}
        if v.get("phone"):
            person_data["phone"] = v["phone"]
        if v.get("email"):
            person_data["email"] = v["email"]
        joined_on = v["joined_on"] or term.starts_on
        seat = {k: v[k] for k in ("sector", "group", "number", "work_unit", "job_title") if k in v}
        person = people.get(key)
        changed = False
        if person is None:
            person_data["id_number"] = v["id_number"]
            person = services.create_person_row(committee=committee, data=person_data)
        else:
            fields = services._apply_person_fields(person, person_data)
            if fields:
                person.save(update_fields=fields)
                changed = True
        membership = memberships.get(person.pk)
        if membership is None:
            membership = services.create_membership_row(
                committee=committee,
                term=term,
                person=person,
                data={**seat, "joined_on": joined_on},
                actor=actor,
            )
            outcome = "added"
        else:
            if v["joined_on"]:
                seat["joined_on"] = v["joined_on"]
            fields = services.apply_membership_fields(membership, seat)
            if fields:
                membership.save(update_fields=fields)
                changed = True
            outcome = "updated" if changed else "unchanged"
        current = open_positions.get(membership.pk, [])
        standing = [p for p in current if p.kind == PositionKind.STANDING]
        if v["standing"] is True and not standing:
            new_positions.append(
                Position(
                    committee=committee,
                    membership=membership,
                    kind=PositionKind.STANDING,
                    starts_on=max(joined_on, membership.joined_on),
                )
            )
        elif v["standing"] is False and standing:
            for position in standing:
                position.ends_on = max(today, position.starts_on)
                position.end_reason = PositionEndReason.CHANGED
                position.save(update_fields=["ends_on", "end_reason"])
        seats = {
            p.special_committee_id for p in current if p.kind == PositionKind.SPECIAL_COMMITTEE
        }
        for sc in v["special_committees"]:
            if sc.pk not in seats:
                new_positions.append(
                    Position(
                        committee=committee,
                        membership=membership,
                        kind=PositionKind.SPECIAL_COMMITTEE,
                        special_committee=sc,
                        role_title=_("委员"),
                        starts_on=membership.joined_on,
                    )
                )
        row_changed = (v["standing"] is True and not standing) or (
            v["standing"] is False and bool(standing)
        )
        row_changed = row_changed or any(sc.pk not in seats for sc in v["special_committees"])
        if outcome == "unchanged" and row_changed:
            outcome = "updated"
        summary[outcome] += 1
        details.append({"row": row.number, "membership": membership.pk, "outcome": outcome})
    Position.objects.bulk_create(new_positions)
    audit_record(
        actor=actor,
        action=AuditAction.IMPORT,
        committee=committee,
        object_type="organisation.Membership",
        object_label=_("委员名册导入:%(file)s") % {"file": filename or "-"},
        after={**summary, "term": term.pk, "rows": details},
        note=_("新增 %(added)s 人,更新 %(updated)s 人,未变化 %(unchanged)s 人") % summary,
    )
    return {**summary, "rows": details}
