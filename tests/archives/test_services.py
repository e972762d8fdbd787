import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.archives.conftest import TODAY, YESTERDAY
from zhengxie.archives import services
from zhengxie.archives.documents import volume_toc_document
from zhengxie.archives.models import (
    CampaignHistory,
    CampaignState,
    ChapterMaterial,
    Material,
    MaterialHistory,
    MaterialState,
    PeriodicalIssue,
    VolumeEditor,
    VolumeHistory,
    VolumeState,
)
from zhengxie.archives.queries import volume_list, volume_totals
from zhengxie.core.models import Attachment, DutyRecord, Notification
from zhengxie.core.workflow import InvalidTransition

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _ledger(sub_kind=None):
    rows = DutyRecord.objects.filter(kind="archive")
    if sub_kind:
        rows = rows.filter(sub_kind=sub_kind)
    return list(rows.order_by("pk").values_list("membership_id", "sub_kind", "weight"))


# Word counting ------------------------------------------------------------------------------


def test_words_are_chinese_characters_plus_latin_words_and_numbers():
    assert services.count_words("酱园始创于清光绪年间。") == 10
    assert services.count_words("1923年,Ford T型车进城。") == 8
    assert services.count_words("  ,。!  ") == 0


# Campaigns ----------------------------------------------------------------------------------


def test_a_campaign_is_closed_and_reopened_with_a_new_deadline(archives):
    campaign = services.campaign_act(
        actor=archives.staff, campaign=archives.campaign, action="close", note="征集结束"
    )
    assert campaign.state == CampaignState.CLOSED
    later = TODAY + datetime.timedelta(days=90)
    campaign = services.campaign_act(
        actor=archives.staff, campaign=campaign, action="reopen", deadline=later
    )
    assert (campaign.state, campaign.deadline) == (CampaignState.OPEN, later)
    rows = list(
        CampaignHistory.objects.filter(subject=campaign)
        .order_by("pk")
        .values_list("action", "to_state", "note")
    )
    assert rows == [("close", "closed", "征集结束"), ("reopen", "open", "")]


def test_a_campaign_past_its_deadline_may_be_closed_but_reopens_only_with_a_new_deadline(
    archives,
):
    campaign = archives.campaign
    services.campaign_update(
        actor=archives.staff,
        campaign=campaign,
        data={
            "theme": campaign.theme,
            "call_text": campaign.call_text,
            "opens_on": TODAY - datetime.timedelta(days=60),
            "deadline": TODAY - datetime.timedelta(days=2),
        },
    )
    campaign = services.campaign_act(actor=archives.staff, campaign=campaign, action="close")
    with pytest.raises(ValidationError) as error:
        services.campaign_act(actor=archives.staff, campaign=campaign, action="reopen")
    assert error.value.message_dict == {"deadline": ["截止日期已过,重新开放请填写新的截止日期。"]}
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.CLOSED


def test_a_campaign_needs_a_theme_and_a_deadline_after_it_opens(archives):
    with pytest.raises(ValidationError) as error:
        services.campaign_create(
            actor=archives.staff,
            committee=archives.committee,
            data={
                "theme": "百年老街记忆",
                "call_text": "",
                "opens_on": TODAY,
                "deadline": TODAY - datetime.timedelta(days=1),
            },
        )
    assert error.value.message_dict == {
        "theme": ["已有同一主题的征集活动。"],
        "call_text": ["请填写征集启事。"],
        "deadline": ["截止日期不能早于开始日期。"],
    }


def test_only_staff_run_campaigns(archives):
    user, _m = archives.member()
    with pytest.raises(PermissionDenied):
        services.campaign_act(actor=user, campaign=archives.campaign, action="close")
    with pytest.raises(PermissionDenied):
        services.campaign_create(
            actor=archives.chair,
            committee=archives.committee,
            data={"theme": "老茶厂", "call_text": "征集", "opens_on": TODAY, "deadline": TODAY},
        )


# Materials ----------------------------------------------------------------------------------


def test_staff_register_an_outsiders_material_with_the_phone_encrypted(archives):
    material = archives.material(
        outsider="陈老伯", contributor_affiliation="老街居民", accept=False
    )
    assert (material.membership, material.contributor_name, material.state) == (
        None,
        "陈老伯",
        MaterialState.SUBMITTED,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contributor_phone FROM archives_material WHERE id = %s", [material.pk]
        )
        stored = cursor.fetchone()[0]
    assert "13912345678" not in stored
    fresh = Material.objects.get(pk=material.pk)
    assert (fresh.contributor_phone, fresh.masked_phone) == ("13912345678", "139****5678")
    assert list(MaterialHistory.objects.values_list("action", "to_state")) == [
        ("submit", "submitted")
    ]


