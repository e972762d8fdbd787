"""The public portal: no sign-in, only published news and consented members' consented fields."""

import pytest
from django.urls import reverse
from django_scopes import scope

from tests.factories import SectorFactory, TermFactory
from tests.portal.conftest import Portal, png
from zhengxie.organisation.models import MembershipStatus
from zhengxie.portal import services
from zhengxie.portal.models import PublicProfile


def _url(name, portal, *args):
    return reverse(f"portal:{name}", args=[portal.committee.code, *args])


def _profile(portal):
    return services.committee_profile_save(
        actor=portal.staff,
        committee=portal.committee,
        data={
            "introduction": "政协示范县委员会是统一战线组织。\n\n现有委员250名。",
            "address": "县府路18号",
            "phone": "0579-88881234",
            "email": "office@example.cn",
            "office_hours": "工作日 8:30—17:30",
        },
    )


@pytest.fixture
def stories(portal):
    """One item in each state, the published one with a cover image."""
    published = portal.draft(title="已发布的新闻", body="<b>第一段</b>\n\n第二段")
    cover = services.news_image_add(
        actor=portal.staff, news=published, upload=png(), caption="协商会现场"
    )
    services.news_act(actor=portal.staff, news=published, action="submit")
    services.news_act(actor=portal.reviewer, news=published, action="approve")
    draft = portal.draft(title="草稿新闻")
    draft_image = services.news_image_add(
        actor=portal.staff, news=draft, upload=png(), caption="草稿图片"
    )
    review = portal.in_review(title="待审核新闻")
    withdrawn = portal.published(title="已撤回新闻")
    services.news_act(actor=portal.staff, news=withdrawn, action="withdraw", note="有误")
    return {
        "published": published,
        "cover": cover,
        "draft": draft,
        "draft_image": draft_image,
        "review": review,
        "withdrawn": withdrawn,
    }


def test_the_home_page_shows_published_news_and_the_introduction(
    client, portal, stories, django_assert_max_num_queries
):
    _profile(portal)
    with django_assert_max_num_queries(6):
        response = client.get(_url("public_home", portal))
    assert response.status_code == 200
    assert [n.title for n in response.context["news"]] == ["已发布的新闻"]
    page = response.content.decode()
    for hidden in ("草稿新闻", "待审核新闻", "已撤回新闻"):
        assert hidden not in page
    assert "政协示范县委员会是统一战线组织。" in page
    assert 'alt="协商会现场"' in page
    assert reverse("proposals:public_list", args=[portal.committee.code]) in page
    assert reverse("places:public_list", args=[portal.committee.code]) in page


def test_the_news_list_pages_and_filters_in_a_fixed_number_of_queries(
    client, portal, stories, django_assert_max_num_queries
):
    for n in range(14):
        portal.published(title=f"工作动态{n}", category="work")
    with django_assert_max_num_queries(6):
        response = client.get(_url("public_news", portal))
    assert response.context["page"].paginator.count == 15
    assert len(response.context["page"]) == 12
    titles = [n.title for n in client.get(_url("public_news", portal), {"page": 2}).context["page"]]
    assert "已撤回新闻" not in titles and "草稿新闻" not in titles
    filtered = client.get(_url("public_news", portal), {"category": "consultation"})
    assert [n.title for n in filtered.context["page"]] == ["已发布的新闻"]


