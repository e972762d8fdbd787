"""Directory export to .xlsx: the filtered list, sensitive columns masked unless permitted."""

import io

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from zhengxie.core.audit import audit_record
from zhengxie.core.fields import mask_id_number, mask_phone
from zhengxie.core.models import AuditAction
from zhengxie.organisation import queries
from zhengxie.organisation.models import PositionKind
from zhengxie.organisation.services import require

HEADERS = [
    "姓名",
    "性别",
    "民族",
    "出生年份",
    "党派",
    "宗教信仰",
    "学历",
    "身份证号",
    "手机号码",
    "界别",
    "活动小组",
    "专门委员会",
    "工作单位",
    "职务",
    "是否常委",
    "委员编号",
    "任职日期",
    "状态",
    "离任日期",
]


def _describe(filters):
    return {k: str(v) for k, v in filters.items() if v not in (None, "")}


@transaction.atomic
def directory_export(*, actor, committee, filters: dict) -> bytes:
    """The directory as .xlsx, with the same filters as the page; writes one EXPORT audit row.

    ID and phone numbers and religion are in clear only for ``organisation.view_sensitive``.
    """
    require(actor, "organisation.export_roster")
    clear = actor.has_perm("organisation.view_sensitive")
    today = timezone.localdate()
    rows = queries.membership_directory(**filters).prefetch_related("positions__special_committee")
    wb = Workbook()
    ws = wb.active
    ws.title = "委员名录"
    ws.append(HEADERS)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    count = 0
    for m in rows:
        p = m.person
        special = [
            pos.special_committee.name
            for pos in m.positions.all()
            if pos.kind == PositionKind.SPECIAL_COMMITTEE
            and pos.special_committee_id
            and pos.starts_on <= today
            and (pos.ends_on is None or pos.ends_on >= today)
        ]
        ws.append(
            [
                p.name,
                p.get_gender_display(),
                p.ethnicity,
                p.birth_year,
                p.party,
                p.religion if clear else ("***" if p.religion else ""),
                p.education,
                p.id_number if clear else mask_id_number(p.id_number),
                p.phone if clear else mask_phone(p.phone),
                m.sector.name,
                m.group.name if m.group else "",
                "、".join(special),
                m.work_unit,
                m.job_title,
                _("是") if m.is_standing else _("否"),
                m.number,
                m.joined_on,
                m.get_status_display(),
                m.left_on,
            ]
        )
        count += 1
    for letter, width in (("A", 10), ("H", 22), ("I", 14), ("J", 14), ("M", 24), ("Q", 12)):
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2, min_col=17, max_col=19):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        committee=committee,
        object_type="organisation.Membership",
        object_label=_("委员名录导出"),
        after={"rows": count, "filters": _describe(filters), "sensitive_in_clear": clear},
        note=_("导出 %(n)s 条委员记录") % {"n": count},
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