def test_the_word_count_is_computed_from_the_text_whatever_was_entered(archives):
    material = archives.material(text="老街口的石牌坊建于1923年。", word_count=99999, accept=False)
    assert material.word_count == 11


def test_scans_and_recordings_carry_the_counts_staff_enter(archives):
    scans = archives.material(
        title="民国老街商铺契约", kind="scans", text="", word_count=4200, image_count=36
    )
    oral = archives.material(
        title="老街裁缝口述", kind="oral", text="", word_count=8000, duration_minutes=95
    )
    batch = archives.material(title="老街旧照", kind="photos", text="", image_count=300)
    assert [(m.word_count, m.image_count, m.duration_minutes) for m in (scans, oral, batch)] == [
        (4200, 36, None),
        (8000, 0, 95),
        (0, 300, None),
    ]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"kind": "scans", "text": "", "word_count": -5, "image_count": 3},
         {"word_count": ["字数不能为负数。"]}),
        ({"kind": "photos", "text": "", "image_count": -1},
         {"image_count": ["图片数不能为负数。"]}),
        ({"kind": "photos", "text": "", "image_count": 0},
         {"image_count": ["照片和扫描件请填写图片数量。"]}),
        ({"kind": "oral", "text": ""}, {"duration_minutes": ["口述史录音请填写录音时长(分钟)。"]}),
        ({"kind": "text", "text": ""}, {"word_count": ["文字稿请填写文字内容或字数。"]}),
        ({"title": ""}, {"title": ["请填写标题。"]}),
        ({"received_on": TODAY + datetime.timedelta(days=1)},
         {"received_on": ["收到日期不能晚于今天。"]}),
    ],
)  # fmt: skip
def test_bad_counts_and_dates_are_refused_and_nothing_is_written(archives, data, errors):
    with pytest.raises(ValidationError) as error:
        archives.material(accept=False, **data)
    assert error.value.message_dict == errors
    assert Material.objects.count() == 0


def test_a_material_has_exactly_one_contributor(archives):
    _user, membership = archives.member()
    base = {
        "title": "老街旧事",
        "kind": "text",
        "text": "旧事",
        "received_on": YESTERDAY,
    }
    with pytest.raises(ValidationError) as neither:
        services.material_submit(actor=archives.staff, committee=archives.committee, data=base)
    assert neither.value.message_dict == {
        "membership": ["请选择提供资料的委员,或填写会外提供人的姓名(二者选一)。"]
    }
    with pytest.raises(ValidationError) as both:
        services.material_submit(
            actor=archives.staff,
            committee=archives.committee,
            data={**base, "membership": membership, "contributor_name": "陈老伯"},
        )
    assert both.value.message_dict == {
        "membership": ["提供人只能是本会委员或会外人士之一:选择了委员就不要再填写会外提供人。"]
    }
    assert Material.objects.count() == 0


def test_a_member_submits_their_own_material_and_staff_are_told(
    archives, django_capture_on_commit_callbacks
):
    user, membership = archives.member(1)
    with django_capture_on_commit_callbacks(execute=True):
        material = services.material_submit(
            actor=user,
            committee=archives.committee,
            data={
                "campaign": archives.campaign,
                "title": "我家三代在老街开药铺",
                "kind": "text",
                "text": "祖父在老街开设回春堂药铺。",
                "contributor_name": "冒名",
                "received_on": datetime.date(2000, 1, 1),
                "consent_given": True,
            },
        )
    assert (
        material.membership,
        material.contributor_name,
        material.received_on,
        material.submitted_by,
        material.word_count,
    ) == (membership, "", TODAY, user, 12)
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "wsstaff",
        "wsstaff2",
    }


def test_members_submit_only_while_a_campaign_collects(archives):
    services.campaign_act(actor=archives.staff, campaign=archives.campaign, action="close")
    user, _m = archives.member()
    with pytest.raises(ValidationError) as error:
        services.material_submit(
            actor=user,
            committee=archives.committee,
            data={
                "campaign": archives.campaign,
                "title": "迟到的稿件",
                "kind": "text",
                "text": "稿",
            },
        )
    assert error.value.message_dict == {"campaign": ["该征集活动不在征集期内,不能再提交。"]}
    assert Material.objects.count() == 0


