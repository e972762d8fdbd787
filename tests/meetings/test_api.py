import pytest

from tests.meetings.test_pages import notified  # noqa: F401  (fixture)
from zhengxie.core.tokens import issue_token
from zhengxie.meetings import services
from zhengxie.meetings.models import Invitation


def bearer(user):
    token, _ = issue_token(user=user, role_assignment=user.active_role)
    return {"Authorization": f"Bearer {token}"}


def test_a_member_lists_and_opens_the_meetings_they_are_invited_to(client, county, notified):  # noqa: F811
    user, _m = county.members[0]
    listing = client.get("/api/v1/meetings", headers=bearer(user)).json()
    assert [m["title"] for m in listing["results"]] == [notified.title]
    detail = client.get(f"/api/v1/meetings/{notified.pk}", headers=bearer(user)).json()
    assert detail["my_invitation"]["state"] == "invited"
    assert detail["my_invitation"]["available_actions"] == ["request_leave"]
    outsider, _m = county.members[2]
    response = client.get(f"/api/v1/meetings/{notified.pk}", headers=bearer(outsider))
    assert response.status_code == 404


def test_a_member_asks_for_leave_through_the_api(client, county, notified):  # noqa: F811
    user, membership = county.members[0]
    invitation = Invitation.objects.get(meeting=notified, membership=membership)
    url = f"/api/v1/invitations/{invitation.pk}/leave"
    body = client.post(
        url, {"reason": "出差"}, content_type="application/json", headers=bearer(user)
    )
    assert body.json()["my_invitation"]["state"] == "leave_requested"
    again = client.post(
        url, {"reason": "出差"}, content_type="application/json", headers=bearer(user)
    )
    assert again.status_code == 409
    other, _m = county.members[1]
    refused = client.post(
        url, {"reason": "x"}, content_type="application/json", headers=bearer(other)
    )
    assert refused.status_code == 404


def test_a_phone_signs_in_with_the_scanned_code(client, county, notified):  # noqa: F811
    services.meeting_open_sign_in(actor=county.staff, meeting=notified)
    notified.refresh_from_db()
    user, membership = county.members[1]
    url = f"/api/v1/meetings/{notified.pk}/sign-in"
    forged = client.post(
        url, {"token": "x:y:z"}, content_type="application/json", headers=bearer(user)
    )
    assert forged.status_code == 400
    assert forged.json()["detail"] == "签到二维码无效,请扫描会场屏幕上的二维码。"
    token = services.sign_in_token(notified)
    done = client.post(url, {"token": token}, content_type="application/json", headers=bearer(user))
    assert done.json()["my_invitation"]["state"] == "signed_in"
    assert Invitation.objects.get(meeting=notified, membership=membership).sign_in_method == "qr"


@pytest.mark.parametrize("body", [{}, {"token": ""}])
def test_a_sign_in_without_a_code_is_invalid(client, county, notified, body):  # noqa: F811
    user, _m = county.members[1]
    url = f"/api/v1/meetings/{notified.pk}/sign-in"
    response = client.post(url, body, content_type="application/json", headers=bearer(user))
    assert response.status_code == 422
