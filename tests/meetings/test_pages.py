import datetime
import io
import re

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import PASSWORD, MembershipFactory
from tests.meetings.test_services import meeting_data
from zhengxie.meetings import services
from zhengxie.meetings.models import AttendanceState, Invitation, Meeting, MeetingState

FORM = {
    "category": "standing",
    "kind_label": "",
    "title": "十届政协第十三次常委会议",
    "starts_at": "2026-12-01T09:00",
    "ends_at": "2026-12-01T12:00",
    "place": "政协四楼会议室",
    "half_days": "1",
    "description": "",
}


@pytest.fixture
def notified(county):
    meeting = services.meeting_create(
        actor=county.staff, committee=county.committee, data=meeting_data()
    )
    services.meeting_invite(
        actor=county.staff, meeting=meeting, memberships=[m for _u, m in county.members[:2]]
    )
    return services.meeting_notify(actor=county.staff, meeting=meeting)


def test_staff_create_a_meeting_from_the_form(county, client):
    client.force_login(county.staff)
    response = client.post(reverse("meetings:create"), FORM)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", kwargs={"pk": meeting.pk})
    assert meeting.title == "十届政协第十三次常委会议"
    assert timezone.localtime(meeting.starts_at).hour == 9


def test_a_bad_form_shows_chinese_errors_and_writes_nothing(county, client):
    client.force_login(county.staff)
    response = client.post(
        reverse("meetings:create"), FORM | {"ends_at": "2026-12-01T08:00", "place": ""}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "结束时间应晚于开始时间。" in text or "这个字段是必填项。" in text
    assert Meeting.objects.count() == 0


def test_members_cannot_open_the_create_page(county, client):
    client.force_login(county.members[0][0])
    assert client.get(reverse("meetings:create")).status_code == 403


def test_a_member_sees_only_meetings_they_are_invited_to(county, client, notified):
    third_user, _m = county.members[2]
    client.force_login(third_user)
    assert client.get(reverse("meetings:detail", kwargs={"pk": notified.pk})).status_code == 404
    listing = client.get(reverse("meetings:list")).content.decode()
    assert notified.title not in listing
    first_user, _m = county.members[0]
    client.force_login(first_user)
    page = client.get(reverse("meetings:detail", kwargs={"pk": notified.pk}))
    assert page.status_code == 200
    assert "我的出席情况" in page.content.decode()


def test_a_member_asks_for_leave_on_the_detail_page(county, client, notified):
    user, membership = county.members[0]
    client.force_login(user)
    invitation = Invitation.objects.get(meeting=notified, membership=membership)
    url = reverse(
        "meetings:invitation_act", kwargs={"pk": invitation.pk, "action": "request_leave"}
    )
    response = client.post(url, {"reason": ""})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == AttendanceState.INVITED
    client.post(url, {"reason": "赴省里参加培训"})
    invitation.refresh_from_db()
    assert (invitation.state, invitation.leave_reason) == ("leave_requested", "赴省里参加培训")


def test_the_attendance_sheet_lists_every_invitee_with_their_state(county, client, notified):
    services.meeting_close(actor=county.staff, meeting=notified)
    client.force_login(county.staff)
    response = client.get(reverse("meetings:attendance_sheet", kwargs={"pk": notified.pk}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [tuple(c.value for c in row[:5]) for row in sheet.iter_rows(min_row=5)]
    assert sorted((r[1], r[4]) for r in rows) == [("李明", "缺席"), ("王芳", "缺席")]
    assert sheet["A3"].value == "应到 2 人,已签到 0 人,同意请假 0 人,请假(未批准)0 人,缺席 2 人"


def test_members_cannot_see_the_attendance_page(county, client, notified):
    client.force_login(county.members[0][0])
    url = reverse("meetings:attendance", kwargs={"pk": notified.pk})
    assert client.get(url).status_code == 403


def _scan_url(page_html):
    return re.search(r'id="scan-link" href="([^"]+)"', page_html).group(1)


def test_the_screen_shows_a_code_that_signs_a_member_in(county, client, notified):
    services.meeting_open_sign_in(actor=county.staff, meeting=notified)
    client.force_login(county.staff)
    screen = client.get(reverse("meetings:screen", kwargs={"pk": notified.pk})).content.decode()
    assert "<svg" in screen and "已签到 0 / 应到 2" in screen
    link = _scan_url(screen)
    user, membership = county.members[0]
    client.force_login(user)
    scanned = client.get(link)
    confirm = reverse("meetings:sign_in", kwargs={"pk": notified.pk})
    assert scanned["Location"] == confirm
    assert "确认签到" in client.get(confirm).content.decode()
    done = client.post(confirm)
    assert "签到成功" in done.content.decode()
    invitation = Invitation.objects.get(meeting=notified, membership=membership)
    assert (invitation.state, invitation.sign_in_method) == ("signed_in", "qr")


def test_a_member_not_yet_logged_in_signs_in_after_logging_in(county, client, notified):
    services.meeting_open_sign_in(actor=county.staff, meeting=notified)
    notified.refresh_from_db()
    link = reverse(
        "meetings:scan", kwargs={"pk": notified.pk, "token": services.sign_in_token(notified)}
    )
    confirm = reverse("meetings:sign_in", kwargs={"pk": notified.pk})
    response = client.get(link)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    user, membership = county.members[1]
    assert client.login(username=user.username, password=PASSWORD)
    client.post(confirm)
    invitation = Invitation.objects.get(meeting=notified, membership=membership)
    assert invitation.state == AttendanceState.SIGNED_IN


def test_a_photo_of_an_old_code_is_refused(county, client, notified, monkeypatch):
    services.meeting_open_sign_in(actor=county.staff, meeting=notified)
    notified.refresh_from_db()
    link = reverse(
        "meetings:scan", kwargs={"pk": notified.pk, "token": services.sign_in_token(notified)}
    )
    later = signing.time.time() + services.QR_VALID_SECONDS + 5
    monkeypatch.setattr(signing.time, "time", lambda: later)
    client.force_login(county.members[0][0])
    response = client.get(link)
    assert response.status_code == 400
    assert "签到二维码已过期,请扫描会场屏幕上最新的二维码。" in response.content.decode()
    confirm = reverse("meetings:sign_in", kwargs={"pk": notified.pk})
    refused = client.post(confirm)
    assert refused.status_code == 400
    assert Invitation.objects.filter(state=AttendanceState.SIGNED_IN).count() == 0


def test_a_forged_code_is_refused(county, client, notified):
    services.meeting_open_sign_in(actor=county.staff, meeting=notified)
    client.force_login(county.members[0][0])
    link = reverse("meetings:scan", kwargs={"pk": notified.pk, "token": f"{notified.pk}:x:y"})
    response = client.get(link)
    assert response.status_code == 404
    assert "签到二维码无效,请扫描会场屏幕上的二维码。" in response.content.decode()


def test_staff_mark_attendance_from_the_attendance_page(county, client, notified):
    client.force_login(county.staff)
    invitation = Invitation.objects.filter(meeting=notified).first()
    url = reverse(
        "meetings:invitation_act", kwargs={"pk": invitation.pk, "action": "mark_signed_in"}
    )
    assert client.post(url).status_code == 302
    invitation.refresh_from_db()
    assert (invitation.state, invitation.sign_in_method) == ("signed_in", "staff")
    page = client.get(reverse("meetings:attendance", kwargs={"pk": notified.pk}))
    assert 'data-state="signed_in"' in page.content.decode()


def test_workflow_actions_answer_with_messages(county, client, notified):
    client.force_login(county.staff)
    url = reverse("meetings:act", kwargs={"pk": notified.pk, "action": "close"})
    client.post(url)
    again = client.post(url, follow=True)
    assert "当前状态“已结束”下不能执行此操作" in again.content.decode()
    notified.refresh_from_db()
    assert notified.state == MeetingState.CLOSED
    assert (
        client.post(
            reverse("meetings:act", kwargs={"pk": notified.pk, "action": "auto_close"})
        ).status_code
        == 404
    )


def test_the_list_page_query_count_is_flat(county, client, django_assert_max_num_queries):
    for n in range(12):
        meeting = services.meeting_create(
            actor=county.staff,
            committee=county.committee,
            data=meeting_data(title=f"主席会议{n}", category="chairs"),
        )
        services.meeting_invite(
            actor=county.staff, meeting=meeting, memberships=[m for _u, m in county.members]
        )
    client.force_login(county.staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:list"))
    assert response.content.decode().count("3/3") == 0
    assert response.content.decode().count("0/3") == 12


def test_decision_form_records_a_standing_member(county, client, notified):
    _u, membership = county.members[0]
    client.force_login(county.staff)
    response = client.post(
        reverse("meetings:decision_add", kwargs={"pk": notified.pk}),
        {
            "kind": "standing_added",
            "text": "增补李明为政协常委",
            "effective_on": datetime.date.today().isoformat(),
            "membership": membership.pk,
        },
    )
    assert response.status_code == 302
    assert membership.positions.get().kind == "standing"


def test_my_meetings_lists_the_members_notices(county, client, notified):
    MembershipFactory(committee=county.committee, term=county.term)
    client.force_login(county.members[0][0])
    page = client.get(reverse("meetings:mine")).content.decode()
    assert notified.title in page
