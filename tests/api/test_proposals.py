import datetime

import pytest

from tests.factories import (
    AssignmentFactory,
    CommitteeFactory,
    ProposalFactory,
    ReplyFactory,
    user_with_role,
)
from zhengxie.core.models import Role
from zhengxie.proposals.models import (
    Assignment,
    AssignmentRole,
    AssignmentState,
    CoSigner,
    Proposal,
    ProposalHistory,
    ProposalState,
    SignatureState,
)

MISSING_ID = 987654
NOT_FOUND = {"detail": "对象不存在。"}
CONTENT = {
    "title": "关于推进城乡义务教育优质均衡发展的建议",
    "situation": "我县城区学校大班额问题突出,农村学校生源流失。",
    "suggestions": "一是优化学校布局;二是推进集团化办学;三是加强乡村教师队伍建设。",
}


def post(client, path, body=None):
    return client.post(f"/api/v1{path}", body if body is not None else {}, "application/json")


def actions(body):
    return [(a["action"], a["label"]) for a in body["available_actions"]]


def assignment_of(body, unit):
    return next(a for a in body["assignments"] if a["unit"]["id"] == unit.pk)


def history_rows(proposal_id):
    return ProposalHistory.objects.filter(subject_id=proposal_id).count()


def registered_single(county, unit_index=0, **extra):
    """A registered proposal of the first member, assigned to one unit (built directly)."""
    _user, lead = county.members[0]
    extra.setdefault("number", 7)
    proposal = ProposalFactory(
        committee=county.committee,
        session=county.session,
        lead=lead,
        state=ProposalState.ASSIGNED,
        **extra,
    )
    today = datetime.date.today()
    assignment = AssignmentFactory(
        proposal=proposal,
        unit=county.units[unit_index][1],
        role=AssignmentRole.SINGLE,
        assigned_on=today,
        deadline=today + datetime.timedelta(days=90),
    )
    return proposal, assignment


# --- the whole lifecycle ------------------------------------------------------------------


