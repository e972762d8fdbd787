import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.factories import (
    PASSWORD,
    MembershipFactory,
    SectorFactory,
    TermFactory,
    grant_role,
    user_with_role,
)
from zhengxie.core.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(committee):
    term = TermFactory(committee=committee)
    for name in ("中共", "教育界", "医药卫生界"):
        sector = SectorFactory(committee=committee, name=name)
        for _ in range(2):
            MembershipFactory(committee=committee, term=term, sector=sector)
    return user_with_role(committee, Role.STAFF, username="staff")


def test_staff_home_shows_figures_and_charts_at_desktop_and_phone_width(
    live_server, page, phone_page, staff
):
    sign_in(page, live_server.url, "staff", PASSWORD)
    assert page.inner_text("#stat-in-office") == "6"
    page.wait_for_selector("[data-chart='chart-sector'] canvas")
    screenshot(page, "home-staff-desktop")

    sign_in(phone_page, live_server.url, "staff", PASSWORD)
    phone_page.click("button[data-bs-target='#sidebar']")
    phone_page.wait_for_selector("#sidebar.show")
    assert phone_page.is_visible("#sidebar >> text=委员名录") or phone_page.is_visible(
        "#sidebar >> text=首页"
    )
    screenshot(phone_page, "home-staff-phone-menu")


def test_wrong_password_shows_a_chinese_error(live_server, page, staff):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "staff")
    page.fill("#id_password", "wrong")
    page.click("#login-submit")
    assert "用户名或密码不正确。" in page.inner_text("main")


def test_a_person_with_two_roles_switches_committee(live_server, page, staff, other_committee):
    grant_role(staff, other_committee, Role.MEMBER)
    sign_in(page, live_server.url, "staff", PASSWORD)
    page.click("#user-menu")
    page.click(f"text={other_committee.short_name} · 委员")
    assert other_committee.name in page.inner_text("main h1")
