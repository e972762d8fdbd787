import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import HandlingUnitFactory, user_with_role
from tests.supervision.conftest import SENT, YEAR
from zhengxie.core.models import Role
from zhengxie.supervision import services
from zhengxie.supervision.models import AppraisalScore, LetterState, SupervisionGroup


@pytest.fixture
def sent_letter(letter, staff):
    return services.letter_send(actor=staff, letter=letter, sent_on=SENT)


def test_staff_see_the_groups_of_the_year_with_unit_leader_members_and_letter_state(
    client, staff, sent_letter
):
    client.force_login(staff)
    response = client.get(reverse("supervision:group_list"), {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("第一民主监督小组", "县教育局", "李明", "王芳、赵强", "已送达"):
        assert text in html


def test_the_group_list_does_not_grow_queries_with_groups(
    client, county, staff, make_group, django_assert_max_num_queries
):
    units = [HandlingUnitFactory(committee=county.committee) for _ in range(8)]
    for i, unit in enumerate(units):
        group = make_group(unit=unit, name=f"第{i + 1}组")
        services.letter_create(actor=staff, group=group, data={"title": "建议书", "text": "正文"})
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("supervision:group_list"), {"year": YEAR})
    assert response.content.decode().count("supervision/groups/") >= 8


def test_a_member_sees_only_their_groups_and_others_answer_404(client, make_group, members, units):
    mine = make_group()
    other = make_group(unit=units[1][1], name="第二组", leader=members[1][1], others=[])
    client.force_login(members[0][0])
    html = client.get(reverse("supervision:group_list"), {"year": YEAR}).content.decode()
    assert "第一民主监督小组" in html and "第二组" not in html
    assert client.get(reverse("supervision:group_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("supervision:group_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("supervision:group_create")).status_code == 403


def test_leaders_and_chairs_read_but_cannot_manage(client, group, leader, chair):
    for user in (leader, chair):
        client.force_login(user)
        assert client.get(reverse("supervision:group_detail", args=[group.pk])).status_code == 200
        assert client.get(reverse("supervision:group_create")).status_code == 403
        assert client.get(reverse("supervision:letter_create", args=[group.pk])).status_code == 403


def test_public_users_see_nothing(client, county, group):
    public = user_with_role(county.committee, Role.PUBLIC)
    client.force_login(public)
    assert client.get(reverse("supervision:group_list")).status_code == 403
    assert client.get(reverse("supervision:group_detail", args=[group.pk])).status_code == 404
    assert client.get(reverse("supervision:topic_list")).status_code == 403


def test_staff_create_a_group_and_a_duplicate_is_refused_in_chinese(client, staff, members, units):
    client.force_login(staff)
    data = {
        "year": YEAR,
        "name": "第三民主监督小组",
        "unit": units[2][1].pk,
        "leader": members[0][1].pk,
        "members": [members[1][1].pk, members[2][1].pk],
    }
    response = client.post(reverse("supervision:group_create"), data)
    group = SupervisionGroup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("supervision:group_detail", args=[group.pk])
    response = client.post(reverse("supervision:group_create"), {**data, "name": "另一组"})
    assert response.status_code == 400
    assert "2026年已有民主监督小组对口监督县交通运输局" in response.content.decode()
    assert SupervisionGroup.objects.count() == 1


def test_staff_draft_and_send_a_letter_then_a_second_send_answers_409(client, staff, group, county):
    client.force_login(staff)
    response = client.post(
        reverse("supervision:letter_create", args=[group.pk]),
        {"title": "建议书", "text": "正文", "recommendations": "第一条\n第二条"},
    )
    letter = group.letters.get()
    assert response["Location"] == reverse("supervision:letter_detail", args=[letter.pk])
    page = client.get(response["Location"]).content.decode()
    assert "第一条" in page and "送达监督单位" in page
    stale_page_post = {"sent_on": SENT.isoformat()}
    assert client.post(reverse("supervision:letter_send", args=[letter.pk]), stale_page_post)[
        "Location"
    ] == reverse("supervision:letter_detail", args=[letter.pk])
    client.force_login(county.other_staff)
    response = client.post(reverse("supervision:letter_send", args=[letter.pk]), stale_page_post)
    assert response.status_code == 409
    assert "可能已被他人处理" in response.content.decode()


def test_staff_edit_a_draft_but_not_a_sent_letter(client, staff, letter):
    client.force_login(staff)
    url = reverse("supervision:letter_edit", args=[letter.pk])
    response = client.post(url, {"title": "修改后的标题", "text": "新正文", "due_on": "2026-07-01"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert (letter.title, letter.text, str(letter.due_on)) == (
        "修改后的标题",
        "新正文",
        "2026-07-01",
    )
    services.letter_send(actor=staff, letter=letter, sent_on=SENT)
    assert client.get(url).status_code == 403


def test_a_letter_without_text_is_refused_on_the_page(client, staff, group):
    client.force_login(staff)
    response = client.post(
        reverse("supervision:letter_create", args=[group.pk]), {"title": "建议书", "text": ""}
    )
    assert response.status_code == 400
    assert group.letters.count() == 0


def test_the_unit_lists_and_answers_its_letter(client, sent_letter, units):
    user = units[0][0]
    client.force_login(user)
    listing = client.get(reverse("supervision:unit_letters")).content.decode()
    assert sent_letter.title in listing
    detail = client.get(reverse("supervision:letter_detail", args=[sent_letter.pk]))
    assert detail.status_code == 200 and "提交答复" in detail.content.decode()
    response = client.post(
        reverse("supervision:letter_answer", args=[sent_letter.pk]),
        {"text": "已落实整改", "answered_on": "2026-05-06"},
    )
    assert response.status_code == 302
    sent_letter.refresh_from_db()
    assert (sent_letter.state, sent_letter.answer) == (LetterState.ANSWERED, "已落实整改")


def test_another_unit_gets_404_and_does_not_list_the_letter(client, sent_letter, units):
    client.force_login(units[1][0])
    assert sent_letter.title not in client.get(reverse("supervision:unit_letters")).content.decode()
    url = reverse("supervision:letter_detail", args=[sent_letter.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        reverse("supervision:letter_answer", args=[sent_letter.pk]), {"text": "x"}
    )
    assert response.status_code == 404


def test_a_unit_does_not_see_a_draft_letter(client, letter, units):
    client.force_login(units[0][0])
    assert client.get(reverse("supervision:letter_detail", args=[letter.pk])).status_code == 404


def test_staff_record_a_recheck_on_the_page(client, sent_letter, staff, units):
    services.letter_answer(actor=units[0][0], letter=sent_letter, text="答复")
    client.force_login(staff)
    response = client.post(
        reverse("supervision:letter_recheck", args=[sent_letter.pk]),
        {
            "checked_on": "2026-09-01",
            "participants": "李明、县政府督查室",
            "with_inspection_office": "on",
            "findings": "已落实",
            "rating": "implemented",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "会同政府督查室" in page and "已回头看" in page


@pytest.fixture
def appraisal(county, staff):
    return services.appraisal_create(
        actor=staff, committee=county.committee, data={"year": YEAR, "title": "部门民主评议"}
    )


def test_staff_enter_every_units_score_in_one_form_and_export_them(client, staff, appraisal, units):
    client.force_login(staff)
    url = reverse("supervision:appraisal_detail", args=[appraisal.pk])
    assert "县交通运输局得分" in client.get(url).content.decode()
    data = {
        f"score-{units[0][1].pk}": "91",
        f"score-{units[1][1].pk}": "75.5",
        f"comments-{units[1][1].pk}": "需加强",
        f"score-{units[2][1].pk}": "",
    }
    assert client.post(url, data).status_code == 302
    export = client.get(reverse("supervision:appraisal_export", args=[appraisal.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        ["名次", "被评议单位", "得分", "等次", "评议意见"],
        [1, "县教育局", 91, "优秀", None],
        [2, "县财政局", 75.5, "一般", "需加强"],
    ]


def test_a_score_out_of_range_is_shown_and_nothing_is_saved(client, staff, appraisal, units):
    client.force_login(staff)
    url = reverse("supervision:appraisal_detail", args=[appraisal.pk])
    response = client.post(url, {f"score-{units[0][1].pk}": "91", f"score-{units[1][1].pk}": "120"})
    assert response.status_code == 400
    assert "县财政局:得分须在0到100之间。" in response.content.decode()
    assert AppraisalScore.objects.count() == 0


def test_members_cannot_open_appraisals(client, members, appraisal):
    client.force_login(members[0][0])
    url = reverse("supervision:appraisal_detail", args=[appraisal.pk])
    assert client.get(url).status_code == 403


def test_staff_register_a_supervision_activity_for_the_group(client, staff, group, members):
    from django.contrib.contenttypes.models import ContentType

    from zhengxie.activities.models import Activity

    client.force_login(staff)
    response = client.post(
        reverse("supervision:group_activity_add", args=[group.pk]),
        {
            "title": "列席县教育局局务会议",
            "kind": "列席会议",
            "starts_on": "2026-03-12",
            "state": "held",
        },
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.category, activity.context_type, activity.context_id) == (
        "supervision",
        ContentType.objects.get_for_model(SupervisionGroup),
        group.pk,
    )
    assert sorted(activity.participations.values_list("membership_id", flat=True)) == sorted(
        m.pk for _u, m in members
    )
    page = client.get(reverse("supervision:group_detail", args=[group.pk])).content.decode()
    assert "列席县教育局局务会议" in page


def test_the_city_sees_a_joint_topic_and_its_own_groups_under_it(
    client, county, staff, make_group, committee
):
    from tests.factories import CommitteeFactory

    city = CommitteeFactory(level="city")
    committee.parent = city
    committee.save(update_fields=["parent"])
    topic = services.topic_create(
        actor=staff, committee=committee, data={"title": "河湖长制专项监督", "starts_year": 2025}
    )
    make_group(topic=topic)
    client.force_login(staff)
    response = client.post(
        reverse("supervision:topic_share", args=[topic.pk]), {"committee": city.pk}
    )
    assert response.status_code == 302
    city_staff = user_with_role(city, Role.STAFF)
    client.force_login(city_staff)
    assert "河湖长制专项监督" in client.get(reverse("supervision:topic_list")).content.decode()
    page = client.get(reverse("supervision:topic_detail", args=[topic.pk])).content.decode()
    assert "本会尚未在此专题下设立小组。" in page


def test_every_page_opens_for_staff(client, staff, sent_letter, group, county):
    topic = services.topic_create(
        actor=staff, committee=county.committee, data={"title": "专题", "starts_year": 2026}
    )
    client.force_login(staff)
    for name, args in (
        ("supervision:group_list", []),
        ("supervision:group_create", []),
        ("supervision:group_edit", [group.pk]),
        ("supervision:letter_create", [group.pk]),
        ("supervision:letter_detail", [sent_letter.pk]),
        ("supervision:topic_list", []),
        ("supervision:topic_create", []),
        ("supervision:topic_detail", [topic.pk]),
        ("supervision:topic_edit", [topic.pk]),
        ("supervision:appraisal_list", []),
    ):
        assert client.get(reverse(name, args=args)).status_code == 200, name


def test_a_group_member_reads_the_groups_letter_but_cannot_act(client, sent_letter, members):
    client.force_login(members[1][0])
    response = client.get(reverse("supervision:letter_detail", args=[sent_letter.pk]))
    assert response.status_code == 200
    assert "提交答复" not in response.content.decode()
    response = client.post(
        reverse("supervision:letter_recheck", args=[sent_letter.pk]), {"rating": "implemented"}
    )
    assert response.status_code == 403


def test_the_navigation_shows_the_supervision_section_by_role(client, staff, units):
    client.force_login(staff)
    html = client.get(reverse("supervision:group_list")).content.decode()
    assert "民主监督小组" in html and "民主评议" in html
    client.force_login(units[0][0])
    html = client.get(reverse("supervision:unit_letters")).content.decode()
    assert "待答复监督建议书" in html and reverse("supervision:appraisal_list") not in html


def test_the_grade_thresholds_show_on_the_settings_page(client, county):
    admin = user_with_role(county.committee, Role.ADMIN)
    client.force_login(admin)
    html = client.get(reverse("core:settings")).content.decode()
    assert "民主评议等次分数线" in html
