import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from tests.factories import CommitteeFactory, user_with_role
from zhengxie.core.models import ModerationItem, ModerationState, Role
from zhengxie.core.moderation import moderation_decide
from zhengxie.places import services
from zhengxie.places.models import ReceptionRoom


def _room_url(places, room=None):
    return reverse("places:public_room", args=[places.committee.code, (room or places.room).pk])


@pytest.fixture
def public_user(places):
    return user_with_role(places.committee, Role.PUBLIC)


def test_the_public_list_shows_public_places_in_use_without_sign_in(client, places):
    with scope(committee=places.committee):
        services.room_create(
            actor=places.staff,
            committee=places.committee,
            data={"name": "筹建中的会客室", "kind": "home", "level": "county"},
        )
    response = client.get(reverse("places:public_list", args=[places.committee.code]))
    assert response.status_code == 200
    assert [r.name for r in response.context["rooms"]] == ["城关镇委员会客室"]
    page = client.get(_room_url(places))
    assert page.status_code == 200
    assert page.context["form"] is None
    assert "手机号登录后留言" in page.content.decode()


def test_another_committees_place_under_this_code_answers_404(client, places):
    other = CommitteeFactory()
    with scopes_disabled():
        foreign = ReceptionRoom.objects.create(
            committee=other, name="外县会客室", kind="home", level="county", state="in_use"
        )
    assert client.get(_room_url(places, foreign)).status_code == 404
    assert (
        client.get(reverse("places:public_room", args=["nope", places.room.pk])).status_code == 404
    )


def test_a_message_waits_for_moderation_before_it_shows(client, login, places, public_user):
    login(public_user)
    response = client.post(_room_url(places), {"text": "希望周末也安排委员值班"})
    assert response.status_code == 302
    with scope(committee=places.committee):
        item = ModerationItem.objects.get()
        assert (item.state, item.target, item.author) == (
            ModerationState.PENDING,
            places.room,
            public_user,
        )
    client.logout()
    assert "希望周末也安排委员值班" not in client.get(_room_url(places)).content.decode()
    with scope(committee=places.committee):
        moderation_decide(item=item, actor=places.staff, approve=True)
    assert "希望周末也安排委员值班" in client.get(_room_url(places)).content.decode()


def test_a_rejected_message_never_shows(client, places, public_user):
    with scope(committee=places.committee):
        item = services.message_submit(
            committee=places.committee, room=places.room, text="不当内容", author=public_user
        )
        moderation_decide(item=item, actor=places.staff, approve=False, reason="无关内容")
    assert "不当内容" not in client.get(_room_url(places)).content.decode()


def test_too_many_messages_answer_429_in_chinese(client, login, places, public_user):
    login(public_user)
    for n in range(5):
        assert client.post(_room_url(places), {"text": f"留言{n}"}).status_code == 302
    response = client.post(_room_url(places), {"text": "第六条"})
    assert response.status_code == 429
    assert "留言过于频繁,请一小时后再试。" in response.content.decode()
    with scope(committee=places.committee):
        assert ModerationItem.objects.count() == 5


def test_an_empty_message_is_refused(client, login, places, public_user):
    login(public_user)
    response = client.post(_room_url(places), {"text": ""})
    assert response.status_code == 400
    assert "请填写留言内容。" in response.content.decode()


def test_signed_out_visitors_cannot_post(client, places):
    assert client.post(_room_url(places), {"text": "匿名"}).status_code == 403


def test_the_public_cannot_open_internal_pages(client, login, places, public_user):
    login(public_user)
    for url in (
        reverse("places:list"),
        reverse("places:detail", args=[places.room.pk]),
        reverse("places:issues"),
        reverse("places:mine"),
        reverse("places:stats"),
    ):
        assert client.get(url).status_code == 403, url


def test_staff_convert_an_approved_message_once(places, public_user):
    with scope(committee=places.committee):
        item = services.message_submit(
            committee=places.committee, room=places.room, text="路口积水", author=public_user
        )
        with pytest.raises(ValidationError, match="审核通过后"):
            services.message_to_issue(actor=places.staff, item=item)
        moderation_decide(item=item, actor=places.staff, approve=True)
        issue = services.message_to_issue(actor=places.staff, item=item, contact="13900001111")
        assert (issue.room, issue.text, issue.visit, issue.masked_contact) == (
            places.room,
            "路口积水",
            None,
            "139****1111",
        )
        with pytest.raises(ValidationError, match="不能重复登记"):
            services.message_to_issue(actor=places.staff, item=item)
