"""The proposal lifecycle across logins, as people click through it."""

import datetime

import pytest
from django_scopes import scopes_disabled

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from zhengxie.proposals.models import Assignment, Proposal, ProposalState

pytestmark = pytest.mark.django_db(transaction=True)


def _as(page, base, user):
    page.context.clear_cookies()
    sign_in(page, base, user.username, PASSWORD)


def test_member_to_staff_to_units_and_back_until_satisfied(live_server, page, phone_page, county):
    base = live_server.url
    (lead_user, _lead), (co_user, co_member) = county.members[0], county.members[1]
    (main_user, main_unit), (co_unit_user, co_unit) = county.units[0], county.units[1]

    # The member writes a joint proposal on a phone and invites a co-signer.
    _as(phone_page, base, lead_user)
    phone_page.goto(f"{base}/proposals/new/")
    phone_page.fill("#id_title", "关于推进县域医共体建设的建议")
    phone_page.select_option("#id_category", str(county.category.pk))
    phone_page.fill("#id_situation", "乡镇卫生院服务能力弱,群众看病仍向县城集中。")
    phone_page.fill(
        "#id_suggestions", "一是推动县级医院专家下沉;二是统一药品目录;三是完善远程会诊。"
    )
    phone_page.select_option("#id_cosigners", str(co_member.pk))
    phone_page.click("#submit-proposal")
    assert phone_page.inner_text("#proposal-state") == "征集联名"
    screenshot(phone_page, "proposal-collecting-phone")
    url = phone_page.url

    # The co-signer confirms online; the lead then submits.
    _as(page, base, co_user)
    page.goto(url)
    page.click("#cosign-confirm")
    assert "已确认联名" in page.inner_text("main")
    _as(page, base, lead_user)
    page.goto(url)
    page.click("#do-p-submit")
    assert page.inner_text("#proposal-state") == "已提交"

    # Staff register it and assign it jointly.
    _as(page, base, county.staff)
    page.goto(url)
    page.click("summary[data-action='register']")
    page.click("#do-p-register")
    assert page.inner_text("#proposal-state") == "已立案"
    page.click("summary[data-action='assign']")
    page.select_option("#id_assign-mode", "joint")
    page.select_option("#id_assign-units", [str(main_unit.pk), str(co_unit.pk)])
    page.select_option("#id_assign-main_unit", str(main_unit.pk))
    page.click("#do-p-assign")
    assert page.inner_text("#proposal-state") == "办理中"
    with scopes_disabled():
        proposal = Proposal.objects.get()
        main = Assignment.objects.get(unit=main_unit)
        co = Assignment.objects.get(unit=co_unit)

    # The co-unit sends its view to the main unit.
    _as(page, base, co_unit_user)
    page.goto(url)
    page.click(f"#do-{co.pk}-accept")
    page.click(f"#assignment-{co.pk} summary[data-action='send_view']")
    page.fill(f"#id_a{co.pk}-send_view-text", "县财政局将统筹安排资金支持。")
    page.click(f"#do-{co.pk}-send_view")

    # The main unit contacts the proposer and replies B.
    today = datetime.date.today().isoformat()
    _as(page, base, main_user)
    page.goto(url)
    page.click(f"#do-{main.pk}-accept")

    def contact_and_reply(category, text):
        page.click(f"#assignment-{main.pk} summary[data-action='contact']")
        page.select_option(f"#id_a{main.pk}-contact-way", "meeting")
        page.fill(f"#id_a{main.pk}-contact-contact_on", today)
        page.fill(f"#id_a{main.pk}-contact-summary", "与提案人面谈办理思路")
        page.click(f"#do-{main.pk}-contact")
        page.click(f"#assignment-{main.pk} summary[data-action='reply']")
        page.fill(f"#id_a{main.pk}-reply-text", text)
        page.select_option(f"#id_a{main.pk}-reply-category", category)
        page.click(f"#do-{main.pk}-reply")

    contact_and_reply("B", "已列入明年卫生健康工作计划,逐步推进。")
    assert page.inner_text("#proposal-state") == "已答复"

    # The member is not satisfied; the unit handles it again; then the member is satisfied.
    def rate(value):
        _as(page, base, lead_user)
        page.goto(url)
        page.click(f"#assignment-{main.pk} summary[data-action='rate']")
        page.check(f"input[name='a{main.pk}-rate-attitude'][value='{value}']")
        page.check(f"input[name='a{main.pk}-rate-result'][value='{value}']")
        page.click(f"#do-{main.pk}-rate")

    rate("unsatisfied")
    assert page.inner_text("#proposal-state") == "办理中"
    _as(page, base, main_user)
    page.goto(url)
    contact_and_reply("A", "已出台医共体建设实施方案,专家每周下沉乡镇。")
    rate("satisfied")
    assert page.inner_text("#proposal-state") == "已办结"
    screenshot(page, "proposal-closed-desktop")
    with scopes_disabled():
        proposal.refresh_from_db()
        assert proposal.state == ProposalState.CLOSED
        assert [r.final_category for r in main.replies.order_by("round")] == ["B", "A"]