@pytest.mark.parametrize("who", ["unit_user", "public", "chair", "leader"])
def test_others_cannot_submit_materials(archives, who):
    with pytest.raises(PermissionDenied):
        services.material_submit(
            actor=getattr(archives, who),
            committee=archives.committee,
            data={"title": "稿", "kind": "text", "text": "稿"},
        )
    assert Material.objects.count() == 0


def test_accepting_a_members_material_writes_one_ledger_row(archives):
    _user, membership = archives.member()
    material = archives.material()
    assert material.state == MaterialState.ACCEPTED
    assert _ledger() == [(membership.pk, "contributed", 1)]
    record = DutyRecord.objects.get(kind="archive")
    assert (record.occurred_on, record.source_id, record.title) == (
        YESTERDAY,
        material.pk,
        "提供文史资料:老街酱园的百年兴衰",
    )
    with pytest.raises(InvalidTransition):
        services.material_act(actor=archives.staff, material=material, action="accept")
    assert len(_ledger()) == 1


def test_an_outsiders_material_writes_no_ledger_row(archives):
    archives.material(outsider="陈老伯")
    assert _ledger() == []


def test_a_returned_material_is_corrected_resubmitted_and_credited_once(
    archives, django_capture_on_commit_callbacks
):
    user, membership = archives.member()
    material = services.material_submit(
        actor=user,
        committee=archives.committee,
        data={"title": "老街记忆", "kind": "text", "text": "老街", "consent_given": True},
    )
    with pytest.raises(ValidationError) as error:
        services.material_act(actor=archives.staff, material=material, action="return")
    assert error.value.message_dict == {"note": ["请填写退回原因。"]}
    with django_capture_on_commit_callbacks(execute=True):
        material = services.material_act(
            actor=archives.staff, material=material, action="return", note="请补充年代和出处"
        )
    assert (material.state, material.return_reason) == (MaterialState.RETURNED, "请补充年代和出处")
    assert Notification.objects.filter(recipient=user).count() == 1
    material = services.material_update(
        actor=user,
        material=material,
        data={
            "title": "老街记忆(1950年代)",
            "kind": "text",
            "text": "1950年代的老街",
            "consent_given": True,
        },
    )
    material = services.material_act(actor=user, material=material, action="resubmit")
    assert (material.state, material.return_reason) == (MaterialState.SUBMITTED, "")
    services.material_act(actor=archives.staff, material=material, action="accept")
    assert _ledger() == [(membership.pk, "contributed", 1)]
    assert list(material.history.order_by("pk").values_list("action", flat=True)) == [
        "submit",
        "return",
        "edit",
        "resubmit",
        "accept",
    ]


def test_a_member_cannot_accept_nor_edit_an_accepted_material(archives):
    user, _m = archives.member()
    material = archives.material(accept=False)
    with pytest.raises(PermissionDenied):
        services.material_act(actor=user, material=material, action="accept")
    material = services.material_act(actor=archives.staff, material=material, action="accept")
    with pytest.raises(ValidationError, match="已采用的史料不能再修改"):
        services.material_update(actor=user, material=material, data={"title": "改"})


def test_a_member_cannot_touch_another_members_material(archives):
    other, _m = archives.member(2)
    material = archives.material(accept=False)
    assert not other.has_perm("archives.view_material", material)
    with pytest.raises(PermissionDenied):
        services.material_update(
            actor=other, material=material, data={"title": "改", "kind": "text", "text": "改"}
        )


# Attachments --------------------------------------------------------------------------------


def test_photos_and_a_consent_letter_are_attached(archives):
    material = services.material_submit(
        actor=archives.staff,
        committee=archives.committee,
        data={
            "title": "老街旧照",
            "kind": "photos",
            "image_count": 2,
            "received_on": YESTERDAY,
            "contributor_name": "陈老伯",
        },
        uploads=[SimpleUploadedFile("街口.jpg", JPEG), SimpleUploadedFile("牌坊.jpg", JPEG)],
        consent_upload=SimpleUploadedFile("授权书.pdf", PDF),
    )
    names = sorted(Attachment.objects.values_list("original_name", flat=True))
    assert names == ["授权书.pdf", "牌坊.jpg", "街口.jpg"]
    assert material.consent_attachment.original_name == "授权书.pdf"


