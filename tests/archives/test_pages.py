import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope

from tests.archives.conftest import TODAY, YESTERDAY
from tests.archives.test_services import JPEG, PDF
from tests.factories import SessionFactory, user_with_role
from zhengxie.archives import services
from zhengxie.archives.models import (
    Campaign,
    ChapterMaterial,
    Material,
    MaterialState,
    Periodical,
    PeriodicalIssue,
    Volume,
    VolumeState,
)
from zhengxie.core.models import Attachment, Role


@pytest.mark.parametrize(
    ("role", "labels"),
    [
        (Role.STAFF, ["征集活动", "史料", "书目", "刊物", "文史统计"]),
        (Role.ADMIN, ["征集活动", "史料", "书目", "刊物", "文史统计"]),
        (Role.CHAIR, ["征集活动", "史料", "书目", "刊物", "文史统计"]),
        (Role.LEADER, ["征集活动", "史料", "书目", "刊物", "文史统计"]),
        (Role.MEMBER, ["征集活动", "我的文史资料"]),
        (Role.UNIT, []),
        (Role.PUBLIC, []),
    ],
)
def test_the_navigation_section_by_role(client, login, archives, role, labels):
    login(user_with_role(archives.committee, role))
    response = client.get(reverse("core:home"))
    items = [i["label"] for i in response.context["navigation"] if i["section"] == "文史资料"]
    assert [str(label) for label in items] == labels


