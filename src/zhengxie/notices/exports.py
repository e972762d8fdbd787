"""The receipts of one notice (阅读回执情况表), as .xlsx."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from zhengxie.notices.queries import receipt_counts, receipts

HEADERS = [
    "序号",
    "姓名",
    "界别",
    "活动小组",
    "工作单位及职务",
    "阅读情况",
    "阅读时间",
    "回执时间",
    "回执内容",
    "提醒次数",
    "最近提醒时间",
]
WIDTHS = [6, 12, 18, 18, 36, 12, 18, 18, 30, 10, 18]


def _moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _status(row):
    if row.read_at:
        return _("已读")
    if row.membership.person.user_id is None:
        return _("未读(无平台账号)")
    return _("未读")


def receipts_sheet(notice) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("阅读回执")
    ws.append([_("%(t)s 阅读回执情况表") % {"t": notice.title}])
    counts = receipt_counts(notice)
    summary = _("发送 %(n)s 人,已读 %(r)s 人,未读 %(u)s 人(其中无平台账号 %(x)s 人)") % {
        "n": counts["total"],
        "r": counts["read"],
        "u": counts["unread"] + counts["no_account"],
        "x": counts["no_account"],
    }
    if notice.reply_required:
        summary += _(",已回执 %(a)s 人") % {"a": counts["acknowledged"]}
    ws.append([_("发送时间:%(t)s") % {"t": _moment(notice.sent_at)}])
    ws.append([summary])
    ws.append(HEADERS)
    ws["A1"].font = Font(bold=True, size=14)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(row=4, column=index).column_letter].width = width
    for n, row in enumerate(receipts(notice), start=1):
        membership = row.membership
        ws.append(
            [
                n,
                membership.person.name,
                membership.sector.name,
                membership.group.name if membership.group_id else "",
                " ".join(x for x in (membership.work_unit, membership.job_title) if x),
                _status(row),
                _moment(row.read_at),
                _moment(row.acknowledged_at),
                row.reply_text,
                row.reminded_count,
                _moment(row.last_reminded_at),
            ]
        )
    ws.freeze_panes = "A5"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
