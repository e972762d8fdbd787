import datetime
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.factories import MembershipFactory
from zhengxie.core.models import AuditAction, AuditEntry, DutyRecord
from zhengxie.meetings import importers
from zhengxie.meetings.models import (
    Invitation,
    InvitationHistory,
    Meeting,
    MeetingHistory,
    MeetingState,
)

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
HEADERS = [c.header for c in importers.COLUMNS]


def _upload(rows, headers=HEADERS, name="meetings.xlsx"):
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h, "") for h in headers])
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


@pytest.fixture
def days():
    today = timezone.localdate()
    return today - datetime.timedelta(days=100), today - datetime.timedelta(days=60)


@pytest.fixture
def good_rows(days):
    first, second = days
    return [
        {
            "会议名称": "十届政协第十次常委会议",
            "会议类别": "常委会议",
            "开始时间": f"{first:%Y-%m-%d} 09:00",
            "结束时间": f"{first:%Y-%m-%d} 12:00",
            "地点": "政协四楼会议室",
            "会期(半天)": "1",
            "出席委员": "李明、王芳",
            "请假委员": "赵强",
        },
        {
            "会议名称": "第五次主席会议",
            "会议类别": "主席会议",
            "开始时间": second,
            "地点": "政协三楼会议室",
            "会期(半天)": 2,
            "出席委员": "李明",
            "缺席委员": "王芳",
        },
    ]


def _import(county, rows):
    check = importers.read_history(_upload(rows), committee=county.committee)
    assert check.errors == []
    return importers.history_import(
        actor=county.staff, committee=county.committee, rows=check.rows, filename="meetings.xlsx"
    )


def test_a_file_imports_closed_meetings_with_attendance_and_ledger_rows(county, good_rows, days):
    first, second = days
    counts = _import(county, good_rows)
    assert counts == {"meetings": 2, "invitations": 5, "attended": 3, "leave": 1, "absent": 1}

    standing, chairs = Meeting.objects.order_by("starts_at")
    assert (standing.title, standing.category, standing.state) == (
        "十届政协第十次常委会议",
        "standing",
        MeetingState.CLOSED,
    )
    assert standing.starts_at == datetime.datetime.combine(first, datetime.time(9), tzinfo=TZ)
    assert standing.ends_at == datetime.datetime.combine(first, datetime.time(12), tzinfo=TZ)
    assert chairs.starts_at == datetime.datetime.combine(second, datetime.time(9), tzinfo=TZ)
    assert chairs.ends_at == datetime.datetime.combine(second, datetime.time(17, 30), tzinfo=TZ)
    assert chairs.half_days == Decimal("2")

    names = {m.person.name: m for _u, m in county.members}
    assert {
        (i.meeting.title, i.membership.person.name, i.state, i.sign_in_method)
        for i in Invitation.objects.select_related("meeting", "membership__person")
    } == {
        ("十届政协第十次常委会议", "李明", "signed_in", "staff"),
        ("十届政协第十次常委会议", "王芳", "signed_in", "staff"),
        ("十届政协第十次常委会议", "赵强", "leave_approved", ""),
        ("第五次主席会议", "李明", "signed_in", "staff"),
        ("第五次主席会议", "王芳", "absent", ""),
    }
    ledger = {
        (r.membership_id, r.sub_kind, r.occurred_on, r.half_days, r.source_id)
        for r in DutyRecord.objects.filter(kind="attendance")
    }
    assert ledger == {
        (names["李明"].pk, "standing.attended", first, Decimal("1"), standing.pk),
        (names["王芳"].pk, "standing.attended", first, Decimal("1"), standing.pk),
        (names["赵强"].pk, "standing.leave_approved", first, None, standing.pk),
        (names["李明"].pk, "chairs.attended", second, Decimal("2"), chairs.pk),
        (names["王芳"].pk, "chairs.absent", second, None, chairs.pk),
    }
    assert DutyRecord.objects.count() == 5
    assert list(MeetingHistory.objects.values_list("action", "to_state")) == [
        ("import", "closed"),
        ("import", "closed"),
    ]
    assert InvitationHistory.objects.filter(action="import").count() == 5
    audit = AuditEntry.objects.get(action=AuditAction.IMPORT)
    assert audit.after["meetings"] == 2
    assert audit.after["rows"] == {"2": standing.pk, "3": chairs.pk}


