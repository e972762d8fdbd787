"""Staff import a roster from Excel, fix a bad row, then find the new member in the directory."""

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD, MemberGroupFactory, SectorFactory, TermFactory, user_with_role
from tests.organisation.roster_files import roster_row, roster_xlsx
from zhengxie.core.models import Role
from zhengxie.core.scoping import scope
from zhengxie.organisation.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(committee):
    TermFactory(committee=committee)
    SectorFactory(committee=committee, name="医药卫生界")
    MemberGroupFactory(committee=committee, name="城关镇小组")
    return user_with_role(committee, Role.STAFF, username="staff")


def test_staff_import_a_roster_after_fixing_a_bad_row_and_find_the_member(
    live_server, page, phone_page, staff, committee, tmp_path
):
    rows = [
        roster_row(1, "医药卫生界", 姓名="欧阳明", 活动小组="城关镇小组", 是否常委="是"),
        roster_row(2, "医药卫生界", 姓名="林晓", 性别="女士"),
    ]
    bad = tmp_path / "roster-bad.xlsx"
    bad.write_bytes(roster_xlsx(rows))
    sign_in(page, live_server.url, "staff", PASSWORD)
    page.click("text=名册导入")
    page.wait_for_selector("#roster-form")

    page.set_input_files("#id_file", str(bad))
    page.click("#roster-submit")
    page.wait_for_selector("#import-errors")
    assert page.inner_text("#import-errors tbody") == "3\t性别\t第3行「性别」:应为“男”或“女”"
    with scope(committee=committee):
        assert Membership.objects.count() == 0

    rows[1]["性别"] = "女"
    good = tmp_path / "roster.xlsx"
    good.write_bytes(roster_xlsx(rows))
    page.set_input_files("#id_file", str(good))
    page.click("#roster-submit")
    page.wait_for_selector("#import-summary")
    assert page.inner_text("#import-added") == "2"
    assert page.is_hidden("#import-errors")
    page.wait_for_selector("#import-progress", state="hidden")
    screenshot(page, "roster-import-summary-desktop")
    with scope(committee=committee):
        assert Membership.objects.count() == 2

    sign_in(phone_page, live_server.url, "staff", PASSWORD)
    phone_page.goto(f"{live_server.url}/organisation/members/")
    phone_page.fill("#id_q", "欧阳")
    phone_page.click("#directory-search")
    # A function, not an expression string: the strict CSP forbids eval.
    phone_page.wait_for_function(
        "() => document.querySelectorAll('#directory-table tbody tr').length === 1"
    )
    assert phone_page.inner_text("#directory-table tbody tr td >> nth=0") == "欧阳明 常委"
    assert phone_page.inner_text("#directory-count") == "共 1 人"
    phone_page.wait_for_selector("#directory-loading", state="hidden")
    screenshot(phone_page, "roster-directory-phone")

    phone_page.click("#directory-table >> text=欧阳明")
    phone_page.wait_for_selector("#member-person")
    assert phone_page.inner_text("#member-id-number") == rows[0]["身份证号"]
    assert phone_page.inner_text("#member-positions tbody tr td >> nth=0") == "常委"
    screenshot(phone_page, "roster-member-phone")
