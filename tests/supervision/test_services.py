import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope, scopes_disabled

from tests.factories import CommitteeFactory, HandlingUnitFactory, user_with_role
from tests.supervision.conftest import SENT, YEAR
from zhengxie.core.config import set_setting
from zhengxie.core.models import (
    AuditEntry,
    DutyRecord,
    Notification,
    Recommendation,
    Role,
    StaffOffice,
)
from zhengxie.core.workflow import InvalidTransition
from zhengxie.supervision import queries, services
from zhengxie.supervision.models import (
    AppraisalScore,
    GroupMember,
    LetterState,
    SupervisionGroup,
    SupervisionLetter,
    SupervisionTopic,
)

ANSWERED = datetime.date(2026, 5, 20)
CHECKED = datetime.date(2026, 9, 1)


# Groups ----------------------------------------------------------------------------------------


def test_staff_delegate_a_group_to_a_unit_with_its_leader_first(group, members, units):
    rows = list(
        GroupMember.objects.filter(group=group).values_list("membership__person__name", "role")
    )
    assert rows == [("李明", "leader"), ("王芳", "member"), ("赵强", "member")]
    assert (group.year, group.name, group.unit, str(group)) == (
        YEAR,
        "第一民主监督小组",
        units[0][1],
        "2026年第一民主监督小组",
    )
    assert AuditEntry.objects.filter(object_type="supervision.SupervisionGroup").count() == 1


def test_a_second_group_for_the_same_unit_and_year_is_refused_in_chinese(make_group, group):
    with pytest.raises(ValidationError) as error:
        make_group(name="第二民主监督小组")
    assert error.value.message_dict == {
        "unit": ["2026年已有民主监督小组对口监督县教育局,同一单位每年只设一个小组。"]
    }
    assert SupervisionGroup.objects.count() == 1
    assert GroupMember.objects.count() == 3


def test_the_same_unit_may_have_a_group_next_year(make_group, group):
    assert make_group(year=YEAR + 1).year == 2027


def test_a_member_listed_twice_is_refused(make_group, members):
    with pytest.raises(ValidationError) as error:
        make_group(others=[members[0][1]])
    assert error.value.message_dict == {"members": ["小组成员不能重复,组长不必再列为成员。"]}
    assert SupervisionGroup.objects.count() == 0


def test_a_group_without_a_leader_or_name_is_refused(county, staff, units):
    with pytest.raises(ValidationError) as error:
        services.group_create(
            actor=staff,
            committee=county.committee,
            data={"year": YEAR, "name": " ", "unit": units[0][1]},
            leader=None,
        )
    assert error.value.message_dict == {"name": ["请填写小组名称。"], "leader": ["请选择组长。"]}


def test_a_member_cannot_create_groups(county, members, units):
    with pytest.raises(PermissionDenied):
        services.group_create(
            actor=members[0][0],
            committee=county.committee,
            data={"year": YEAR, "name": "第一组", "unit": units[0][1]},
            leader=members[0][1],
        )
    assert SupervisionGroup.objects.count() == 0


@pytest.mark.parametrize("role", [Role.CHAIR, Role.LEADER, Role.UNIT])
def test_chairs_leaders_and_units_cannot_create_groups(county, members, units, role):
    with pytest.raises(PermissionDenied):
        services.group_create(
            actor=user_with_role(county.committee, role),
            committee=county.committee,
            data={"year": YEAR, "name": "第一组", "unit": units[0][1]},
            leader=members[0][1],
        )


def test_editing_a_group_replaces_its_members(group, staff, members, units):
    services.group_update(
        actor=staff,
        group=group,
        data={"year": YEAR, "name": "第一民主监督小组", "unit": units[1][1], "note": "调整"},
        leader=members[2][1],
        members=[members[0][1]],
    )
    group.refresh_from_db()
    assert group.unit == units[1][1]
    assert list(
        GroupMember.objects.filter(group=group).values_list("membership__person__name", "role")
    ) == [("赵强", "leader"), ("李明", "member")]


