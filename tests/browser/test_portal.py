"""The public portal as people click: an editor writes a news item with a picture and submits
it, another staff member approves it, and a resident finds it on a phone; until then the item
is nowhere on the public pages. A member's data reaches the public members page only with
their consent, and only the fields they ticked."""

import pytest

from tests.browser.conftest import PHONE, screenshot, sign_in
from tests.factories import PASSWORD
from zhengxie.demo.portal import scene_png

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "县政协召开“推进农村生活污水治理”专题协商会"


def _as(page, base, user):
    page.context.clear_cookies()
    sign_in(page, base, user.username, PASSWORD)


def _fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_a_news_item_is_published_through_review_and_read_on_a_phone(
    live_server, page, phone_page, county
):
    base = live_server.url
    code = county.committee.code

    # The editor writes the item, adds a picture with its description and submits it.
    _as(page, base, county.staff)
    page.goto(f"{base}/portal/news/")
    page.click("#new-news")
    page.fill("#id_title", TITLE)
    page.select_option("#id_category", "consultation")
    page.fill("#id_summary", "16名委员、8个部门负责人参加协商。")
    page.fill("#id_body", "会议由县政协主席主持。\n\n委员们围绕建立长效运维机制建言献策。")
    page.click("#save-news")
    assert page.inner_text("#news-state") == "草稿"
    page.set_input_files(
        "#id_image",
        files=[{"name": "meeting.png", "mimeType": "image/png", "buffer": scene_png("red")}],
    )
    page.fill("#id_caption", "专题协商会现场,委员发言建言")
    page.click("#add-image")
    assert "专题协商会现场,委员发言建言" in page.inner_text("#news-images")
    page.click("#do-submit")
    assert page.inner_text("#news-state") == "待审核"
    assert page.locator("#do-approve").count() == 0  # the author may not approve
    detail_url = page.url
    news_pk = detail_url.rstrip("/").rsplit("/", 1)[-1]

    # Not yet published: nowhere on the public portal.
    phone_page.goto(f"{base}/portal/c/{code}/")
    assert TITLE not in phone_page.inner_text("main")
    phone_page.goto(f"{base}/portal/c/{code}/news/")
    assert TITLE not in phone_page.inner_text("main")
    response = phone_page.goto(f"{base}/portal/c/{code}/news/{news_pk}/")
    assert response.status == 404

    # Another staff member reviews it from the queue and publishes it.
    _as(page, base, county.other_staff)
    page.goto(f"{base}/portal/news/")
    page.click("nav[aria-label='主导航'] >> text=待审核新闻")
    page.click(f"#review-queue a:has-text('{TITLE}')")
    page.click("#do-approve")
    assert page.inner_text("#news-state") == "已发布"
    screenshot(page, "portal-news-published")

    # A resident finds it on a phone, without signing in.
    phone_page.goto(f"{base}/portal/c/{code}/")
    assert _fits_the_phone(phone_page)
    phone_page.click(f"#latest-news a:has-text('{TITLE}')")
    assert phone_page.inner_text("#news-article h1") == TITLE
    assert "委员们围绕建立长效运维机制建言献策。" in phone_page.inner_text("#news-body")
    image = phone_page.locator("#news-article img")
    assert image.get_attribute("alt") == "专题协商会现场,委员发言建言"
    phone_page.wait_for_function(
        "() => { const i = document.querySelector('#news-article img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    assert _fits_the_phone(phone_page)
    screenshot(phone_page, "portal-news-phone")

    # Withdrawn, it is gone again.
    page.goto(detail_url)
    page.fill("#news-actions input[name='note']", "数据需要更正")
    page.click("#do-withdraw")
    assert page.inner_text("#news-state") == "已撤回"
    assert phone_page.goto(phone_page.url).status == 404
    phone_page.goto(f"{base}/portal/c/{code}/news/")
    assert TITLE not in phone_page.inner_text("main")


def test_a_members_data_is_public_only_with_consent_and_only_what_they_ticked(
    live_server, page, phone_page, county
):
    base = live_server.url
    code = county.committee.code
    member, membership = county.members[0]
    members_url = f"{base}/portal/c/{code}/members/"

    # The member writes a bio but does not consent: nothing appears.
    _as(phone_page, base, member)
    phone_page.goto(f"{base}/portal/me/")
    phone_page.fill("#id_bio", "长期从事义务教育工作,关注乡村学校发展。")
    phone_page.click("#save-public-profile")
    assert "您尚未同意公开" in phone_page.inner_text("#public-preview")
    page.goto(members_url)
    assert "李明" not in page.inner_text("main")

    # With consent to name and sector only: the bio stays private.
    phone_page.check("#id_consent")
    phone_page.check("#id_show_sector")
    phone_page.click("#save-public-profile")
    assert "教育界" in phone_page.inner_text("#public-preview")
    screenshot(phone_page, "portal-my-public-profile-phone")
    phone_page.context.clear_cookies()
    phone_page.goto(members_url)
    card = phone_page.inner_text("[data-member='李明']")
    assert "教育界" in card
    assert "长期从事义务教育工作" not in phone_page.content()
    assert membership.work_unit not in card
    assert _fits_the_phone(phone_page)
    screenshot(phone_page, "portal-members-phone")
