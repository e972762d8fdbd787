import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.portal.conftest import NEWS, png
from zhengxie.core.models import Attachment, AuditEntry, Notification
from zhengxie.core.workflow import InvalidTransition
from zhengxie.organisation.models import MembershipStatus
from zhengxie.portal import services
from zhengxie.portal.models import (
    CommitteeProfile,
    MediaReport,
    NewsHistory,
    NewsImage,
    NewsItem,
    NewsState,
    PublicProfile,
)

# News workflow --------------------------------------------------------------------------------


def test_a_news_item_goes_from_draft_through_review_to_published(portal):
    news = portal.draft()
    assert (news.state, news.author, news.published_at) == (NewsState.DRAFT, portal.staff, None)
    news = services.news_act(actor=portal.staff, news=news, action="submit")
    assert news.state == NewsState.IN_REVIEW
    news = services.news_act(actor=portal.reviewer, news=news, action="approve")
    news.refresh_from_db()
    assert news.state == NewsState.PUBLISHED
    assert news.published_at is not None
    assert news.first_published_at == news.published_at
    history = list(NewsHistory.objects.filter(subject=news).values_list("action", "to_state"))
    assert history == [("submit", "in_review"), ("approve", "published")]
    transitions = AuditEntry.objects.filter(object_type="portal.NewsItem", action="transition")
    assert transitions.count() == 2


def test_the_author_may_not_approve_their_own_item(portal):
    news = portal.in_review()
    with pytest.raises(PermissionDenied) as exc:
        services.news_act(actor=portal.staff, news=news, action="approve")
    assert str(exc.value) == "不能审核自己撰写的新闻,请由其他工作人员审核。"
    news.refresh_from_db()
    assert news.state == NewsState.IN_REVIEW
    assert NewsHistory.objects.filter(action="approve").count() == 0


def test_an_admin_may_approve_another_staffs_item(portal):
    news = services.news_act(actor=portal.admin, news=portal.in_review(), action="approve")
    assert news.state == NewsState.PUBLISHED


@pytest.mark.parametrize("who", ["chair", "leader", "unit"])
def test_readers_and_units_may_not_write_or_review(portal, who):
    actor = getattr(portal, who)
    with pytest.raises(PermissionDenied):
        services.news_create(actor=actor, committee=portal.committee, data=NEWS)
    news = portal.in_review()
    with pytest.raises(PermissionDenied):
        services.news_act(actor=actor, news=news, action="approve")
    assert NewsItem.objects.get().state == NewsState.IN_REVIEW


def test_a_member_may_not_write_news(portal):
    user, _m = portal.members[0]
    with pytest.raises(PermissionDenied):
        services.news_create(actor=user, committee=portal.committee, data=NEWS)
    assert NewsItem.objects.count() == 0


def test_a_return_needs_a_reason_and_sends_the_item_back_to_draft(
    portal, django_capture_on_commit_callbacks
):
    news = portal.in_review()
    with pytest.raises(ValidationError) as exc:
        services.news_act(actor=portal.reviewer, news=news, action="return", note="  ")
    assert exc.value.message_dict == {"note": ["请填写退回原因。"]}
    news.refresh_from_db()
    assert news.state == NewsState.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        services.news_act(actor=portal.reviewer, news=news, action="return", note="请补充照片")
    news.refresh_from_db()
    assert news.state == NewsState.DRAFT
    last = NewsHistory.objects.order_by("-pk").first()
    assert (last.action, last.note, last.actor) == ("return", "请补充照片", portal.reviewer)
    note = Notification.objects.get(recipient=portal.staff)
    assert (note.title, note.body) == ("您的新闻稿被退回修改:县政协召开专题协商会", "请补充照片")


def test_submitting_notifies_the_reviewers_but_not_the_author(
    portal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        portal.in_review()
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"reviewer", "portaladmin"}


def test_withdraw_keeps_history_and_the_first_publication(portal):
    news = portal.published()
    first = NewsItem.objects.get(pk=news.pk).first_published_at
    with pytest.raises(ValidationError):
        services.news_act(actor=portal.staff, news=news, action="withdraw")
    services.news_act(actor=portal.staff, news=news, action="withdraw", note="内容需更新")
    services.news_act(actor=portal.staff, news=news, action="revise")
    services.news_act(actor=portal.staff, news=news, action="submit")
    services.news_act(actor=portal.admin, news=news, action="approve")
    news.refresh_from_db()
    assert news.state == NewsState.PUBLISHED
    assert news.first_published_at == first
    assert news.published_at > first
    assert list(
        NewsHistory.objects.filter(subject=news).order_by("pk").values_list("action", flat=True)
    ) == ["submit", "approve", "withdraw", "revise", "submit", "approve"]


def test_an_illegal_transition_is_refused(portal):
    news = portal.draft()
    with pytest.raises(InvalidTransition):
        services.news_act(actor=portal.reviewer, news=news, action="approve")
    with pytest.raises(InvalidTransition):
        services.news_act(actor=portal.staff, news=news, action="withdraw", note="x")