def test_members_see_only_the_groups_they_are_in(make_group, members, units, chair, leader):
    mine = make_group()
    others = make_group(unit=units[1][1], name="第二组", leader=members[1][1], others=[])
    assert list(queries.visible_groups(members[0][0])) == [mine]
    assert set(queries.visible_groups(members[1][0])) == {mine, others}
    assert set(queries.visible_groups(chair)) == {mine, others}
    assert set(queries.visible_groups(leader)) == {mine, others}
    assert list(queries.visible_groups(units[0][0])) == []


# Letters ---------------------------------------------------------------------------------------


def test_a_letter_starts_as_a_draft_with_its_recommendations_addressed_to_the_unit(letter, units):
    assert letter.state == LetterState.DRAFT
    recs = list(
        Recommendation.objects.filter(
            source_type=ContentType.objects.get_for_model(SupervisionLetter), source_id=letter.pk
        ).values_list("position", "text", "addressee", "addressee_unit")
    )
    assert recs == [
        (1, "完善校园安保制度", "县教育局", units[0][1].pk),
        (2, "加强校车管理", "县教育局", units[0][1].pk),
    ]
    assert list(letter.history.values_list("action", "to_state")) == [("create", "draft")]


def test_a_letter_without_title_or_text_is_refused(group, staff):
    with pytest.raises(ValidationError) as error:
        services.letter_create(actor=staff, group=group, data={"title": "", "text": ""})
    assert error.value.message_dict == {
        "title": ["请填写建议书标题。"],
        "text": ["请填写建议书正文。"],
    }
    assert SupervisionLetter.objects.count() == 0