def test_an_oral_history_recording_is_kept_with_its_material(archives):
    material = services.material_submit(
        actor=archives.staff,
        committee=archives.committee,
        data={
            "title": "老街裁缝口述",
            "kind": "oral",
            "duration_minutes": 40,
            "received_on": YESTERDAY,
            "contributor_name": "陈老伯",
        },
        uploads=[SimpleUploadedFile("口述.mp3", MP3)],
    )
    kept = Attachment.objects.get()
    assert (kept.original_name, kept.content_type) == ("口述.mp3", "audio/mpeg")
    assert material.duration_minutes == 40


def test_a_file_whose_content_is_not_an_allowed_kind_is_refused_and_nothing_is_kept(archives):
    with pytest.raises(ValidationError) as error:
        services.material_submit(
            actor=archives.staff,
            committee=archives.committee,
            data={
                "title": "老街裁缝口述",
                "kind": "oral",
                "duration_minutes": 40,
                "received_on": YESTERDAY,
                "contributor_name": "陈老伯",
            },
            uploads=[SimpleUploadedFile("口述.mp3", b"not really audio" * 8)],
        )
    assert list(error.value.message_dict) == ["files"]
    assert "实际内容不是允许的类型" in error.value.message_dict["files"][0]
    assert (Material.objects.count(), Attachment.objects.count()) == (0, 0)


# Volumes ------------------------------------------------------------------------------------


def _volume_with_materials(archives):
    (_u0, m0), (_u1, m1), _rest = archives.members
    materials = [
        archives.material(title="酱园", text="老街酱园始创于清光绪年间。", membership=m0),
        archives.material(title="旧照", kind="photos", text="", image_count=300, membership=m1),
        archives.material(
            title="契约", kind="scans", text="", word_count=4200, image_count=36, outsider="陈老伯"
        ),
        archives.material(title="口述", kind="oral", text="", word_count=8123, duration_minutes=95,
                          membership=m0),
    ]  # fmt: skip
    volume = archives.volume()
    one = services.chapter_add(actor=archives.staff, volume=volume, title="商号春秋")
    two = services.chapter_add(actor=archives.staff, volume=volume, title="街巷旧影")
    services.chapter_place(
        actor=archives.staff, chapter=one, materials=[materials[0], materials[3]]
    )
    services.chapter_place(
        actor=archives.staff, chapter=two, materials=[materials[1], materials[2]]
    )
    return volume, materials


def test_a_volumes_word_count_equals_the_sum_of_its_materials(archives):
    volume, materials = _volume_with_materials(archives)
    expected = {
        "materials": 4,
        "word_count": sum(m.word_count for m in materials),
        "image_count": sum(m.image_count for m in materials),
    }
    assert expected == {"materials": 4, "word_count": 12 + 0 + 4200 + 8123, "image_count": 336}
    assert volume_totals(volume) == expected
    listed = volume_list().get(pk=volume.pk)
    assert (listed.material_count, listed.word_count, listed.image_count) == (4, 12335, 336)
    # Removing a material changes the sums at once: nothing is stored by hand.
    services.entry_remove(
        actor=archives.staff, entry=ChapterMaterial.objects.get(material=materials[2])
    )
    assert volume_totals(volume) == {"materials": 3, "word_count": 8135, "image_count": 300}


def test_a_material_without_consent_cannot_be_placed(archives):
    material = archives.material(consent_given=False)
    volume = archives.volume()
    chapter = services.chapter_add(actor=archives.staff, volume=volume, title="商号春秋")
    with pytest.raises(ValidationError) as error:
        services.chapter_place(actor=archives.staff, chapter=chapter, materials=[material])
    assert error.value.message_dict == {
        "materials": ["“老街酱园的百年兴衰”未取得权利人授权,不能编入书目。"]
    }
    assert ChapterMaterial.objects.count() == 0


def test_only_accepted_materials_are_placed(archives):
    material = archives.material(accept=False)
    chapter = services.chapter_add(actor=archives.staff, volume=archives.volume(), title="一")
    with pytest.raises(ValidationError, match="尚未采用"):
        services.chapter_place(actor=archives.staff, chapter=chapter, materials=[material])


