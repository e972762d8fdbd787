"""The plenary speech pages: list, write, detail with actions, review and order, download."""

import io

from django.urls import reverse
from docx import Document

from tests.factories import user_with_role
from zhengxie.core.models import Role
from zhengxie.meetings import speeches
from zhengxie.meetings.models import Speech, SpeechState


def _submitted(county, member=0, title="关于加快县域养老服务体系建设的发言"):
    user, _membership = county.members[member]
    speech = speeches.speech_create(
        actor=user,
        committee=county.committee,
        data={"title": title, "body": "正文。", "category": county.category},
    )
    return speeches.speech_act(actor=user, speech=speech, action="submit")


def test_a_member_writes_and_submits_from_the_form(client, county):
    user, membership = county.members[0]
    client.force_login(user)
    response = client.get(reverse("meetings:speech_list"))
    assert response.status_code == 200
    assert response.context["overseer"] is False
    assert b'id="new-speech"' in response.content
    response = client.post(
        reverse("meetings:speech_create"),
        {
            "session": county.session.pk,
            "category": county.category.pk,
            "title": "关于养老服务的发言",
            "body": "正文",
            "submit_now": "1",
        },
    )
    speech = Speech.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:speech_detail", args=[speech.pk])
    assert (speech.state, speech.membership) == (SpeechState.SUBMITTED, membership)
    response = client.get(response["Location"])
    assert [a["t"].action for a in response.context["actions"]] == ["withdraw"]


def test_the_form_shows_the_services_chinese_errors(client, county):
    user, _membership = county.members[0]
    client.force_login(user)
    response = client.post(
        reverse("meetings:speech_create"),
        {
            "session": county.session.pk,
            "category": county.category.pk,
            "title": "题目",
            "body": "字" * 6001,
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"body": ["发言内容共6001字,超过6000字的限制。"]}
    assert Speech.objects.count() == 0


def test_members_see_only_their_own_speeches(client, county):
    mine = _submitted(county, 0)
    _submitted(county, 1)
    user, _membership = county.members[0]
    client.force_login(user)
    response = client.get(reverse("meetings:speech_list"))
    assert list(response.context["page"]) == [mine]
    other = Speech.objects.exclude(pk=mine.pk).get()
    assert client.get(reverse("meetings:speech_detail", args=[other.pk])).status_code == 404
    assert (
        client.get(reverse("meetings:speech_review", args=[county.session.pk])).status_code == 403
    )


def test_units_and_the_public_cannot_list(client, county):
    unit_user, _unit = county.units[0]
    for user in (unit_user, user_with_role(county.committee, Role.PUBLIC)):
        client.force_login(user)
        assert client.get(reverse("meetings:speech_list")).status_code == 403


def test_staff_list_is_filtered_and_its_queries_are_pinned(
    client, county, django_assert_max_num_queries
):
    for i in range(6):
        _submitted(county, i % 3, title=f"发言{i}")
    client.force_login(county.staff)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("meetings:speech_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 6
    assert [row["count"] for row in response.context["sessions"]] == [6]
    response = client.get(
        reverse("meetings:speech_list"),
        {"state": "submitted", "livelihood": "0"},
        headers={"HX-Request": "true"},
    )
    assert response.context["page"].paginator.count == 0
    assert b"<html" not in response.content
    response = client.get(reverse("meetings:speech_list"), {"q": "发言1"})
    assert [s.title for s in response.context["page"]] == ["发言1"]


def test_staff_choose_from_the_detail_page_and_a_stale_page_gets_409(client, county):
    speech = _submitted(county)
    client.force_login(county.staff)
    response = client.get(reverse("meetings:speech_detail", args=[speech.pk]))
    assert [a["t"].action for a in response.context["actions"]] == [
        "choose_oral",
        "choose_written",
        "not_use",
    ]
    url = reverse("meetings:speech_act", args=[speech.pk, "not_use"])
    response = client.post(url, {"seen": "submitted"})
    assert response.status_code == 400
    assert response.context["actions"][2]["form"].errors == {"note": ["不采用时请填写说明。"]}
    url = reverse("meetings:speech_act", args=[speech.pk, "choose_oral"])
    response = client.post(url, {"seen": "submitted", "next": "review"})
    assert response["Location"] == reverse("meetings:speech_review", args=[county.session.pk])
    # Another staff member's page still showed it as submitted.
    client.force_login(county.other_staff)
    url = reverse("meetings:speech_act", args=[speech.pk, "choose_written"])
    response = client.post(url, {"seen": "submitted"})
    assert response.status_code == 409
    assert Speech.objects.get().state == SpeechState.ORAL


def test_a_member_cannot_choose_through_the_page(client, county):
    speech = _submitted(county)
    user, _membership = county.members[0]
    client.force_login(user)
    url = reverse("meetings:speech_act", args=[speech.pk, "choose_oral"])
    assert client.post(url, {"seen": "submitted"}).status_code == 403
    assert Speech.objects.get().state == SpeechState.SUBMITTED


def test_staff_order_the_oral_speeches_and_download_the_material(client, county):
    first, second = _submitted(county, 0, "甲发言"), _submitted(county, 1, "乙发言")
    for speech in (first, second):
        speeches.speech_act(actor=county.staff, speech=speech, action="choose_oral")
    client.force_login(county.staff)
    response = client.get(reverse("meetings:speech_review", args=[county.session.pk]))
    assert [s.title for s in response.context["oral"]] == ["甲发言", "乙发言"]
    response = client.post(
        reverse("meetings:speech_reorder", args=[county.session.pk]),
        {f"position-{first.pk}": "2", f"position-{second.pk}": "1"},
    )
    assert response.status_code == 302
    assert list(speeches.oral_speeches(county.session).values_list("title", flat=True)) == [
        "乙发言",
        "甲发言",
    ]
    response = client.get(reverse("meetings:speech_compile", args=[county.session.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    texts = [p.text for p in Document(io.BytesIO(response.content)).paragraphs]
    assert texts.index("1. 乙发言") < texts.index("2. 甲发言")


def test_every_page_renders_for_its_roles(client, county):
    speech = _submitted(county)
    user, _membership = county.members[0]
    client.force_login(user)
    assert client.get(reverse("meetings:speech_create")).status_code == 200
    draft = speeches.speech_create(
        actor=user,
        committee=county.committee,
        data={"title": "草稿", "body": "正文", "category": county.category},
    )
    assert client.get(reverse("meetings:speech_update", args=[draft.pk])).status_code == 200
    assert client.get(reverse("meetings:speech_update", args=[speech.pk])).status_code == 403
    client.force_login(county.staff)
    response = client.get(reverse("meetings:speech_create"))
    assert response.context["form"].fields["speaker_body"].required is True
    response = client.get(reverse("meetings:speech_update", args=[speech.pk]))
    assert response.context["form"].fields["session"].disabled is True
    chair = user_with_role(county.committee, Role.CHAIR)
    client.force_login(chair)
    response = client.get(reverse("meetings:speech_review", args=[county.session.pk]))
    assert (response.status_code, response.context["can_review"]) == (200, False)
    assert [s.pk for s in response.context["waiting"]] == [speech.pk]
    response = client.get(reverse("meetings:speech_detail", args=[speech.pk]))
    assert (response.status_code, response.context["actions"]) == (200, [])
    assert client.get(reverse("meetings:speech_detail", args=[draft.pk])).status_code == 404
