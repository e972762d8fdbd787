import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests.factories import HandlingUnitFactory, TermFactory
from zhengxie.core import followup
from zhengxie.core.models import (
    AuditEntry,
    Instruction,
    Recommendation,
    RecommendationHistory,
    RecommendationState,
    Role,
)
from zhengxie.core.scoping import scope
from zhengxie.core.workflow import InvalidTransition

GIVEN_ON = datetime.date(2026, 5, 8)


def add_recommendation(source, actor, **extra):
    values = {"text": "完善农村饮水工程管护机制", "aspect": "民生", "addressee": "县水利局"}
    values.update(extra)
    return followup.recommendation_add(source=source, actor=actor, **values)


def test_staff_record_a_leader_instruction_on_a_record(committee_scope, term, staff_user):
    instruction = followup.instruction_add(
        target=term,
        leader_name="王某某",
        leader_title="县委书记",
        level="county",
        given_on=GIVEN_ON,
        text="请县水利局认真研究办理。",
        actor=staff_user,
    )
    assert (instruction.committee_id, instruction.target, instruction.created_by_id) == (
        committee_scope.pk,
        term,
        staff_user.pk,
    )
    assert AuditEntry.objects.filter(object_type="core.Instruction", action="create").count() == 1


def test_an_instruction_needs_its_fields_and_a_past_date(committee_scope, term, staff_user):
    with pytest.raises(ValidationError) as exc:
        followup.instruction_add(
            target=term,
            leader_name="",
            leader_title="县长",
            level="village",
            given_on=datetime.date.today() + datetime.timedelta(days=2),
            text="",
            actor=staff_user,
        )
    assert exc.value.message_dict == {
        "leader_name": ["请填写批示领导。"],
        "level": ["请选择有效的级别。"],
        "given_on": ["批示日期不能晚于今天。"],
        "text": ["请填写批示内容。"],
    }
    assert Instruction.objects.count() == 0