def test_a_joint_proposal_goes_from_submission_to_closed_over_the_api(api_client, county):
    (lead_user, _lead), (co_user, co_member) = county.members[0], county.members[1]
    (main_user, main_unit), (co_unit_user, co_unit) = county.units[0], county.units[1]
    lead, cosigner, staff = api_client(lead_user), api_client(co_user), api_client(county.staff)
    main, co_unit_client = api_client(main_user), api_client(co_unit_user)

    r = post(
        lead,
        "/proposals",
        {
            **CONTENT,
            "category_id": county.category.pk,
            "cosigner_ids": [co_member.pk],
            "suggested_unit_ids": [main_unit.pk],
        },
    )
    assert r.status_code == 201
    body = r.json()
    pid = body["id"]
    assert (body["state"], body["submitter_type"], body["proposer"]) == (
        "collecting_signatures",
        "joint",
        "李明",
    )
    assert body["category"] == {"id": county.category.pk, "name": "教育"}
    assert body["suggested_units"] == [{"id": main_unit.pk, "name": "县教育局"}]
    assert [(c["name"], c["state"]) for c in body["cosigners"]] == [("王芳", "invited")]
    assert actions(body) == [("submit", "结束联名并提交"), ("withdraw", "撤回")]

    # The co-signer confirms; only the lead may end the collection.
    seen_by_cosigner = cosigner.get(f"/api/v1/proposals/{pid}").json()
    assert actions(seen_by_cosigner) == []
    r = post(cosigner, f"/cosignatures/{body['cosigners'][0]['id']}", {"confirm": True})
    assert r.status_code == 200
    assert [(c["name"], c["state"]) for c in r.json()["cosigners"]] == [("王芳", "confirmed")]
    body = post(lead, f"/proposals/{pid}/actions/submit").json()
    assert (body["state"], body["is_plenary"]) == ("submitted", True)
    assert actions(body) == [("withdraw", "撤回")]

    # Staff register and assign it jointly.
    assert actions(staff.get(f"/api/v1/proposals/{pid}").json()) == [
        ("start_review", "开始审查"),
        ("register", "立案"),
        ("not_register", "不予立案"),
        ("to_opinion_letter", "转意见建议"),
        ("to_public_opinion", "转社情民意"),
        ("merge", "并案"),
    ]
    body = post(staff, f"/proposals/{pid}/actions/register", {}).json()
    assert (body["state"], body["number_label"]) == ("registered", "十届五次会议第001号")
    assert actions(body) == [("assign", "交办")]
    body = post(
        staff,
        f"/proposals/{pid}/actions/assign",
        {"mode": "joint", "unit_ids": [main_unit.pk, co_unit.pk], "main_unit_id": main_unit.pk},
    ).json()
    assert body["state"] == "assigned"
    assert [(a["unit"]["name"], a["role"], a["state"]) for a in body["assignments"]] == [
        ("县财政局", "co", "pending"),
        ("县教育局", "main", "pending"),
    ]
    main_id = assignment_of(body, main_unit)["id"]
    co_id = assignment_of(body, co_unit)["id"]

    # Each unit is offered the actions on its own assignment only.
    seen_by_co_unit = co_unit_client.get(f"/api/v1/proposals/{pid}").json()
    assert actions(assignment_of(seen_by_co_unit, co_unit)) == [
        ("accept", "签收"),
        ("request_return", "申请退回"),
    ]
    assert actions(assignment_of(seen_by_co_unit, main_unit)) == []
    assert actions(seen_by_co_unit) == []
    post(co_unit_client, f"/assignments/{co_id}/actions/accept")
    body = post(
        co_unit_client, f"/assignments/{co_id}/actions/send_view", {"text": "财政将给予支持"}
    ).json()
    assert assignment_of(body, co_unit)["state"] == "done"

    # The main unit handles it; the first answer does not satisfy the proposer.
    today = datetime.date.today().isoformat()
    post(main, f"/assignments/{main_id}/actions/accept")
    contact = {"way": "phone", "contact_on": today, "summary": "电话沟通办理思路"}
    post(main, f"/assignments/{main_id}/actions/contact", contact)
    body = post(
        main,
        f"/assignments/{main_id}/actions/reply",
        {"text": "已列入明年计划", "category": "B"},
    ).json()
    assert (body["state"], assignment_of(body, main_unit)["state"]) == ("replied", "replied")
    assert actions(assignment_of(lead.get(f"/api/v1/proposals/{pid}").json(), main_unit)) == [
        ("rate", "评价")
    ]
    body = post(
        lead,
        f"/assignments/{main_id}/actions/rate",
        {"attitude": "satisfied", "result": "unsatisfied", "comment": "措施不够具体"},
    ).json()
    handled = assignment_of(body, main_unit)
    assert (body["state"], handled["state"], handled["round"]) == ("assigned", "rehandling", 2)

    # Second round: satisfied, so the proposal closes by itself.
    post(main, f"/assignments/{main_id}/actions/contact", {**contact, "way": "meeting"})
    post(main, f"/assignments/{main_id}/actions/reply", {"text": "已落实经费", "category": "A"})
    body = post(
        lead,
        f"/assignments/{main_id}/actions/rate",
        {"attitude": "satisfied", "result": "satisfied"},
    ).json()
    handled = assignment_of(body, main_unit)
    assert (body["state"], handled["state"]) == ("closed", "done")
    assert [
        (r["round"], r["text"], r["final_category"], r["rating"]["result"])
        for r in handled["replies"]
    ] == [(1, "已列入明年计划", "B", "unsatisfied"), (2, "已落实经费", "A", "satisfied")]
    assert [(h["action"], h["from_state"], h["to_state"]) for h in body["history"]] == [
        ("collect_signatures", "draft", "collecting_signatures"),
        ("cosign_confirmed", "collecting_signatures", "collecting_signatures"),
        ("submit", "collecting_signatures", "submitted"),
        ("register", "submitted", "registered"),
        ("assign", "registered", "assigned"),
        ("mark_replied", "assigned", "replied"),
        ("reopen", "replied", "assigned"),
        ("mark_replied", "assigned", "replied"),
        ("finish", "replied", "closed"),
    ]
    assert body["history"][3]["actor"] == str(county.staff)
    assert actions(body) == []