def test_a_material_is_in_at_most_one_volume(archives):
    material = archives.material()
    first = services.chapter_add(actor=archives.staff, volume=archives.volume(), title="一")
    second = services.chapter_add(
        actor=archives.staff, volume=archives.volume(title="老茶厂", number="第13辑"), title="二"
    )
    services.chapter_place(actor=archives.staff, chapter=first, materials=[material])
    with pytest.raises(ValidationError) as error:
        services.chapter_place(actor=archives.staff, chapter=second, materials=[material])
    assert error.value.message_dict == {
        "materials": ["“老街酱园的百年兴衰”已编入《老街记忆》第12辑,一份史料只能编入一本书目。"]
    }
    assert list(ChapterMaterial.objects.values_list("chapter_id", flat=True)) == [first.pk]


def test_publishing_needs_a_date_a_print_run_and_material(archives):
    volume = archives.volume()
    volume = services.volume_act(actor=archives.staff, volume=volume, action="start_editing")
    with pytest.raises(ValidationError) as error:
        services.volume_act(actor=archives.staff, volume=volume, action="publish", print_run=0)
    assert error.value.message_dict == {
        "published_on": ["请填写出版日期。"],
        "print_run": ["请填写印数(大于0的整数)。"],
    }
    services.chapter_add(actor=archives.staff, volume=volume, title="空章节")
    with pytest.raises(ValidationError) as error:
        services.volume_act(
            actor=archives.staff, volume=volume, action="publish", published_on=TODAY, print_run=800
        )
    assert error.value.messages == ["书目至少要有一个编入史料的章节才能出版。"]
    volume.refresh_from_db()
    assert (volume.state, volume.published_on, volume.print_run) == (
        VolumeState.EDITING,
        None,
        None,
    )


def test_publishing_credits_each_members_material_once(archives):
    volume, materials = _volume_with_materials(archives)
    (_u0, m0), (_u1, m1), _rest = archives.members
    services.volume_act(actor=archives.staff, volume=volume, action="start_editing")
    volume = services.volume_act(
        actor=archives.staff,
        volume=volume,
        action="publish",
        published_on=YESTERDAY,
        print_run=1500,
        isbn="978-7-5034-1234-5",
    )
    assert (volume.state, volume.published_on, volume.print_run, volume.isbn) == (
        VolumeState.PUBLISHED,
        YESTERDAY,
        1500,
        "978-7-5034-1234-5",
    )
    published = DutyRecord.objects.filter(kind="archive", sub_kind="published").order_by("pk")
    assert sorted(published.values_list("membership_id", "source_id")) == sorted(
        [(m0.pk, materials[0].pk), (m0.pk, materials[3].pk), (m1.pk, materials[1].pk)]
    )
    assert set(published.values_list("occurred_on", flat=True)) == {YESTERDAY}
    assert list(VolumeHistory.objects.values_list("action", flat=True)) == [
        "start_editing",
        "publish",
    ]
    with pytest.raises(InvalidTransition):
        services.volume_act(
            actor=archives.staff, volume=volume, action="publish", published_on=TODAY, print_run=1
        )
    with pytest.raises(ValidationError, match="已出版的书目不能再调整章节"):
        services.chapter_add(actor=archives.staff, volume=volume, title="补遗")
    assert published.count() == 3


def test_editors_are_members_or_staff_and_one_chief(archives):
    _u, membership = archives.member()
    volume = archives.volume(chief_editor=membership, editors=[archives.staff, membership])
    rows = list(
        VolumeEditor.objects.filter(volume=volume)
        .order_by("role", "pk")
        .values_list("role", "membership_id", "user_id")
    )
    assert rows == [("chief", membership.pk, None), ("editor", None, archives.staff.pk)]
    with pytest.raises(ValidationError) as error:
        services.volume_update(
            actor=archives.staff,
            volume=volume,
            data={"title": "老街记忆", "editors": [archives.chair]},
        )
    assert error.value.message_dict == {
        "editors": [f"{archives.chair.display_name}不是本会工作人员。"]
    }
    assert VolumeEditor.objects.filter(volume=volume).count() == 2


