"""A standing-committee meeting as people click: staff plan it and invite members, one member
asks for leave on a phone and staff approve it, another signs in by scanning the hall screen's
QR code on a phone, the third never comes; the attendance sheet and the ledger agree."""

import io
import re
from pathlib import Path

import pytest
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from zhengxie.core.models import DutyRecord

pytestmark = pytest.mark.django_db(transaction=True)


def _as(page, base, user):
    page.context.clear_cookies()
    sign_in(page, base, user.username, PASSWORD)


def test_staff_hold_a_standing_meeting_with_leave_and_qr_sign_in(
    live_server, page, phone_page, county
):
    base = live_server.url
    (asks_leave, _m1), (scans, _m2), (_absent, _m3) = county.members

    # Staff create the meeting, invite every member and send the notice.
    _as(page, base, county.staff)
    page.goto(f"{base}/meetings/")
    page.click("#new-meeting")
    page.select_option("#id_category", "standing")
    page.fill("#id_title", "十届政协第十二次常委会议")
    page.fill("#id_starts_at", "2026-12-01T09:00")
    page.fill("#id_ends_at", "2026-12-01T11:30")
    page.fill("#id_place", "政协四楼会议室")
    page.click("#save-meeting")
    assert page.inner_text("#meeting-state") == "筹备中"
    page.fill("#id_title", "审议政协常委会工作报告")
    page.click("#agenda-form button")
    page.check("#invite-form input[value='all']")
    page.click("#do-invite")
    page.click("#do-notify")
    assert page.inner_text("#meeting-state") == "已通知"
    meeting_url = page.url
    screenshot(page, "meeting-detail-staff")

    # One member asks for leave on a phone.
    _as(phone_page, base, asks_leave)
    phone_page.goto(meeting_url)
    phone_page.click("#ask-leave")
    phone_page.fill("#id_reason", "赴省里参加培训")
    phone_page.click("#do-request_leave")
    assert phone_page.inner_text("#my-attendance-state") == "请假"

    # Staff approve the leave and open sign-in.
    page.goto(f"{meeting_url}attendance/")
    page.click("tr[data-member='李明'] button[data-action='approve_leave']")
    assert page.inner_text("tr[data-member='李明'] [data-state]") == "同意请假"
    page.goto(meeting_url)
    page.click("#do-open_sign_in")
    assert page.inner_text("#meeting-state") == "签到中"
    page.goto(f"{meeting_url}screen/")
    assert page.locator("#sign-in-code svg").count() == 1
    assert "已签到 0 / 应到 3" in page.inner_text("#live-count")
    screenshot(page, "meeting-sign-in-screen")
    scan_link = page.get_attribute("#scan-link", "href")

    # A forged code is refused with a clear message.
    _as(phone_page, base, scans)
    forged = re.sub(r":[^:/]+/$", ":forged/", scan_link)
    phone_page.goto(forged)
    assert phone_page.inner_text("#scan-error") == "签到二维码无效,请扫描会场屏幕上的二维码。"

    # Another member scans the screen's code on a phone and confirms.
    phone_page.goto(scan_link)
    phone_page.click("#confirm-sign-in")
    assert "签到成功" in phone_page.inner_text("#sign-in-done")
    screenshot(phone_page, "meeting-signed-in-phone")
    page.reload()
    assert "已签到 1 / 应到 3" in page.inner_text("#live-count")

    # Staff end the meeting: the third member is absent.
    page.goto(meeting_url)
    page.click("#do-close")
    assert page.inner_text("#meeting-state") == "已结束"
    with page.expect_download() as info:
        page.click("#attendance-sheet")
    sheet = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    states = {row[1].value: row[4].value for row in sheet.iter_rows(min_row=5)}
    assert states == {"李明": "同意请假", "王芳": "已签到", "赵强": "缺席"}
    page.goto(f"{meeting_url}attendance/")
    screenshot(page, "meeting-attendance")

    with scopes_disabled():
        rows = sorted(
            (r.membership.person.name, r.sub_kind)
            for r in DutyRecord.objects.filter(kind="attendance")
        )
    assert rows == [
        ("李明", "standing.leave_approved"),
        ("王芳", "standing.attended"),
        ("赵强", "standing.absent"),
    ]