# --- who sees what ------------------------------------------------------------------------


def test_a_unit_cannot_see_or_act_on_another_units_case(api_client, county):
    proposal, assignment = registered_single(county, unit_index=0)
    other_unit = api_client(county.units[2][0])
    for path in (f"/api/v1/proposals/{proposal.pk}", f"/api/v1/proposals/{MISSING_ID}"):
        r = other_unit.get(path)
        assert (r.status_code, r.json()) == (404, NOT_FOUND)
    r = post(other_unit, f"/assignments/{assignment.pk}/actions/accept")
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert other_unit.get("/api/v1/proposals").json() == {"count": 0, "items": []}
    own = api_client(county.units[0][0]).get(f"/api/v1/proposals/{proposal.pk}")
    assert own.json()["id"] == proposal.pk
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.PENDING


def test_another_committees_proposal_answers_like_a_missing_one(api_client, county):
    proposal, assignment = registered_single(county)
    outsider = api_client(user_with_role(CommitteeFactory(), Role.STAFF))
    r = outsider.get(f"/api/v1/proposals/{proposal.pk}")
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    r = post(outsider, f"/proposals/{proposal.pk}/actions/close", {"note": "x"})
    assert (r.status_code, r.json()) == (404, NOT_FOUND)


def test_a_private_reply_is_read_only_by_staff_the_proposer_and_the_unit(api_client, county):
    proposal, assignment = registered_single(county)
    ReplyFactory(assignment=assignment, text="涉及内部安排的答复", is_public=False)
    readers = [county.members[0][0], county.staff, county.units[0][0]]
    for user in readers:
        body = api_client(user).get(f"/api/v1/proposals/{proposal.pk}").json()
        assert body["assignments"][0]["replies"][0]["text"] == "涉及内部安排的答复"
    other_member = api_client(county.members[2][0])
    reply = other_member.get(f"/api/v1/proposals/{proposal.pk}").json()["assignments"][0]
    assert (reply["replies"][0]["text"], reply["replies"][0]["is_public"]) == (None, False)


def test_the_list_filters_and_pages_without_extra_queries(
    api_client, county, django_assert_max_num_queries
):
    for n in range(3):
        registered_single(county, number=n + 1, key_state="decided" if n == 0 else "")
    ProposalFactory(committee=county.committee, session=county.session, state="under_review")
    client = api_client(county.staff)
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/proposals", {"state": "assigned", "limit": 2}).json()
    assert body["count"] == 3
    assert [i["number_label"] for i in body["items"]] == [
        "十届五次会议第003号",
        "十届五次会议第002号",
    ]
    assert body["items"][0]["proposer"] == "李明"
    key = client.get("/api/v1/proposals", {"key": "true"}).json()
    assert [i["number"] for i in key["items"]] == [1]
    review = client.get("/api/v1/proposals", {"view": "review"}).json()
    assert [i["state"] for i in review["items"]] == ["under_review"]
    r = client.get("/api/v1/proposals", {"view": "everything"})
    assert (r.status_code, r.json()["errors"][0]["msg"]) == (422, "不是有效的选项。")


# --- submitting ---------------------------------------------------------------------------


def test_staff_enter_a_party_proposal_but_members_may_not(api_client, county):
    body = {**CONTENT, "submitter_type": "party_group", "submitting_body": "民盟县委会"}
    r = post(api_client(county.staff), "/proposals", body)
    assert r.status_code == 201
    assert (r.json()["proposer"], r.json()["state"], r.json()["lead_id"]) == (
        "民盟县委会",
        "submitted",
        None,
    )
    r = post(api_client(county.members[0][0]), "/proposals", body)
    assert (r.status_code, r.json()) == (
        403,
        {"detail": "党派团体、专门委员会和界别提案由提案委员会工作人员录入。"},
    )
    assert Proposal.objects.count() == 1