def test_sending_writes_one_ledger_row_per_group_member_and_tells_the_unit(
    letter, staff, units, county, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.letter_send(actor=staff, letter=letter, sent_on=SENT)
    assert (sent.state, sent.sent_on) == (LetterState.SENT, SENT)
    rows = list(
        DutyRecord.objects.filter(kind="supervision")
        .order_by("order")
        .values_list(
            "membership__person__name", "title", "occurred_on", "role", "order", "participants"
        )
    )
    title = "关于加强校园安全管理的民主监督建议书"
    assert rows == [
        ("李明", title, SENT, "lead", 1, 3),
        ("王芳", title, SENT, "participant", 2, 3),
        ("赵强", title, SENT, "participant", 3, 3),
    ]
    assert list(
        Notification.objects.filter(kind="supervision").values_list("recipient", "title")
    ) == [(units[0][0].pk, f"收到民主监督建议书:{title}")]
    assert list(sent.history.values_list("from_state", "action", "to_state")) == [
        ("", "create", "draft"),
        ("draft", "send", "sent"),
    ]


def test_sending_twice_is_an_invalid_transition_and_writes_no_second_ledger_rows(letter, staff):
    services.letter_send(actor=staff, letter=letter, sent_on=SENT)
    with pytest.raises(InvalidTransition):
        services.letter_send(actor=staff, letter=letter, sent_on=SENT)
    assert DutyRecord.objects.filter(kind="supervision").count() == 3


def test_two_staff_sending_the_same_stale_letter_one_succeeds(letter, staff, county):
    """The second staff member acts on the letter as loaded before the first sent it."""
    other = county.other_staff
    first_copy = SupervisionLetter.objects.get(pk=letter.pk)
    second_copy = SupervisionLetter.objects.get(pk=letter.pk)
    services.letter_send(actor=staff, letter=first_copy, sent_on=SENT)
    with pytest.raises(InvalidTransition) as error:
        services.letter_send(actor=other, letter=second_copy, sent_on=SENT)
    assert "可能已被他人处理" in str(error.value)
    assert DutyRecord.objects.filter(kind="supervision").count() == 3
    assert letter.history.filter(action="send").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_staff_sending_at_once_only_one_succeeds(committee):
    """Real concurrency needs row locks: PostgreSQL only (SQLite is covered above)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    from tests.county import County

    with scope(committee=committee):
        county = County(committee)
        group = services.group_create(
            actor=county.staff,
            committee=committee,
            data={"year": YEAR, "name": "第一组", "unit": county.units[0][1]},
            leader=county.members[0][1],
        )
        letter = services.letter_create(
            actor=county.staff, group=group, data={"title": "建议书", "text": "正文"}
        )
    barrier = threading.Barrier(2)
    outcomes = []

    def send(actor):
        try:
            with scope(committee=committee):
                barrier.wait()
                services.letter_send(actor=actor, letter=letter, sent_on=SENT)
            outcomes.append("sent")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(a,)) for a in (county.staff, county.other_staff)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["refused", "sent"]
    with scopes_disabled():
        assert DutyRecord.objects.filter(kind="supervision").count() == 1


def test_a_draft_cannot_be_answered_or_rechecked(letter, staff, units):
    with pytest.raises(PermissionDenied):  # the unit does not even see a draft
        services.letter_answer(actor=units[0][0], letter=letter, text="已整改")
    with pytest.raises(InvalidTransition):
        services.letter_answer(actor=staff, letter=letter, text="已整改")
    with pytest.raises(InvalidTransition):
        services.letter_recheck(
            actor=staff,
            letter=letter,
            data={
                "checked_on": CHECKED,
                "participants": "李明",
                "findings": "x",
                "rating": "implemented",
            },
        )
    letter.refresh_from_db()
    assert letter.state == LetterState.DRAFT


def test_the_unit_answers_its_own_letter_and_staff_are_told(
    letter, staff, units, county, django_capture_on_commit_callbacks
):
    services.letter_send(actor=staff, letter=letter, sent_on=SENT)
    with django_capture_on_commit_callbacks(execute=True):
        answered = services.letter_answer(
            actor=units[0][0], letter=letter, text="已制定整改方案", answered_on=ANSWERED
        )
    assert (answered.state, answered.answer, answered.answered_on) == (
        LetterState.ANSWERED,
        "已制定整改方案",
        ANSWERED,
    )
    told = set(
        Notification.objects.filter(title__startswith="民主监督建议书已答复").values_list(
            "recipient", flat=True
        )
    )
    assert told == {county.staff.pk, county.other_staff.pk}


def test_another_unit_cannot_answer_the_letter(letter, staff, units):
    services.letter_send(actor=staff, letter=letter, sent_on=SENT)
    with pytest.raises(PermissionDenied):
        services.letter_answer(actor=units[1][0], letter=letter, text="代为答复")
    assert list(queries.visible_letters(units[1][0])) == []
    assert list(queries.visible_letters(units[0][0])) == [letter]
    letter.refresh_from_db()
    assert letter.state == LetterState.SENT


def test_an_empty_answer_is_refused(letter, staff, units):
    services.letter_send(actor=staff, letter=letter, sent_on=SENT)
    with pytest.raises(ValidationError) as error:
        services.letter_answer(actor=units[0][0], letter=letter, text="  ")
    assert error.value.message_dict == {"text": ["请填写答复内容。"]}


def test_the_unit_answers_each_recommendation_through_the_followup(letter, staff, units):
    from zhengxie.core.followup import recommendation_act

    services.letter_send(actor=staff, letter=letter, sent_on=SENT)
    rec = Recommendation.objects.filter(source_id=letter.pk).order_by("position").first()
    answered = recommendation_act(
        recommendation=rec, action="answer", actor=units[0][0], text="已完善制度"
    )
    assert (answered.state, answered.answer) == ("answered", "已完善制度")
    with pytest.raises(PermissionDenied):
        recommendation_act(
            recommendation=Recommendation.objects.filter(source_id=letter.pk).last(),
            action="answer",
            actor=units[1][0],
            text="x",
        )


def test_a_recheck_with_the_inspection_office_closes_the_letter(letter, staff, units):
    services.letter_send(actor=staff, letter=letter, sent_on=SENT)
    services.letter_answer(actor=units[0][0], letter=letter, text="已整改", answered_on=ANSWERED)
    recheck = services.letter_recheck(
        actor=staff,
        letter=letter,
        data={
            "checked_on": CHECKED,
            "participants": "李明、王芳,县政府督查室",
            "with_inspection_office": True,
            "findings": "整改基本到位",
            "rating": "mostly",
        },
    )
    letter.refresh_from_db()
    assert letter.state == LetterState.RECHECKED
    assert (recheck.rating, recheck.get_rating_display(), recheck.with_inspection_office) == (
        "mostly",
        "基本落实",
        True,
    )
    assert list(letter.history.values_list("action", flat=True)) == [
        "create",
        "send",
        "answer",
        "recheck",
    ]


def test_a_recheck_needs_its_facts(letter, staff, units):
    services.letter_send(actor=staff, letter=letter, sent_on=SENT)
    services.letter_answer(actor=units[0][0], letter=letter, text="已整改", answered_on=ANSWERED)
    with pytest.raises(ValidationError) as error:
        services.letter_recheck(actor=staff, letter=letter, data={"rating": "great"})
    assert error.value.message_dict == {
        "checked_on": ["请填写回头看日期。"],
        "participants": ["请填写参加人员。"],
        "findings": ["请填写检查情况。"],
        "rating": ["请选择落实评价。"],
    }
    letter.refresh_from_db()
    assert letter.state == LetterState.ANSWERED


def test_a_member_of_the_group_cannot_send_the_letter(letter, members):
    with pytest.raises(PermissionDenied):
        services.letter_send(actor=members[0][0], letter=letter, sent_on=SENT)


# Topics and joint supervision -----------------------------------------------------------------


@pytest.fixture
def city(committee):
    parent = CommitteeFactory(level="city")
    committee.parent = parent
    committee.save(update_fields=["parent"])
    return parent


def test_a_joint_topic_is_seen_by_the_city_which_adds_its_own_groups(
    county, staff, make_group, city
):
    topic = services.topic_create(
        actor=staff,
        committee=county.committee,
        data={"title": "城乡生活垃圾分类专项民主监督", "starts_year": 2025, "ends_year": 2027},
    )
    county_group = make_group(topic=topic)
    with scope(committee=city):
        city_staff = user_with_role(city, Role.STAFF, office=StaffOffice.GENERAL)
        assert list(SupervisionTopic.objects.all()) == []
    services.topic_share(actor=staff, topic=topic, committee=city)
    with scope(committee=city):
        assert list(SupervisionTopic.objects.all()) == [topic]
        city_unit = HandlingUnitFactory(committee=city, name="市生态环境局")
        from tests.factories import MembershipFactory

        city_member = MembershipFactory(committee=city)
        city_group = services.group_create(
            actor=city_staff,
            committee=city,
            data={"year": 2026, "name": "市专项监督组", "unit": city_unit, "topic": topic},
            leader=city_member,
        )
        assert list(SupervisionGroup.objects.filter(topic=topic)) == [city_group]
        with pytest.raises(PermissionDenied):
            services.topic_update(
                actor=city_staff, topic=topic, data={"title": "改名", "starts_year": 2025}
            )
    assert list(SupervisionGroup.objects.filter(topic=topic)) == [county_group]


def test_a_topic_of_another_committee_not_shared_cannot_hold_a_group(county, make_group):
    stranger = CommitteeFactory()
    with scopes_disabled():
        topic = SupervisionTopic.objects.create(committee=stranger, title="x", starts_year=2026)
    with pytest.raises(ValidationError) as error:
        make_group(topic=topic)
    assert error.value.message_dict == {"topic": ["监督专题无效。"]}


def test_a_topic_cannot_end_before_it_starts(county, staff):
    with pytest.raises(ValidationError) as error:
        services.topic_create(
            actor=staff,
            committee=county.committee,
            data={"title": "专题", "starts_year": 2026, "ends_year": 2025},
        )
    assert error.value.message_dict == {"ends_year": ["结束年度不能早于开始年度。"]}


def test_sharing_with_the_own_committee_is_refused(county, staff):
    topic = services.topic_create(
        actor=staff, committee=county.committee, data={"title": "专题", "starts_year": 2026}
    )
    with pytest.raises(ValidationError) as error:
        services.topic_share(actor=staff, topic=topic, committee=county.committee)
    assert error.value.messages == ["不能共享给本委员会。"]


# Appraisal -----------------------------------------------------------------------------------


@pytest.fixture
def appraisal(county, staff):
    return services.appraisal_create(
        actor=staff,
        committee=county.committee,
        data={"year": YEAR, "title": "2026年度部门民主评议", "method": "委员测评"},
    )


def test_scores_are_entered_for_many_units_at_once_with_grades_from_the_thresholds(
    appraisal, staff, units
):
    services.appraisal_set_scores(
        actor=staff,
        appraisal=appraisal,
        rows=[
            {"unit": units[0][1], "score": "92.5", "comments": "群众满意"},
            {"unit": units[1][1], "score": "80"},
            {"unit": units[2][1], "score": "59.99", "grade": ""},
        ],
    )
    assert list(
        AppraisalScore.objects.order_by("-score").values_list("unit__name", "score", "grade")
    ) == [
        ("县教育局", Decimal("92.50"), "excellent"),
        ("县财政局", Decimal("80.00"), "good"),
        ("县交通运输局", Decimal("59.99"), "poor"),
    ]
    assert [(s.rank, s.unit.name) for s in queries.ranking(appraisal)] == [
        (1, "县教育局"),
        (2, "县财政局"),
        (3, "县交通运输局"),
    ]


def test_an_entered_grade_wins_and_the_thresholds_are_the_committees(
    appraisal, staff, units, county
):
    from tests.factories import user_with_role as make

    admin = make(county.committee, Role.ADMIN)
    set_setting(
        committee=county.committee,
        key="appraisal_grade_thresholds",
        value={"excellent": 95, "good": 85, "fair": 70},
        actor=admin,
    )
    services.appraisal_set_scores(
        actor=staff,
        appraisal=appraisal,
        rows=[
            {"unit": units[0][1], "score": "92.5"},
            {"unit": units[1][1], "score": "80", "grade": "excellent"},
        ],
    )
    assert dict(AppraisalScore.objects.values_list("unit__name", "grade")) == {
        "县教育局": "good",
        "县财政局": "excellent",
    }


def test_a_score_out_of_range_refuses_the_whole_form(appraisal, staff, units):
    with pytest.raises(ValidationError) as error:
        services.appraisal_set_scores(
            actor=staff,
            appraisal=appraisal,
            rows=[
                {"unit": units[0][1], "score": "90"},
                {"unit": units[1][1], "score": "101"},
                {"unit": units[2][1], "score": "abc"},
            ],
        )
    assert error.value.messages == ["县财政局:得分须在0到100之间。", "县交通运输局:得分须为数字。"]
    assert AppraisalScore.objects.count() == 0


def test_clearing_a_score_removes_it_and_ties_share_a_rank(appraisal, staff, units):
    services.appraisal_set_scores(
        actor=staff,
        appraisal=appraisal,
        rows=[{"unit": u, "score": "88"} for _user, u in units],
    )
    services.appraisal_set_scores(
        actor=staff,
        appraisal=appraisal,
        rows=[{"unit": units[0][1], "score": ""}, {"unit": units[1][1], "score": "90"}],
    )
    assert [(s.rank, s.unit.name, s.score) for s in queries.ranking(appraisal)] == [
        (1, "县财政局", Decimal("90.00")),
        (2, "县交通运输局", Decimal("88.00")),
    ]


def test_wrong_thresholds_are_refused_in_chinese(county):
    from tests.factories import user_with_role as make

    admin = make(county.committee, Role.ADMIN)
    with pytest.raises(ValidationError) as error:
        set_setting(
            committee=county.committee,
            key="appraisal_grade_thresholds",
            value={"excellent": 80, "good": 85, "fair": 70},
            actor=admin,
        )
    assert "最低分须按优秀、良好、一般依次降低。" in " ".join(error.value.messages)


def test_members_cannot_enter_scores(appraisal, members, units):
    with pytest.raises(PermissionDenied):
        services.appraisal_set_scores(
            actor=members[0][0], appraisal=appraisal, rows=[{"unit": units[0][1], "score": "90"}]
        )


def test_no_recommendation_is_added_to_a_sent_letter(letter, staff):
    services.letter_send(actor=staff, letter=letter, sent_on=SENT)
    with pytest.raises(ValidationError) as error:
        services.letter_add_recommendation(actor=staff, letter=letter, text="再加一条")
    assert error.value.messages == ["已送达的建议书不能再增加建议。"]
    assert Recommendation.objects.filter(source_id=letter.pk).count() == 2
