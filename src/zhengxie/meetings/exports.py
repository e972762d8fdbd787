"""The attendance sheet (签到表 / 出席情况表) of one meeting, as .xlsx."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from zhengxie.meetings.queries import attendance_counts, attendance_rows

HEADERS = ["序号", "姓名", "界别", "工作单位及职务", "出席情况", "签到时间", "签到方式", "请假事由"]
WIDTHS = [6, 12, 18, 36, 10, 18, 12, 30]


def attendance_sheet(meeting) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("出席情况")
    when = timezone.localtime(meeting.starts_at)
    ws.append([f"{meeting.title}出席情况表"])
    ws.append(
        [_("时间:%(t)s  地点:%(p)s") % {"t": when.strftime("%Y-%m-%d %H:%M"), "p": meeting.place}]
    )
    counts = attendance_counts(meeting)
    ws.append(
        [
            _("应到 %(e)s 人,已签到 %(s)s 人,同意请假 %(l)s 人,请假(未批准)%(r)s 人,缺席 %(a)s 人")
            % {
                "e": counts["expected"],
                "s": counts["signed_in"],
                "l": counts["leave_approved"],
                "r": counts["leave_requested"],
                "a": counts["absent"],
            }
        ]
    )
    ws.append(HEADERS)
    ws["A1"].font = Font(bold=True, size=14)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=4, column=index).column_letter].width = width
    for n, row in enumerate(attendance_rows(meeting), start=1):
        membership = row.membership
        signed = (
            timezone.localtime(row.signed_in_at).strftime("%Y-%m-%d %H:%M")
            if row.signed_in_at
            else ""
        )
        ws.append(
            [
                n,
                membership.person.name,
                membership.sector.name,
                " ".join(x for x in (membership.work_unit, membership.job_title) if x),
                row.get_state_display(),
                signed,
                row.get_sign_in_method_display() if row.sign_in_method else "",
                row.leave_reason,
            ]
        )
    ws.freeze_panes = "A5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