def test_bad_content_writes_nothing(api_client, county):
    client = api_client(county.members[0][0])
    r = post(client, "/proposals", {**CONTENT, "suggestions": " ", "publish_consent": False})
    assert (r.status_code, r.json()) == (
        400,
        {"detail": "请填写具体建议。不同意公开时请说明理由。"},
    )
    r = post(client, "/proposals", {**CONTENT, "cosigner_ids": [MISSING_ID]})
    assert (r.status_code, r.json()) == (400, {"detail": "联名委员须为本会在任委员。"})
    r = post(client, "/proposals", {"title": "只有案由"})
    assert r.status_code == 422
    assert [(e["loc"][-1], e["msg"]) for e in r.json()["errors"]] == [
        ("situation", "此项为必填项。"),
        ("suggestions", "此项为必填项。"),
    ]
    assert Proposal.objects.count() == 0


# --- failing actions change nothing -------------------------------------------------------


def test_a_bad_assignment_payload_changes_nothing(api_client, county):
    proposal = ProposalFactory(
        committee=county.committee,
        session=county.session,
        lead=county.members[0][1],
        state=ProposalState.REGISTERED,
        number=1,
    )
    staff = api_client(county.staff)
    path = f"/proposals/{proposal.pk}/actions/assign"
    r = post(staff, path, {"mode": "joint", "unit_ids": [county.units[0][1].pk]})
    assert (r.status_code, r.json()) == (400, {"detail": "会办须指定主办单位(且在所选单位之中)。"})
    r = post(staff, path, {"mode": "together", "unit_ids": []})
    assert r.status_code == 422
    assert r.json()["errors"][0]["msg"] == "不是有效的选项。"
    r = post(staff, path, {"mode": "single", "unit_ids": [MISSING_ID]})
    assert (r.status_code, r.json()) == (400, {"detail": "请选择本会在用的承办单位。"})
    proposal.refresh_from_db()
    assert (proposal.state, history_rows(proposal.pk), Assignment.objects.count()) == (
        ProposalState.REGISTERED,
        0,
        0,
    )


def test_a_wrong_state_answers_409_and_changes_nothing(api_client, county):
    proposal, assignment = registered_single(county)
    unit = api_client(county.units[0][0])
    r = post(unit, f"/assignments/{assignment.pk}/actions/reply", {"text": "答复", "category": "A"})
    assert (r.status_code, r.json()) == (409, {"detail": "当前状态“待签收”下不能执行此操作。"})
    r = post(api_client(county.members[0][0]), f"/proposals/{proposal.pk}/actions/submit")
    assert (r.status_code, r.json()) == (409, {"detail": "当前状态“办理中”下不能执行此操作。"})
    assignment.refresh_from_db()
    proposal.refresh_from_db()
    assert (assignment.state, proposal.state, history_rows(proposal.pk)) == (
        AssignmentState.PENDING,
        ProposalState.ASSIGNED,
        0,
    )
    assert assignment.replies.count() == 0


def test_an_action_the_role_may_not_perform_answers_403(api_client, county):
    lead_user, lead = county.members[0]
    proposal = ProposalFactory(committee=county.committee, session=county.session, lead=lead)
    r = post(api_client(lead_user), f"/proposals/{proposal.pk}/actions/register", {})
    assert (r.status_code, r.json()) == (403, {"detail": "您没有执行此操作的权限。"})
    proposal.refresh_from_db()
    assert (proposal.state, proposal.number, history_rows(proposal.pk)) == (
        ProposalState.SUBMITTED,
        None,
        0,
    )


@pytest.mark.parametrize("action", ["fly", "finish", "mark_replied"])
def test_an_action_outside_the_table_or_automatic_answers_404(api_client, county, action):
    proposal, _assignment = registered_single(county)
    r = post(api_client(county.staff), f"/proposals/{proposal.pk}/actions/{action}", {})
    assert (r.status_code, r.json()) == (404, {"detail": f"未知操作:{action}"})