@pytest.mark.parametrize("who", ["unit_user", "public"])
def test_units_and_the_public_see_nothing(client, login, archives, who):
    with scope(committee=archives.committee):
        material = archives.material()
    login(getattr(archives, who))
    for url in (
        reverse("archives:campaigns"),
        reverse("archives:campaign_detail", args=[archives.campaign.pk]),
        reverse("archives:materials"),
        reverse("archives:material_create"),
        reverse("archives:my_materials"),
        reverse("archives:volumes"),
        reverse("archives:periodicals"),
        reverse("archives:stats"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("archives:material_detail", args=[material.pk])).status_code == 404


def test_the_campaign_list_and_page_show_totals_to_staff(
    client, login, archives, django_assert_max_num_queries
):
    with scope(committee=archives.committee):
        for i in range(8):
            services.campaign_create(
                actor=archives.staff,
                committee=archives.committee,
                data={
                    "theme": f"老字号征集{i}",
                    "call_text": "征集",
                    "opens_on": TODAY,
                    "deadline": TODAY,
                },
            )
        archives.material(text="老街酱园始创于清光绪年间。")
        archives.material(title="旧照", kind="photos", text="", image_count=300)
        archives.material(title="待审", accept=False)
    login(archives.staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("archives:campaigns"))
    assert response.status_code == 200
    first = next(c for c in response.context["page"] if c.theme == "百年老街记忆")
    assert (first.material_count, first.accepted_count, first.word_count, first.image_count) == (
        3,
        2,
        12,
        300,
    )
    detail = client.get(reverse("archives:campaign_detail", args=[archives.campaign.pk]))
    assert detail.context["totals"] == {
        "received": {"materials": 3, "word_count": 22, "image_count": 300},
        "accepted": {"materials": 2, "word_count": 12, "image_count": 300},
    }
    assert "百年老街记忆" in detail.content.decode()


def test_a_member_reads_campaigns_and_sees_only_their_own_materials(client, login, archives):
    user, _m = archives.member()
    with scope(committee=archives.committee):
        mine = archives.material(title="我的稿件", accept=False)
        theirs = archives.material(title="别人的稿件", membership=archives.member(1)[1])
    login(user)
    detail = client.get(reverse("archives:campaign_detail", args=[archives.campaign.pk]))
    assert detail.status_code == 200
    assert [m.title for m in detail.context["page"]] == ["我的稿件"]
    assert (detail.context["totals"], detail.context["can_submit"]) == (None, True)
    assert client.get(reverse("archives:material_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("archives:material_detail", args=[theirs.pk])).status_code == 404
    for name in ("materials", "volumes", "periodicals", "stats", "campaign_create"):
        assert client.get(reverse(f"archives:{name}")).status_code == 403, name
    page = client.get(reverse("archives:my_materials"))
    assert [m.title for m in page.context["page"]] == ["我的稿件"]
    assert [c.theme for c in page.context["campaigns"]] == ["百年老街记忆"]


def test_a_member_submits_a_material_from_the_page(client, login, archives):
    user, membership = archives.member()
    login(user)
    url = reverse("archives:material_create")
    form = client.get(url, {"campaign": archives.campaign.pk})
    assert form.status_code == 200
    assert "membership" not in form.context["form"].fields
    response = client.post(
        url,
        {
            "campaign": archives.campaign.pk,
            "title": "老街上的回春堂",
            "kind": "text",
            "text": "祖父在老街开设回春堂药铺。",
            "rights_holder": "李明",
            "consent_given": "on",
            "files": [SimpleUploadedFile("药铺旧照.jpg", JPEG)],
        },
    )
    with scope(committee=archives.committee):
        material = Material.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("archives:material_detail", args=[material.pk])
        assert (material.membership, material.word_count, material.state) == (
            membership,
            12,
            MaterialState.SUBMITTED,
        )
        assert list(Attachment.objects.values_list("original_name", flat=True)) == ["药铺旧照.jpg"]


def test_bad_input_answers_400_in_chinese_and_writes_nothing(client, login, archives):
    login(archives.staff)
    response = client.post(
        reverse("archives:material_create"),
        {
            "title": "老街旧照",
            "kind": "photos",
            "image_count": "-3",
            "received_on": YESTERDAY.isoformat(),
            "membership": archives.member()[1].pk,
            "contributor_name": "陈老伯",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["image_count"] == ["图片数不能为负数。"]
    assert errors["membership"] == [
        "提供人只能是本会委员或会外人士之一:选择了委员就不要再填写会外提供人。"
    ]
    assert "图片数不能为负数。" in response.content.decode()
    with scope(committee=archives.committee):
        assert Material.objects.count() == 0


def test_staff_register_an_outsiders_batch_and_accept_it(
    client, login, archives, django_capture_on_commit_callbacks
):
    login(archives.staff)
    response = client.post(
        reverse("archives:material_create"),
        {
            "campaign": archives.campaign.pk,
            "title": "老街百年影像",
            "kind": "photos",
            "image_count": "300",
            "received_on": YESTERDAY.isoformat(),
            "contributor_name": "陈老伯",
            "contributor_phone": "13912345678",
            "contributor_affiliation": "老街居民",
            "consent_given": "on",
            "consent_file": SimpleUploadedFile("授权书.pdf", PDF),
        },
    )
    assert response.status_code == 302
    with scope(committee=archives.committee):
        material = Material.objects.get()
    detail = client.get(reverse("archives:material_detail", args=[material.pk]))
    body = detail.content.decode()
    assert "139****5678" in body and "13912345678" not in body
    assert [t.action for t in detail.context["actions"]] == ["accept", "return"]
    refused = client.post(reverse("archives:material_act", args=[material.pk, "return"]))
    assert refused.status_code == 302
    with scope(committee=archives.committee):
        material.refresh_from_db()
        assert material.state == MaterialState.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("archives:material_act", args=[material.pk, "accept"]))
    with scope(committee=archives.committee):
        material.refresh_from_db()
        assert (material.state, material.image_count) == (MaterialState.ACCEPTED, 300)


def test_the_material_list_filters_in_a_fixed_number_of_queries(
    client, login, archives, django_assert_max_num_queries
):
    with scope(committee=archives.committee):
        for i in range(12):
            archives.material(title=f"老街旧事{i}", text="老街旧事" * (i + 1))
        archives.material(title="旧照", kind="photos", text="", image_count=300, outsider="陈老伯")
    login(archives.chair)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("archives:materials"))
    assert response.status_code == 200
    assert response.context["totals"] == {
        "materials": 13,
        "word_count": sum(4 * (i + 1) for i in range(12)),
        "image_count": 300,
    }
    photos = client.get(reverse("archives:materials"), {"kind": "photos"})
    assert [m.title for m in photos.context["page"]] == ["旧照"]
    outside = client.get(
        reverse("archives:materials"), {"contributor": "outside"}, headers={"HX-Request": "true"}
    )
    body = outside.content.decode()
    assert body.lstrip().startswith('<div id="material-results">')
    assert "共 1 件,计 0 字、图片 300 张" in body


def _volume(archives):
    with scope(committee=archives.committee):
        one = archives.material(title="酱园", text="老街酱园始创于清光绪年间。")
        two = archives.material(title="旧照", kind="photos", text="", image_count=300)
        volume = archives.volume(chief_editor=archives.member()[1], editors=[archives.staff])
    return volume, one, two


def test_a_volume_is_built_and_published_from_its_page(client, login, archives):
    volume, one, two = _volume(archives)
    login(archives.staff)
    url = reverse("archives:volume_detail", args=[volume.pk])
    assert (
        client.post(reverse("archives:chapter_create", args=[volume.pk]), {"title": ""}).status_code
        == 400
    )
    assert (
        client.post(
            reverse("archives:chapter_create", args=[volume.pk]), {"title": "商号春秋"}
        ).status_code
        == 302
    )
    with scope(committee=archives.committee):
        chapter = volume.chapters.get()
    placed = client.post(
        reverse("archives:chapter_place", args=[chapter.pk]),
        {f"c{chapter.pk}-materials": [str(one.pk), str(two.pk)]},
    )
    assert placed.status_code == 302
    page = client.get(url)
    assert page.context["totals"] == {"materials": 2, "word_count": 12, "image_count": 300}
    assert [str(e) for e in page.context["editors"]] == ["李明", archives.staff.display_name]
    client.post(reverse("archives:volume_act", args=[volume.pk, "start_editing"]))
    bad = client.post(
        reverse("archives:volume_act", args=[volume.pk, "publish"]), {"print_run": "0"}
    )
    assert bad.status_code == 400
    assert bad.context["action_form"].errors == {
        "published_on": ["请填写出版日期。"],
        "print_run": ["请填写印数(大于0的整数)。"],
    }
    ok = client.post(
        reverse("archives:volume_act", args=[volume.pk, "publish"]),
        {"published_on": YESTERDAY.isoformat(), "print_run": "2000"},
    )
    assert ok.status_code == 302
    with scope(committee=archives.committee):
        volume.refresh_from_db()
        assert (volume.state, volume.print_run) == (VolumeState.PUBLISHED, 2000)
    # Published: chapters are fixed.
    client.post(reverse("archives:entry_remove", args=[ChapterMaterial.objects.first().pk]))
    with scope(committee=archives.committee):
        assert ChapterMaterial.objects.count() == 2


def test_the_volume_list_pins_its_queries_and_the_toc_downloads(
    client, login, archives, django_assert_max_num_queries
):
    volume, _one, _two = _volume(archives)
    with scope(committee=archives.committee):
        for i in range(6):
            archives.volume(title=f"文史资料{i}", number=f"第{i}辑")
    login(archives.leader)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("archives:volumes"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 7
    toc = client.get(reverse("archives:volume_toc", args=[volume.pk]))
    assert toc.status_code == 200
    assert toc["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    from docx import Document

    assert Document(io.BytesIO(toc.content)).paragraphs[1].text == "老街记忆"
    assert client.get(reverse("archives:volume_edit", args=[volume.pk])).status_code == 403


def test_staff_create_a_volume_with_editors_from_the_page(client, login, archives):
    login(archives.staff)
    _u, membership = archives.member()
    response = client.post(
        reverse("archives:volume_create"),
        {
            "title": "老街记忆",
            "series": "示范县文史资料",
            "number": "第12辑",
            "campaign": archives.campaign.pk,
            "chief_editor": f"m{membership.pk}",
            "editors": [f"u{archives.staff.pk}"],
            "isbn": "not-an-isbn",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors == {"isbn": ["ISBN 格式不正确,如 978-7-5034-1234-5。"]}
    with scope(committee=archives.committee):
        assert Volume.objects.count() == 0


def test_the_periodical_and_its_issues_from_the_pages(client, login, archives):
    login(archives.staff)
    created = client.post(reverse("archives:periodicals"), {"name": "政协之声"})
    with scope(committee=archives.committee):
        periodical = Periodical.objects.get()
    assert created["Location"] == reverse("archives:periodical_detail", args=[periodical.pk])
    url = reverse("archives:issue_create", args=[periodical.pk])
    response = client.post(
        url,
        {
            "title": "聚焦老街保护",
            "published_on": TODAY.isoformat(),
            "copies": "800",
            "contents": SimpleUploadedFile("政协之声.pdf", PDF),
        },
    )
    assert response.status_code == 302
    bad = client.post(url, {"copies": "-1", "contents": SimpleUploadedFile("a.jpg", JPEG)})
    assert bad.status_code == 400
    assert bad.context["form"].errors == {"copies": ["印数不能为负数。"]}
    with scope(committee=archives.committee):
        issue = PeriodicalIssue.objects.get()
    assert (issue.year, issue.number, issue.copies) == (TODAY.year, 1, 800)
    page = client.get(reverse("archives:issue_detail", args=[issue.pk]))
    assert "政协之声.pdf" in page.content.decode()
    listed = client.get(reverse("archives:periodical_detail", args=[periodical.pk]))
    assert [i.number for i in listed.context["page"]] == [1]
    login(archives.chair)
    assert client.get(reverse("archives:issue_edit", args=[issue.pk])).status_code == 403


def test_staff_close_a_campaign_from_its_page(client, login, archives):
    login(archives.staff)
    url = reverse("archives:campaign_act", args=[archives.campaign.pk, "close"])
    assert client.post(url, {"note": "征集结束"}).status_code == 302
    with scope(committee=archives.committee):
        assert Campaign.objects.get().state == "closed"
    user, _m = archives.member()
    login(user)
    page = client.get(reverse("archives:campaign_detail", args=[archives.campaign.pk]))
    assert page.context["can_submit"] is False
    assert (
        client.post(
            reverse("archives:campaign_act", args=[archives.campaign.pk, "reopen"])
        ).status_code
        == 403
    )
    with scope(committee=archives.committee):
        assert Campaign.objects.get().state == "closed"


def test_the_stats_page_by_year_session_and_term(client, login, archives, term):
    with scope(committee=archives.committee):
        archives.material(received_on=YESTERDAY)
        session = SessionFactory(
            committee=archives.committee,
            term=term,
            opens_on=TODAY - datetime.timedelta(days=5),
            closes_on=TODAY - datetime.timedelta(days=3),
        )
    login(archives.chair)
    url = reverse("archives:stats")
    response = client.get(url)
    assert response.status_code == 200
    rows = {r["key"]: r["value"] for r in response.context["rows"]}
    assert (rows["archive_materials"], rows["archive_words"]) == (
        1 if YESTERDAY.year == TODAY.year else 0,
        10 if YESTERDAY.year == TODAY.year else 0,
    )
    assert client.get(url, {"session": session.pk}).context["figures"]["archive_materials"] == 1
    assert client.get(url, {"term": term.pk}).status_code == 200
    bad = client.get(url, {"year": "20"})
    assert (bad.status_code, bad.context["errors"]) == (400, ["年度超出范围。"])


def test_a_member_corrects_a_returned_material_and_adds_a_file(client, login, archives):
    user, _m = archives.member()
    with scope(committee=archives.committee):
        material = services.material_submit(
            actor=user,
            committee=archives.committee,
            data={"title": "老街记忆", "kind": "text", "text": "老街", "consent_given": True},
        )
        services.material_act(
            actor=archives.staff, material=material, action="return", note="请补充年代"
        )
    login(user)
    url = reverse("archives:material_edit", args=[material.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["title"] == "老街记忆"
    saved = client.post(
        url,
        {
            "title": "老街记忆(1950年代)",
            "kind": "text",
            "text": "1950年代的老街",
            "consent_given": "on",
        },
    )
    assert saved.status_code == 302
    client.post(
        reverse("archives:material_attach", args=[material.pk]),
        {"files": [SimpleUploadedFile("手稿.jpg", JPEG)]},
    )
    client.post(reverse("archives:material_act", args=[material.pk, "resubmit"]))
    with scope(committee=archives.committee):
        material.refresh_from_db()
        assert (material.title, material.word_count, material.state) == (
            "老街记忆(1950年代)",
            6,
            MaterialState.SUBMITTED,
        )
        assert list(Attachment.objects.values_list("original_name", flat=True)) == ["手稿.jpg"]
    # Accepted: the member can no longer edit it.
    with scope(committee=archives.committee):
        services.material_act(actor=archives.staff, material=material, action="accept")
    assert client.get(url).status_code == 403


def test_staff_rename_move_and_delete_chapters_from_the_page(client, login, archives):
    volume, one, two = _volume(archives)
    with scope(committee=archives.committee):
        first = services.chapter_add(actor=archives.staff, volume=volume, title="一")
        second = services.chapter_add(actor=archives.staff, volume=volume, title="二")
        services.chapter_place(actor=archives.staff, chapter=first, materials=[one, two])
    login(archives.staff)
    client.post(reverse("archives:chapter_edit", args=[first.pk]), {"title": "商号春秋"})
    client.post(reverse("archives:chapter_move", args=[second.pk, "up"]))
    with scope(committee=archives.committee):
        entry = ChapterMaterial.objects.get(material=two)
    client.post(reverse("archives:entry_move", args=[entry.pk, "up"]))
    page = client.get(reverse("archives:volume_detail", args=[volume.pk]))
    assert [
        (c.title, [e.material.title for e in c.entries.all()]) for c in page.context["chapters"]
    ] == [
        ("二", []),
        ("商号春秋", ["旧照", "酱园"]),
    ]
    assert (
        client.post(reverse("archives:chapter_move", args=[second.pk, "sideways"])).status_code
        == 404
    )
    client.post(reverse("archives:chapter_delete", args=[second.pk]))
    with scope(committee=archives.committee):
        assert list(volume.chapters.values_list("title", "position")) == [("商号春秋", 1)]
    login(archives.chair)
    assert client.post(reverse("archives:chapter_delete", args=[first.pk])).status_code == 403