def test_two_reviewers_approving_one_after_the_other_make_one_transition(portal):
    news = portal.in_review()
    stale = NewsItem.objects.get(pk=news.pk)
    services.news_act(actor=portal.reviewer, news=news, action="approve")
    with pytest.raises(InvalidTransition) as exc:
        services.news_act(actor=portal.admin, news=stale, action="approve")
    assert "可能已被他人处理" in str(exc.value)
    assert NewsHistory.objects.filter(action="approve").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_in_parallel_threads_one_wins(committee, term, sector):
    """Real concurrency needs row locks: PostgreSQL only (SQLite is covered sequentially above)."""
    import threading

    from django.db import connection, connections
    from django_scopes import scope

    from tests.portal.conftest import Portal

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    with scope(committee=committee):
        portal = Portal(committee, term, sector)
        news = portal.in_review()
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(actor):
        try:
            with scope(committee=committee):
                barrier.wait()
                services.news_act(actor=actor, news=news, action="approve")
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (portal.reviewer, portal.admin)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    with scope(committee=committee):
        assert NewsHistory.objects.filter(action="approve").count() == 1


def test_bad_news_input_is_refused_in_chinese_and_nothing_is_written(portal):
    with pytest.raises(ValidationError) as exc:
        services.news_create(
            actor=portal.staff,
            committee=portal.committee,
            data={"title": " ", "body": "", "category": "gossip", "summary": "x" * 301},
        )
    assert exc.value.message_dict == {
        "title": ["请填写标题。"],
        "body": ["请填写正文。"],
        "category": ["请选择有效的栏目。"],
        "summary": ["不能超过300个字。"],
    }
    assert NewsItem.objects.count() == 0


def test_only_a_draft_can_be_edited(portal):
    news = portal.in_review()
    with pytest.raises(ValidationError) as exc:
        services.news_update(actor=portal.staff, news=news, data={**NEWS, "title": "新标题"})
    assert exc.value.messages == ["只有草稿可以修改;待审核的新闻请等待审核结果,已发布的请先撤回。"]
    news.refresh_from_db()
    assert news.title == NEWS["title"]


def test_raw_html_is_stored_as_text(portal):
    news = portal.draft(body="<script>alert(1)</script>\n\n第二段")
    assert news.body == "<script>alert(1)</script>\n\n第二段"


# Images ---------------------------------------------------------------------------------------


def test_the_first_image_becomes_the_cover_and_the_cover_can_move(portal):
    news = portal.draft()
    first = services.news_image_add(
        actor=portal.staff, news=news, upload=png("a.png"), caption="会场全景"
    )
    second = services.news_image_add(
        actor=portal.staff, news=news, upload=png("b.png"), caption="委员发言"
    )
    assert (first.is_cover, second.is_cover) == (True, False)
    assert Attachment.objects.get(pk=first.attachment_id).target == news
    services.news_image_set_cover(actor=portal.staff, image=second)
    assert list(NewsImage.objects.order_by("pk").values_list("is_cover", flat=True)) == [
        False,
        True,
    ]
    services.news_image_remove(actor=portal.staff, image=NewsImage.objects.get(pk=second.pk))
    assert list(NewsImage.objects.values_list("caption", "is_cover")) == [("会场全景", True)]


def test_only_images_are_accepted_and_they_need_a_caption(portal):
    news = portal.draft()
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.news_image_add(actor=portal.staff, news=news, upload=pdf, caption="文件")
    assert exc.value.message_dict == {"image": ["只能上传 JPEG 或 PNG 图片。"]}
    fake = SimpleUploadedFile("a.png", b"not really a picture", "image/png")
    with pytest.raises(ValidationError) as exc:
        services.news_image_add(actor=portal.staff, news=news, upload=fake, caption="图")
    assert "实际内容不是允许的类型" in exc.value.message_dict["image"][0]
    with pytest.raises(ValidationError) as exc:
        services.news_image_add(actor=portal.staff, news=news, upload=png(), caption=" ")
    assert exc.value.message_dict == {"caption": ["请填写图片说明(供读屏软件朗读)。"]}
    assert (NewsImage.objects.count(), Attachment.objects.count()) == (0, 0)


def test_images_cannot_change_once_submitted(portal):
    news = portal.in_review()
    with pytest.raises(ValidationError):
        services.news_image_add(actor=portal.staff, news=news, upload=png(), caption="图")
    assert NewsImage.objects.count() == 0


# Committee profile ----------------------------------------------------------------------------


def test_staff_save_the_committee_profile_once_per_committee(portal):
    data = {"introduction": "本会简介", "phone": "0579-88881234", "email": "zx@example.cn"}
    services.committee_profile_save(actor=portal.staff, committee=portal.committee, data=data)
    services.committee_profile_save(
        actor=portal.admin, committee=portal.committee, data={**data, "address": "县府路18号"}
    )
    profile = CommitteeProfile.objects.get()
    assert (profile.address, profile.phone, profile.updated_by) == (
        "县府路18号",
        "0579-88881234",
        portal.admin,
    )