def test_a_published_item_renders_escaped_paragraphs_and_captioned_images(
    client, portal, stories, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        response = client.get(_url("public_news_detail", portal, stories["published"].pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<p>&lt;b&gt;第一段&lt;/b&gt;</p>\n\n<p>第二段</p>" in page
    assert "<b>第一段</b>" not in page
    assert 'alt="协商会现场"' in page
    assert "<figcaption" in page


@pytest.mark.parametrize("state", ["draft", "review", "withdrawn"])
def test_an_unpublished_item_answers_404(client, portal, stories, state):
    response = client.get(_url("public_news_detail", portal, stories[state].pk))
    assert response.status_code == 404


def test_only_published_images_are_served(client, portal, stories):
    served = client.get(_url("public_image", portal, stories["cover"].attachment_id))
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    assert served["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert (
        client.get(_url("public_image", portal, stories["draft_image"].attachment_id)).status_code
        == 404
    )
    services.news_act(actor=portal.staff, news=stories["published"], action="withdraw", note="撤")
    assert (
        client.get(_url("public_image", portal, stories["cover"].attachment_id)).status_code == 404
    )


def test_the_members_page_lists_only_consented_members_and_fields(
    client, portal, django_assert_max_num_queries
):
    user, membership = portal.members[0]
    services.public_profile_save(
        actor=user,
        membership=membership,
        data={"consent": True, "show_photo": True, "bio": "二十年教龄的中学校长"},
        photo=png("me.png", portrait=True),
    )
    portal.consent(1, show_employer=True, bio="不公开的简介")
    other_user, other = portal.members[2]
    services.public_profile_save(
        actor=other_user,
        membership=other,
        data={"consent": False, "show_sector": True, "show_employer": True},
    )
    with django_assert_max_num_queries(5):
        response = client.get(_url("public_members", portal))
    assert [p.membership.person.name for p in response.context["profiles"]] == ["李明", "王芳"]
    page = response.content.decode()
    assert "赵强" not in page
    assert "二十年教龄的中学校长" not in page  # written, but not consented to
    assert "不公开的简介" not in page
    assert 'alt="李明的照片"' in page
    li_ming = page.split('data-member="李明"')[1].split("</li>")[0]
    assert membership.sector.name not in li_ming and "县第一中学" not in li_ming
    wang_fang = page.split('data-member="王芳"')[1].split("</li>")[0]
    assert "县第一中学 校长" in wang_fang and "<img" not in wang_fang
    photo_id = PublicProfile.objects.get(membership=membership).photo_id
    assert client.get(_url("public_image", portal, photo_id)).status_code == 200


def test_a_photo_not_consented_or_withdrawn_is_never_served(client, portal):
    user, membership = portal.members[0]
    profile = services.public_profile_save(
        actor=user,
        membership=membership,
        data={"consent": True, "show_photo": True},
        photo=png("me.png", portrait=True),
    )
    url = _url("public_image", portal, profile.photo_id)
    assert client.get(url).status_code == 200
    services.public_profile_save(
        actor=user, membership=membership, data={"consent": True, "show_photo": False}
    )
    assert client.get(url).status_code == 404
    services.public_profile_save(
        actor=user, membership=membership, data={"consent": False, "show_photo": True}
    )
    assert client.get(url).status_code == 404
    assert "李明" not in client.get(_url("public_members", portal)).content.decode()


def test_a_member_who_left_is_no_longer_listed(client, portal):
    portal.consent(0)
    _user, membership = portal.members[0]
    membership.status = MembershipStatus.RESIGNED
    membership.save(update_fields=["status"])
    assert client.get(_url("public_members", portal)).context["profiles"] == []


def test_the_about_page_shows_the_introduction_and_contact(client, portal):
    response = client.get(_url("public_about", portal))
    assert "本会尚未发布简介。" in response.content.decode()
    _profile(portal)
    page = client.get(_url("public_about", portal)).content.decode()
    assert "<p>政协示范县委员会是统一战线组织。</p>" in page
    assert 'href="tel:0579-88881234"' in page
    assert 'href="mailto:office@example.cn"' in page
    assert "工作日 8:30—17:30" in page


def test_the_index_lists_committees_with_a_portal(client, portal, other_committee):
    assert client.get(reverse("portal:index")).context["committees"] == []
    _profile(portal)
    response = client.get(reverse("portal:index"))
    assert response.context["committees"] == [portal.committee]


def test_another_committees_records_under_this_code_answer_404(client, portal, other_committee):
    with scope(committee=other_committee):
        other = Portal(
            other_committee,
            TermFactory(committee=other_committee),
            SectorFactory(committee=other_committee),
            prefix="x",
        )
        foreign = other.draft(title="外县新闻")
        image = services.news_image_add(actor=other.staff, news=foreign, upload=png(), caption="图")
        services.news_act(actor=other.staff, news=foreign, action="submit")
        services.news_act(actor=other.reviewer, news=foreign, action="approve")
        other.consent(0)
    assert client.get(_url("public_news_detail", portal, foreign.pk)).status_code == 404
    assert client.get(_url("public_image", portal, image.attachment_id)).status_code == 404
    assert client.get(_url("public_news", portal)).context["page"].paginator.count == 0
    assert client.get(_url("public_members", portal)).context["profiles"] == []
    assert client.get(reverse("portal:public_home", args=["nope"])).status_code == 404
    own = reverse("portal:public_news_detail", args=[other_committee.code, foreign.pk])
    assert client.get(own).status_code == 200


def test_public_pages_are_phone_first_and_accessible(client, portal, stories):
    page = client.get(_url("public_home", portal)).content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert 'aria-label="门户导航"' in page
    assert page.count("<h1") == 1
    assert "<script>" not in page
    assert ' style="' not in page