def test_chapters_and_their_materials_keep_their_order(archives):
    volume, materials = _volume_with_materials(archives)
    one, two = volume.chapters.order_by("position")
    services.chapter_move(actor=archives.staff, chapter=two, direction="up")
    assert list(volume.chapters.order_by("position").values_list("title", flat=True)) == [
        "街巷旧影",
        "商号春秋",
    ]
    entry = ChapterMaterial.objects.get(material=materials[3])
    services.entry_move(actor=archives.staff, entry=entry, direction="up")
    assert list(one.entries.order_by("position").values_list("material__title", "position")) == [
        ("口述", 1),
        ("酱园", 2),
    ]
    services.chapter_delete(actor=archives.staff, chapter=two)
    assert list(volume.chapters.values_list("title", "position")) == [("商号春秋", 1)]
    assert ChapterMaterial.objects.filter(material=materials[1]).exists() is False


def test_the_table_of_contents_is_a_word_document(archives):
    from docx import Document

    volume, _materials = _volume_with_materials(archives)
    content = volume_toc_document(actor=archives.chair, volume=volume)
    text = [p.text for p in Document(io.BytesIO(content)).paragraphs]
    assert text == [
        "示范县文史资料 第12辑",
        "老街记忆",
        "目  录",
        "商号春秋",
        "酱园  李明",
        "口述  李明",
        "街巷旧影",
        "旧照  王芳",
        "契约  陈老伯",
        "共收录史料4篇(件),计12335字,图片336幅。",
    ]
    user, _m = archives.member()
    with pytest.raises(PermissionDenied):
        volume_toc_document(actor=user, volume=volume)


# The periodical -----------------------------------------------------------------------------


def test_issues_are_numbered_within_their_year(archives):
    periodical = services.periodical_create(
        actor=archives.staff, committee=archives.committee, name="《政协之声》"
    )
    assert periodical.name == "政协之声"
    last_year = TODAY.year - 1
    made = [
        services.issue_create(
            actor=archives.staff, periodical=periodical, data={"published_on": TODAY, "copies": 500}
        ),
        services.issue_create(
            actor=archives.staff, periodical=periodical, data={"year": last_year, "copies": 500}
        ),
        services.issue_create(actor=archives.staff, periodical=periodical, data={"title": "专刊"}),
    ]
    assert [(i.year, i.number) for i in made] == [
        (TODAY.year, 1),
        (last_year, 1),
        (TODAY.year, 2),
    ]
    with pytest.raises(ValidationError) as error:
        services.periodical_create(
            actor=archives.staff, committee=archives.committee, name="政协之声"
        )
    assert error.value.message_dict == {"name": ["已有同名的刊物。"]}


def test_an_issues_contents_must_be_a_pdf(archives):
    periodical = services.periodical_create(
        actor=archives.staff, committee=archives.committee, name="政协之声"
    )
    with pytest.raises(ValidationError) as error:
        services.issue_create(
            actor=archives.staff,
            periodical=periodical,
            data={"published_on": TODAY},
            upload=SimpleUploadedFile("封面.jpg", JPEG),
        )
    assert error.value.message_dict == {"contents": ["本期内容请上传 PDF 文件。"]}
    assert (PeriodicalIssue.objects.count(), Attachment.objects.count()) == (0, 0)
    issue = services.issue_create(
        actor=archives.staff,
        periodical=periodical,
        data={"published_on": TODAY},
        upload=SimpleUploadedFile("2026-1.pdf", PDF),
    )
    assert issue.contents.original_name == "2026-1.pdf"


def test_a_member_cannot_add_issues(archives):
    periodical = services.periodical_create(
        actor=archives.staff, committee=archives.committee, name="政协之声"
    )
    user, _m = archives.member()
    with pytest.raises(PermissionDenied):
        services.issue_create(actor=user, periodical=periodical, data={})
    assert PeriodicalIssue.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_staff_adding_issues_at_once_get_different_numbers(committee, term, sector):
    """Real concurrency needs row locks: PostgreSQL only (the numbering is covered above)."""
    import threading

    from django.db import connections
    from django_scopes import scope

    from tests.archives.conftest import Archives

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    with scope(committee=committee):
        archives = Archives(committee, term, sector)
        periodical = services.periodical_create(
            actor=archives.staff, committee=committee, name="政协之声"
        )
    barrier = threading.Barrier(2)
    numbers, failures = [], []

    def add(actor):
        try:
            with scope(committee=committee):
                barrier.wait()
                issue = services.issue_create(
                    actor=actor, periodical=periodical, data={"published_on": TODAY}
                )
            numbers.append(issue.number)
        except Exception as exc:  # noqa: BLE001  (reported by the assertion below)
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=add, args=(u,)) for u in (archives.staff, archives.other_staff)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (sorted(numbers), failures) == ([1, 2], [])
