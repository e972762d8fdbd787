import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope
from openpyxl import load_workbook

from tests.factories import user_with_role
from tests.portal.conftest import NEWS, png
from zhengxie.core.models import AuditEntry, Role
from zhengxie.core.navigation import navigation_for
from zhengxie.portal import services
from zhengxie.portal.models import (
    CommitteeProfile,
    MediaReport,
    NewsImage,
    NewsItem,
    NewsState,
    PublicProfile,
)

# News pages -----------------------------------------------------------------------------------


def test_the_news_list_shows_every_state_to_staff_in_a_fixed_number_of_queries(
    client, login, portal, django_assert_max_num_queries
):
    for n in range(6):
        portal.published(title=f"已发布{n}")
    portal.in_review(title="待审核")
    portal.draft(title="草稿")
    login(portal.staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:news_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 8
    filtered = client.get(reverse("portal:news_list"), {"state": "in_review"})
    assert [n.title for n in filtered.context["page"]] == ["待审核"]


def test_the_news_filter_answers_htmx_with_the_results_only(client, login, portal):
    portal.published(title="已发布")
    portal.draft(title="草稿")
    login(portal.chair)
    response = client.get(
        reverse("portal:news_list"), {"state": "draft"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="news-results">')
    assert "<html" not in page
    assert [n.title for n in response.context["page"]] == ["草稿"]


def test_members_read_only_published_news_and_units_nothing(client, login, portal):
    published = portal.published(title="已发布")
    draft = portal.draft(title="草稿")
    user, _m = portal.members[0]
    login(user)
    response = client.get(reverse("portal:news_list"))
    assert [n.title for n in response.context["page"]] == ["已发布"]
    assert client.get(reverse("portal:news_detail", args=[published.pk])).status_code == 200
    assert client.get(reverse("portal:news_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("portal:news_create")).status_code == 403
    client.logout()
    login(portal.unit)
    assert client.get(reverse("portal:news_list")).status_code == 403
    assert client.get(reverse("portal:news_detail", args=[published.pk])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, portal):
    response = client.get(reverse("portal:news_list"))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_staff_write_a_draft_through_the_page(client, login, portal):
    login(portal.staff)
    response = client.post(reverse("portal:news_create"), NEWS)
    news = NewsItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:news_detail", args=[news.pk])
    assert (news.title, news.state, news.author) == (NEWS["title"], "draft", portal.staff)
    page = client.get(response["Location"]).content.decode()
    assert "<p>第一段:会议由县政协主席主持。</p>" in page


def test_bad_input_on_the_news_form_answers_400_in_chinese(client, login, portal):
    login(portal.staff)
    response = client.post(reverse("portal:news_create"), {**NEWS, "title": "", "body": ""})
    assert response.status_code == 400
    assert response.context["form"].errors == {"title": ["请填写标题。"], "body": ["请填写正文。"]}
    assert NewsItem.objects.count() == 0


def test_the_author_cannot_approve_on_the_page_and_sees_why(client, login, portal):
    news = portal.in_review()
    login(portal.staff)
    detail = client.get(reverse("portal:news_detail", args=[news.pk]))
    assert [t.action for t in detail.context["actions"]] == []
    response = client.post(reverse("portal:news_act", args=[news.pk, "approve"]))
    assert response.status_code == 403
    assert "不能审核自己撰写的新闻,请由其他工作人员审核。" in response.content.decode()
    news.refresh_from_db()
    assert news.state == NewsState.IN_REVIEW


def test_a_reviewer_approves_and_returns_on_the_page(client, login, portal):
    news = portal.in_review()
    login(portal.reviewer)
    detail = client.get(reverse("portal:news_detail", args=[news.pk]))
    assert [t.action for t in detail.context["actions"]] == ["approve", "return"]
    response = client.post(reverse("portal:news_act", args=[news.pk, "return"]), {"note": ""})
    assert response.status_code == 400
    assert "请填写退回原因。" in response.content.decode()
    response = client.post(reverse("portal:news_act", args=[news.pk, "approve"]))
    assert response.status_code == 302
    news.refresh_from_db()
    assert news.state == NewsState.PUBLISHED
    again = client.post(reverse("portal:news_act", args=[news.pk, "approve"]))
    assert again.status_code == 409


def test_a_returned_draft_shows_the_reason(client, login, portal):
    news = portal.in_review()
    services.news_act(actor=portal.reviewer, news=news, action="return", note="请补充照片")
    login(portal.staff)
    page = client.get(reverse("portal:news_detail", args=[news.pk])).content.decode()
    assert "退回原因" in page and "请补充照片" in page


def test_images_are_uploaded_on_the_page_and_shown_to_staff(client, login, portal):
    news = portal.draft()
    login(portal.staff)
    url = reverse("portal:news_image_add", args=[news.pk])
    response = client.post(url, {"image": png("scene.png"), "caption": "会场全景"})
    assert response.status_code == 302
    image = NewsImage.objects.get()
    assert (image.caption, image.is_cover) == ("会场全景", True)
    served = client.get(reverse("portal:image", args=[image.attachment_id]))
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert served["X-Content-Type-Options"] == "nosniff"
    bad = client.post(
        url, {"image": SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%\xe2\xe3\n"), "caption": "文件"}
    )
    assert bad.status_code == 400
    assert "只能上传 JPEG 或 PNG 图片。" in bad.content.decode()
    assert NewsImage.objects.count() == 1


def test_a_member_cannot_open_a_drafts_image(client, login, portal):
    news = portal.draft()
    image = services.news_image_add(actor=portal.staff, news=news, upload=png(), caption="图")
    user, _m = portal.members[0]
    login(user)
    assert client.get(reverse("portal:image", args=[image.attachment_id])).status_code == 404


def test_the_review_queue_lists_items_waiting_for_review(
    client, login, portal, django_assert_max_num_queries
):
    portal.in_review(title="待审一")
    portal.in_review(title="待审二")
    portal.published(title="已发布")
    login(portal.reviewer)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("portal:review_queue"))
    assert [n.title for n in response.context["items"]] == ["待审一", "待审二"]
    client.logout()
    login(portal.members[0][0])
    assert client.get(reverse("portal:review_queue")).status_code == 403


# Settings, consents, own profile ---------------------------------------------------------------


def test_staff_save_the_portal_settings_and_the_chair_reads_them(client, login, portal):
    login(portal.staff)
    response = client.post(
        reverse("portal:settings"),
        {"introduction": "本会简介第一段", "phone": "0579-88881234", "email": "bad"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"email": ["请填写有效的电子邮箱。"]}
    response = client.post(
        reverse("portal:settings"), {"introduction": "本会简介第一段", "phone": "0579-88881234"}
    )
    assert response.status_code == 302
    assert CommitteeProfile.objects.get().phone == "0579-88881234"
    client.logout()
    login(portal.chair)
    page = client.get(reverse("portal:settings"))
    assert page.context["form"] is None
    assert "本会简介第一段" in page.content.decode()
    assert client.post(reverse("portal:settings"), {"introduction": "改"}).status_code == 403
    client.logout()
    login(portal.members[0][0])
    assert client.get(reverse("portal:settings")).status_code == 403


def test_staff_see_the_consent_state_in_a_fixed_number_of_queries(
    client, login, portal, django_assert_max_num_queries
):
    portal.consent(0, show_employer=True)
    login(portal.staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:consents"))
    assert response.context["consented"] == 1
    rows = {m.person.name: m for m in response.context["page"]}
    assert set(rows) == {"李明", "王芳", "赵强"}
    page = response.content.decode()
    assert "已同意" in page and "未同意" in page
    only = client.get(reverse("portal:consents"), {"consented": "1"})
    assert [m.person.name for m in only.context["page"]] == ["李明"]
    assert only.context["total"] == 3


def test_a_member_sets_their_own_public_profile(client, login, portal):
    user, membership = portal.members[0]
    login(user)
    response = client.post(
        reverse("portal:my_profile"),
        {
            "consent": "on",
            "show_sector": "on",
            "show_photo": "on",
            "photo": png("me.png", portrait=True),
            "bio": "从事教育工作二十年",
            "show_bio": "on",
        },
    )
    assert response.status_code == 302
    profile = PublicProfile.objects.get()
    assert (profile.membership, profile.show_employer, profile.bio) == (
        membership,
        False,
        "从事教育工作二十年",
    )
    assert profile.consent_given_at is not None
    page = client.get(reverse("portal:my_profile"))
    assert page.context["form"].initial["consent"] is True
    photo = client.get(reverse("portal:image", args=[profile.photo_id]))
    assert photo.status_code == 200
    bad = client.post(reverse("portal:my_profile"), {"consent": "on", "show_bio": "on"})
    assert bad.status_code == 400
    assert bad.context["form"].errors["bio"] == ["请填写个人简介,或取消勾选“公开个人简介”。"]


def test_staff_and_units_have_no_own_public_profile_page(client, login, portal):
    login(portal.staff)
    assert client.get(reverse("portal:my_profile")).status_code == 403
    client.logout()
    login(portal.unit)
    assert client.get(reverse("portal:my_profile")).status_code == 403


def test_a_member_account_without_a_seat_gets_a_clear_page(client, login, portal):
    seatless = user_with_role(portal.committee, Role.MEMBER)
    login(seatless)
    response = client.get(reverse("portal:my_profile"))
    assert response.status_code == 404
    assert "您目前没有在任的委员身份" in response.content.decode()


def test_the_sidebar_link_opens_the_own_committees_portal(client, login, portal):
    login(portal.members[0][0])
    response = client.get(reverse("portal:my_portal"))
    assert response["Location"] == reverse("portal:public_home", args=[portal.committee.code])


def _navigation(user, rf):
    request = rf.get("/")
    request.user = user
    request.active_role = user.active_role
    return [i["label"] for i in navigation_for(request) if i["section"] == "门户与宣传"]


def test_the_navigation_follows_the_roles(portal, rf):
    assert _navigation(portal.staff, rf) == [
        "新闻发布",
        "待审核新闻",
        "门户设置",
        "委员公开信息",
        "媒体报道",
        "公开门户",
    ]
    assert _navigation(portal.chair, rf) == [
        "新闻发布",
        "门户设置",
        "委员公开信息",
        "媒体报道",
        "公开门户",
    ]
    assert _navigation(portal.members[0][0], rf) == ["新闻发布", "我的公开信息", "公开门户"]
    assert _navigation(portal.unit, rf) == []


# Media log pages ------------------------------------------------------------------------------


def _report(portal, **data):
    base = {
        "outlet": "示范日报",
        "level": "city",
        "published_on": timezone.localdate(),
        "title": "示范县政协专题协商",
        "link": "",
        "note": "",
    }
    return services.media_report_create(
        actor=portal.staff, committee=portal.committee, data={**base, **data}
    )


def test_the_media_log_lists_the_year_with_its_figures(
    client, login, portal, django_assert_max_num_queries
):
    today = timezone.localdate()
    for n in range(5):
        _report(portal, title=f"市级报道{n}")
    _report(portal, level="national", outlet="人民政协报", title="中央媒体报道")
    _report(portal, published_on=today.replace(year=today.year - 1), title="去年的报道")
    portal.published()
    login(portal.chair)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("portal:media_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 6
    assert [(str(label), n) for label, n in response.context["rows"]] == [
        ("县市媒体刊发报道", 5),
        ("省级以上媒体报道", 1),
        ("门户网站发布新闻", 1),
    ]
    assert [(str(label), n) for label, n in response.context["by_level"]] == [
        ("县级", 0),
        ("市级", 5),
        ("省级", 0),
        ("中央", 1),
    ]
    assert response.context["can_manage"] is False
    last_year = client.get(reverse("portal:media_list"), {"year": today.year - 1})
    assert [r.title for r in last_year.context["page"]] == ["去年的报道"]


def test_staff_log_a_media_report_on_the_page(client, login, portal):
    login(portal.staff)
    data = {
        "outlet": "人民政协报",
        "level": "national",
        "published_on": "2026-03-05",
        "title": "示范县政协协商纪实",
        "link": "ftp://example.cn/x",
    }
    response = client.post(reverse("portal:media_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "link": ["请填写以 http:// 或 https:// 开头的有效网址。"]
    }
    assert MediaReport.objects.count() == 0
    response = client.post(
        reverse("portal:media_create"), {**data, "link": "https://www.example.cn/1.html"}
    )
    assert response.status_code == 302
    report = MediaReport.objects.get()
    assert (report.outlet, report.level, report.published_on) == (
        "人民政协报",
        "national",
        datetime.date(2026, 3, 5),
    )
    edit = client.post(
        reverse("portal:media_edit", args=[report.pk]), {**data, "link": "", "level": "province"}
    )
    assert edit.status_code == 302
    report.refresh_from_db()
    assert (report.level, report.link) == ("province", "")
    assert client.post(reverse("portal:media_delete", args=[report.pk])).status_code == 302
    assert MediaReport.objects.count() == 0


def test_readers_cannot_change_the_media_log(client, login, portal):
    report = _report(portal)
    login(portal.leader)
    assert client.get(reverse("portal:media_list")).status_code == 200
    assert client.get(reverse("portal:media_create")).status_code == 403
    assert client.post(reverse("portal:media_delete", args=[report.pk])).status_code == 403
    client.logout()
    login(portal.members[0][0])
    assert client.get(reverse("portal:media_list")).status_code == 403
    assert MediaReport.objects.count() == 1


def test_the_media_log_exports_to_excel_with_an_audit_row(client, login, portal):
    _report(portal, title="市级报道", link="https://www.example.cn/a.html")
    _report(portal, level="province", outlet="浙江日报", title="省级报道", note="头版")
    login(portal.staff)
    response = client.get(reverse("portal:media_export"), {"level": "province"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0] == ["刊发日期", "媒体名称", "媒体级别", "报道标题", "链接", "备注"]
    assert [r[1:] for r in rows[1:]] == [["浙江日报", "省级", "省级报道", None, "头版"]]
    assert AuditEntry.objects.filter(action="export", object_type="portal.MediaReport").count() == 1


@pytest.fixture
def other_world(other_committee):
    from tests.factories import SectorFactory, TermFactory
    from tests.portal.conftest import Portal

    with scope(committee=other_committee):
        return Portal(
            other_committee,
            TermFactory(committee=other_committee),
            SectorFactory(committee=other_committee),
            prefix="x",
        )


def test_another_committees_news_answers_404(client, login, portal, other_world):
    with scope(committee=other_world.committee):
        foreign = other_world.published(title="外县新闻")
    login(portal.staff)
    assert client.get(reverse("portal:news_detail", args=[foreign.pk])).status_code == 404
    assert client.get(reverse("portal:news_list")).context["page"].paginator.count == 0
