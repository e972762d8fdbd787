import pytest
from django_scopes import scope

from tests.browser.conftest import screenshot, sign_in
from tests.factories import PASSWORD
from zhengxie.core import moderation, config


@pytest.mark.django_db(transaction=True)
def test_pages_at_phone_width(phone_page, live_server, admin_user, committee):
    config.set_setting(committee=committee, key="blocked_words", value=["赌博"], actor=admin_user)
    with scope(committee=committee):
        moderation.submit_for_moderation(committee=committee, text="有人赌博" * 20, author=None, ip=None)
        moderation.submit_for_moderation(committee=committee, text="建议增设公交站", author=None, ip=None)
    sign_in(phone_page, live_server.url, admin_user.username, PASSWORD)
    for name, path in [("settings", "/settings/"), ("calendar", "/calendar/?year=2025"), ("moderation", "/moderation/")]:
        phone_page.goto(live_server.url + path)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        screenshot(phone_page, f"tmp-coreb-{name}")
        assert width <= 390, (name, width)
    phone_page.goto(live_server.url + "/moderation/")
    phone_page.locator("#moderation-queue button[value=approve]").nth(1).click()
    phone_page.wait_for_selector("text=已发布")
    screenshot(phone_page, "tmp-coreb-moderation-after")