def test_the_same_file_twice_is_refused_as_existing(county, good_rows):
    _import(county, good_rows)
    check = importers.read_history(_upload(good_rows), committee=county.committee)
    assert [e["message"] for e in check.errors] == [
        "第2行「会议名称」:已存在(相同会议名称和开始日期)",
        "第3行「会议名称」:已存在(相同会议名称和开始日期)",
    ]
    assert Meeting.objects.count() == 2


def test_bad_rows_are_reported_and_nothing_is_written(county, good_rows):
    rows = [
        good_rows[0] | {"出席委员": "李明、张三"},
        good_rows[1] | {"会议类别": "常务会议"},
        good_rows[0] | {"会议名称": "另一次会议", "开始时间": "2024-13-45"},
        good_rows[0] | {"会议名称": "重复的委员", "请假委员": "李明"},
    ]
    check = importers.read_history(_upload(rows), committee=county.committee)
    assert [e["message"] for e in check.errors] == [
        "第2行「出席委员」:“张三”不是会议日期所在届次的委员",
        "第3行「会议类别」:应为全体会议、常委会议、主席会议、专委会会议或其他会议",
        "第4行「开始时间」:时间格式不正确,应如 2024-03-15 09:00",
        "第5行「请假委员」:“李明”在本行中重复出现",
    ]
    assert check.rows == []
    assert Meeting.objects.count() == 0
    assert Invitation.objects.count() == 0
    assert DutyRecord.objects.count() == 0


def test_an_ambiguous_name_asks_for_the_member_number(county, good_rows):
    namesake = MembershipFactory(committee=county.committee, term=county.term)
    namesake.person.name = "李明"
    namesake.person.save(update_fields=["name"])
    check = importers.read_history(_upload(good_rows[:1]), committee=county.committee)
    assert [e["message"] for e in check.errors] == [
        "第2行「出席委员」:有多名委员叫“李明”,请注明委员编号"
    ]


def test_a_future_meeting_is_not_history(county, good_rows):
    later = timezone.localdate() + datetime.timedelta(days=3)
    rows = [good_rows[0] | {"开始时间": f"{later:%Y-%m-%d} 09:00", "结束时间": ""}]
    check = importers.read_history(_upload(rows), committee=county.committee)
    assert [e["message"] for e in check.errors] == [
        "第2行「开始时间」:历史会议的开始时间应在今天之前"
    ]


# Pages ------------------------------------------------------------------------------------


def test_staff_import_through_the_page(county, client, good_rows):
    client.force_login(county.staff)
    response = client.post(reverse("meetings:history_import"), {"file": _upload(good_rows)})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'id="import-summary"' in text
    assert 'id="import-meetings">2<' in text
    assert Meeting.objects.count() == 2


def test_the_page_lists_errors_and_writes_nothing(county, client, good_rows):
    client.force_login(county.staff)
    rows = [good_rows[0] | {"缺席委员": "张三"}]
    response = client.post(reverse("meetings:history_import"), {"file": _upload(rows)})
    assert "第2行「缺席委员」:“张三”不是会议日期所在届次的委员" in response.content.decode()
    assert Meeting.objects.count() == 0


def test_the_template_downloads_with_the_headers(county, client):
    client.force_login(county.staff)
    response = client.get(reverse("meetings:history_template"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb.worksheets[0][1]] == HEADERS
    assert wb.sheetnames == ["历史会议", "填写说明"]


def test_members_may_not_import(county, client):
    client.force_login(county.members[0][0])
    assert client.get(reverse("meetings:history_import")).status_code == 403
    assert client.get(reverse("meetings:history_template")).status_code == 403
