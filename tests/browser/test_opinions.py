"""A public-opinion report from a member's phone to the chair's sign-off, as people click."""

import pytest
from django_scopes import scopes_disabled

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, CommitteeFactory, user_with_role
from zhengxie.core.models import Role, StaffOffice
from zhengxie.opinions.models import Forwarding, OpinionReport

pytestmark = pytest.mark.django_db(transaction=True)


def _as(page, base, user):
    page.context.clear_cookies()
    sign_in(page, base, user.username, PASSWORD)


def test_member_submits_on_a_phone_staff_edit_and_approve_the_chair_signs_off(
    live_server, page, phone_page, county
):
    base = live_server.url
    city = CommitteeFactory(level="city", name="某市政协")
    county.committee.parent = city
    county.committee.save(update_fields=["parent"])
    staff = user_with_role(
        county.committee, Role.STAFF, username="yan", office=StaffOffice.RESEARCH
    )
    chair = user_with_role(county.committee, Role.CHAIR, username="zhu")
    member, _lead = county.members[0]

    # The member writes and submits on a phone.
    _as(phone_page, base, member)
    phone_page.goto(f"{base}/opinions/new/")
    phone_page.fill("#id_title", "关于规范农村自建房安全管理的建议")
    phone_page.fill("#id_situation", "部分农村自建房未经设计,存在安全隐患。")
    phone_page.fill("#id_analysis", "监管力量不足,群众安全意识薄弱。")
    phone_page.fill("#id_suggestion", "建立农村建房全过程监管制度,开展安全排查。")
    phone_page.click("#submit-report")
    assert phone_page.inner_text("#report-state") == "已报送"
    url = phone_page.url

    # Research-office staff review, edit, use and approve, then forward to the city.
    _as(page, base, staff)
    page.goto(url)
    page.click("#do-r-start_review")
    assert page.inner_text("#report-state") == "编审中"
    page.click("#report-revise summary")
    page.fill("#id_revise-title", "关于加强农村自建房安全管理的建议")
    page.click("#do-revise")
    assert page.inner_text("#report-diff del") == "规范"
    page.click("#do-r-use")
    assert page.inner_text("#report-state") == "已采用"
    page.click("summary[data-action='approve']")
    page.click("#do-r-approve")
    assert page.inner_text("#report-state") == "已审核"

    # The chair signs off.
    _as(page, base, chair)
    page.goto(url)
    page.click("summary[data-action='sign_off']")
    page.fill("#id_sign_off-note", "同意签发")
    page.click("#do-r-sign_off")
    assert page.inner_text("#report-state") == "已签发"

    # Staff forward it to the city committee on the platform.
    _as(page, base, staff)
    page.goto(url)
    page.click("#report-forwarding summary")
    page.select_option("#id_fwd-to_committee", str(city.pk))
    page.click("#do-forward")
    assert "某市政协" in page.inner_text("#report-forwarding")
    with scopes_disabled():
        assert Forwarding.objects.get().received.committee == city
        assert OpinionReport.objects.filter(committee=city).count() == 1

    # The member follows it on the phone: state, the edit's difference, the timeline.
    phone_page.goto(url)
    assert phone_page.inner_text("#report-state") == "已签发"
    assert phone_page.inner_text("#report-diff ins") == "加强"
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone_page, "opinion-detail-phone")