def test_a_member_may_not_record_an_instruction(committee_scope, term, make_user):
    member = make_user(committee_scope, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        followup.instruction_add(
            target=term,
            leader_name="王某某",
            leader_title="县长",
            level="county",
            given_on=GIVEN_ON,
            text="阅。",
            actor=member,
        )
    assert Instruction.objects.count() == 0


def test_recommendations_are_numbered_per_source(committee_scope, term, staff_user):
    first = add_recommendation(term, staff_user)
    second = add_recommendation(term, staff_user, text="建立水质定期检测制度")
    other = add_recommendation(TermFactory(committee=committee_scope, number=11), staff_user)
    assert (first.position, second.position, other.position) == (1, 2, 1)
    assert first.state == RecommendationState.OPEN


def test_a_recommendation_goes_from_open_to_implemented(committee_scope, term, staff_user):
    rec = add_recommendation(term, staff_user)
    rec = followup.recommendation_act(
        recommendation=rec, action="answer", actor=staff_user, text="已列入年度计划"
    )
    rec = followup.recommendation_act(recommendation=rec, action="adopt", actor=staff_user)
    rec = followup.recommendation_act(
        recommendation=rec, action="implement", actor=staff_user, text="已完成12个村改造"
    )
    rec.refresh_from_db()
    assert (rec.state, rec.answer, rec.evidence) == (
        RecommendationState.IMPLEMENTED,
        "已列入年度计划",
        "已完成12个村改造",
    )
    history = list(
        RecommendationHistory.objects.filter(subject=rec).values_list(
            "from_state", "action", "to_state"
        )
    )
    assert history == [
        ("open", "answer", "answered"),
        ("answered", "adopt", "adopted"),
        ("adopted", "implement", "implemented"),
    ]


def test_an_answer_needs_text(committee_scope, term, staff_user):
    rec = add_recommendation(term, staff_user)
    with pytest.raises(ValidationError) as exc:
        followup.recommendation_act(recommendation=rec, action="answer", actor=staff_user)
    assert exc.value.message_dict == {"text": ["请填写答复内容。"]}
    rec.refresh_from_db()
    assert rec.state == RecommendationState.OPEN


def test_an_open_recommendation_cannot_be_adopted(committee_scope, term, staff_user):
    rec = add_recommendation(term, staff_user)
    with pytest.raises(InvalidTransition):
        followup.recommendation_act(recommendation=rec, action="adopt", actor=staff_user)
    assert RecommendationHistory.objects.count() == 0


def test_the_second_identical_answer_fails(committee_scope, term, staff_user, make_user):
    rec = add_recommendation(term, staff_user)
    stale = Recommendation.objects.get(pk=rec.pk)
    followup.recommendation_act(recommendation=rec, action="answer", actor=staff_user, text="一")
    with pytest.raises(InvalidTransition):
        followup.recommendation_act(
            recommendation=stale, action="answer", actor=staff_user, text="二"
        )
    rec.refresh_from_db()
    assert (rec.answer, RecommendationHistory.objects.count()) == ("一", 1)


def test_a_unit_answers_only_what_was_sent_to_it(committee_scope, term, staff_user, make_user):
    unit = HandlingUnitFactory(committee=committee_scope)
    mine = add_recommendation(term, staff_user, addressee="", addressee_unit=unit)
    theirs = add_recommendation(term, staff_user)
    unit_user = make_user(committee_scope, Role.UNIT, handling_unit=unit)
    assert mine.addressee == unit.name
    with pytest.raises(PermissionDenied):
        followup.recommendation_act(
            recommendation=theirs, action="answer", actor=unit_user, text="答复"
        )
    answered = followup.recommendation_act(
        recommendation=mine, action="answer", actor=unit_user, text="答复"
    )
    assert answered.state == RecommendationState.ANSWERED
    with pytest.raises(PermissionDenied):
        followup.recommendation_act(recommendation=answered, action="adopt", actor=unit_user)


def test_the_include_lists_instructions_and_recommendations_with_actions(
    committee_scope, term, staff_user
):
    followup.instruction_add(
        target=term,
        leader_name="王某某",
        leader_title="县委书记",
        level="county",
        given_on=GIVEN_ON,
        text="请认真研究。",
        actor=staff_user,
    )
    add_recommendation(term, staff_user)
    request = RequestFactory().get("/")
    request.user = staff_user
    data = followup.followup_for(term, staff_user)
    assert [t.action for t in data["recommendations"][0].actions] == ["answer"]
    html = render_to_string("core/includes/followup.html", {"followup": data, "request": request})
    assert "王某某(县委书记)" in html.replace("（", "(").replace("）", ")")
    assert "完善农村饮水工程管护机制" in html
    assert "登记答复" in html
    assert "1 条待落实" in html


def test_staff_answer_on_the_page_with_htmx(login, staff_user, committee, term):
    with scope(committee=committee):
        rec = add_recommendation(term, staff_user)
    response = login(staff_user).post(
        reverse("core:recommendation_act", args=[rec.pk]),
        {"action": "answer", "text": "已研究"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "已答复" in response.content.decode()
    with scope(committee=committee):
        rec.refresh_from_db()
    assert (rec.state, rec.answer) == (RecommendationState.ANSWERED, "已研究")


def test_an_illegal_action_on_the_page_shows_an_error_and_changes_nothing(
    login, staff_user, committee, term
):
    with scope(committee=committee):
        rec = add_recommendation(term, staff_user)
    response = login(staff_user).post(
        reverse("core:recommendation_act", args=[rec.pk]),
        {"action": "implement", "text": "x"},
        HTTP_HX_REQUEST="true",
    )
    assert "当前状态“待答复”下不能执行此操作" in response.content.decode()
    with scope(committee=committee):
        rec.refresh_from_db()
    assert rec.state == RecommendationState.OPEN


def test_staff_add_an_instruction_on_the_page(login, staff_user, committee, term):
    response = login(staff_user).post(
        reverse("core:instruction_add"),
        {
            "target": f"organisation.term:{term.pk}",
            "leader_name": "李某",
            "leader_title": "县长",
            "level": "county",
            "given_on": "2026-05-08",
            "text": "同意。",
            "next": "/somewhere/",
        },
    )
    assert (response.status_code, response["Location"]) == (302, "/somewhere/")
    with scope(committee=committee):
        assert list(Instruction.objects.values_list("leader_name", "target_id")) == [
            ("李某", term.pk)
        ]


def test_another_committees_record_answers_404(login, staff_user, other_committee):
    other_term = TermFactory(committee=other_committee)
    response = login(staff_user).post(
        reverse("core:recommendation_add"),
        {"target": f"organisation.term:{other_term.pk}", "text": "x", "addressee": "y"},
    )
    assert response.status_code == 404
    with scope(committee=other_committee):
        rec = add_recommendation(other_term, _staff_of(other_committee))
    response = login(staff_user).post(
        reverse("core:recommendation_act", args=[rec.pk]), {"action": "answer", "text": "x"}
    )
    assert response.status_code == 404


def _staff_of(committee):
    from tests.factories import user_with_role

    return user_with_role(committee, Role.STAFF)