def test_a_member_cannot_answer_someone_elses_cosignature(api_client, county):
    (lead_user, _l), (_u2, m2), (u3, _m3) = county.members
    r = post(api_client(lead_user), "/proposals", {**CONTENT, "cosigner_ids": [m2.pk]})
    cosigner_id = r.json()["cosigners"][0]["id"]
    r = post(api_client(u3), f"/cosignatures/{cosigner_id}", {"confirm": True})
    assert (r.status_code, r.json()) == (404, NOT_FOUND)  # not a proposal u3 may see
    r = post(api_client(lead_user), f"/cosignatures/{cosigner_id}", {"confirm": True})
    assert (r.status_code, r.json()) == (403, {"detail": "您没有执行此操作的权限。"})
    assert CoSigner.objects.get(pk=cosigner_id).state == SignatureState.INVITED


# --- review outcomes and returns ------------------------------------------------------------


def test_staff_turn_one_proposal_into_an_opinion_letter_and_merge_another(api_client, county):
    lead = county.members[0][1]
    letter, merged, main = (
        ProposalFactory(committee=county.committee, session=county.session, lead=lead)
        for _n in range(3)
    )
    staff = api_client(county.staff)
    unit = county.units[2][1]
    body = post(
        staff,
        f"/proposals/{letter.pk}/actions/to_opinion_letter",
        {"letter_unit_id": unit.pk, "note": "更适合作为意见建议"},
    ).json()
    assert body["state"] == "to_opinion_letter"
    assert [(a["unit"]["name"], a["role"], a["state"]) for a in body["assignments"]] == [
        ("县交通运输局", "letter", "pending")
    ]
    body = post(
        staff, f"/proposals/{merged.pk}/actions/merge", {"merge_into_id": main.pk, "note": "同题"}
    ).json()
    assert (body["state"], body["merged_into_id"], body["review_note"]) == (
        "merged",
        main.pk,
        "同题",
    )
    r = post(staff, f"/proposals/{main.pk}/actions/merge", {"merge_into_id": MISSING_ID})
    assert (r.status_code, r.json()) == (400, {"detail": "请选择并入的主提案。"})
    main.refresh_from_db()
    assert main.state == ProposalState.SUBMITTED


def test_a_unit_asks_to_return_a_case_and_staff_pass_it_to_another(api_client, county):
    proposal, assignment = registered_single(county, unit_index=0)
    (first_user, _first), (second_user, second) = county.units[0], county.units[1]
    first, staff = api_client(first_user), api_client(county.staff)
    path = f"/assignments/{assignment.pk}/actions"
    r = post(first, f"{path}/request_return", {"reason": " "})
    assert (r.status_code, r.json()) == (400, {"detail": "请说明申请退回的理由。"})
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.PENDING
    body = post(first, f"{path}/request_return", {"reason": "不属于本局职能"}).json()
    assert assignment_of(body, county.units[0][1])["state"] == "return_requested"
    assert actions(
        assignment_of(staff.get(f"/api/v1/proposals/{proposal.pk}").json(), county.units[0][1])
    ) == [
        ("approve_return", "同意退回"),
        ("deny_return", "不同意退回"),
    ]
    r = post(first, f"{path}/approve_return", {"new_unit_id": second.pk})
    assert (r.status_code, r.json()) == (403, {"detail": "您没有执行此操作的权限。"})
    body = post(staff, f"{path}/approve_return", {"new_unit_id": second.pk}).json()
    assert [(a["unit"]["name"], a["state"]) for a in body["assignments"]] == [
        ("县教育局", "returned"),
        ("县财政局", "pending"),
    ]
    r = first.get(f"/api/v1/proposals/{proposal.pk}")
    assert (r.status_code, r.json()) == (404, NOT_FOUND)
    assert api_client(second_user).get(f"/api/v1/proposals/{proposal.pk}").status_code == 200


def test_the_detail_page_costs_the_same_queries_for_more_assignments(
    api_client, county, django_assert_max_num_queries
):
    proposal, assignment = registered_single(county)
    ReplyFactory(assignment=assignment)
    client = api_client(county.staff)
    with django_assert_max_num_queries(20) as one:
        client.get(f"/api/v1/proposals/{proposal.pk}")
    for _unit_user, unit in county.units[1:]:
        ReplyFactory(assignment=AssignmentFactory(proposal=proposal, unit=unit, role="split"))
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get(f"/api/v1/proposals/{proposal.pk}").json()
    assert len(body["assignments"]) == 3