def test_the_committee_profile_is_validated_and_guarded(portal):
    with pytest.raises(ValidationError) as exc:
        services.committee_profile_save(
            actor=portal.staff,
            committee=portal.committee,
            data={"introduction": "", "email": "not-an-email"},
        )
    assert exc.value.message_dict == {
        "introduction": ["请填写本会简介。"],
        "email": ["请填写有效的电子邮箱。"],
    }
    with pytest.raises(PermissionDenied):
        services.committee_profile_save(
            actor=portal.chair, committee=portal.committee, data={"introduction": "简介"}
        )
    assert CommitteeProfile.objects.count() == 0


# Members' consent -----------------------------------------------------------------------------


def test_a_member_gives_consent_with_chosen_fields_and_a_photo(portal):
    user, membership = portal.members[0]
    profile = services.public_profile_save(
        actor=user,
        membership=membership,
        data={"consent": True, "show_photo": True, "bio": "从事教育工作", "show_bio": True},
        photo=png("me.png", portrait=True),
    )
    assert profile.consent_given_at is not None
    assert (profile.show_photo, profile.show_sector, profile.show_employer, profile.show_bio) == (
        True,
        False,
        False,
        True,
    )
    assert profile.photo.target == profile


def test_withdrawing_consent_clears_it_and_giving_it_again_restamps(portal):
    profile = portal.consent()
    first = profile.consent_given_at
    user, membership = portal.members[0]
    profile = services.public_profile_save(
        actor=user, membership=membership, data={"consent": False, "show_sector": True}
    )
    assert profile.consent_given_at is None
    profile = portal.consent()
    assert profile.consent_given_at >= first


def test_staff_cannot_publish_for_a_member(portal):
    _user, membership = portal.members[0]
    for actor in (portal.staff, portal.admin, portal.members[1][0]):
        with pytest.raises(PermissionDenied) as exc:
            services.public_profile_save(actor=actor, membership=membership, data={"consent": True})
        assert str(exc.value) == "只有委员本人可以设置自己的公开信息。"
    assert PublicProfile.objects.count() == 0


def test_consent_fields_need_their_content(portal):
    user, membership = portal.members[0]
    pdf = SimpleUploadedFile("me.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.public_profile_save(
            actor=user,
            membership=membership,
            data={"consent": True, "show_photo": True, "show_bio": True},
        )
    assert exc.value.message_dict == {
        "bio": ["请填写个人简介,或取消勾选“公开个人简介”。"],
        "photo": ["请上传照片,或取消勾选“公开照片”。"],
    }
    with pytest.raises(ValidationError) as exc:
        services.public_profile_save(
            actor=user, membership=membership, data={"consent": True}, photo=pdf
        )
    assert exc.value.message_dict == {"photo": ["照片只能是 JPEG 或 PNG 图片。"]}
    assert (PublicProfile.objects.count(), Attachment.objects.count()) == (0, 0)


def test_a_member_who_left_cannot_consent(portal):
    user, membership = portal.members[0]
    membership.status = MembershipStatus.RESIGNED
    membership.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        services.public_profile_save(actor=user, membership=membership, data={"consent": True})


# Media log ------------------------------------------------------------------------------------

MEDIA = {
    "outlet": "人民政协报",
    "level": "national",
    "published_on": datetime.date(2026, 3, 5),
    "title": "示范县政协:“请你来协商”让群众事有人商",
    "link": "https://www.example.cn/2026/0305/1.html",
    "note": "",
}


def test_staff_log_edit_and_delete_a_media_report(portal):
    report = services.media_report_create(
        actor=portal.staff, committee=portal.committee, data=MEDIA
    )
    assert (report.level, report.created_by) == ("national", portal.staff)
    services.media_report_update(
        actor=portal.staff, report=report, data={**MEDIA, "level": "province"}
    )
    report.refresh_from_db()
    assert report.level == "province"
    services.media_report_delete(actor=portal.admin, report=report)
    assert MediaReport.objects.count() == 0
    assert AuditEntry.objects.filter(object_type="portal.MediaReport", action="delete").count() == 1


def test_bad_media_input_is_refused_in_chinese(portal):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.media_report_create(
            actor=portal.staff,
            committee=portal.committee,
            data={
                "outlet": "",
                "level": "town",
                "published_on": tomorrow,
                "title": "",
                "link": "javascript:alert(1)",
            },
        )
    assert exc.value.message_dict == {
        "outlet": ["请填写媒体名称。"],
        "level": ["请选择媒体级别。"],
        "title": ["请填写报道标题。"],
        "published_on": ["刊发日期不能晚于今天。"],
        "link": ["请填写以 http:// 或 https:// 开头的有效网址。"],
    }
    services.media_report_create(actor=portal.staff, committee=portal.committee, data=MEDIA)
    with pytest.raises(ValidationError) as exc:
        services.media_report_create(actor=portal.staff, committee=portal.committee, data=MEDIA)
    assert exc.value.message_dict == {"link": ["该链接的报道已经登记过。"]}
    assert MediaReport.objects.count() == 1


def test_readers_may_not_write_the_media_log(portal):
    with pytest.raises(PermissionDenied):
        services.media_report_create(actor=portal.chair, committee=portal.committee, data=MEDIA)
    assert MediaReport.objects.count() == 0
