import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.proposals.conftest import act_as
from zhengxie.core.models import DutyRecord, Notification
from zhengxie.core.workflow import InvalidTransition
from zhengxie.proposals import services
from zhengxie.proposals.models import (
    AssignmentRole,
    AssignmentState,
    CoSigner,
    ProposalHistory,
    ProposalState,
    SignatureState,
)

CONTENT = {
    "title": "关于推进城乡义务教育优质均衡发展的建议",
    "situation": "我县城区学校大班额问题突出,农村学校生源流失。",
    "suggestions": "一是优化学校布局;二是推进集团化办学;三是加强乡村教师队伍建设。",
    "publish_consent": True,
}


def _draft(county, cosigners=()):
    user, _lead = county.members[0]
    data = {**CONTENT, "category": county.category}
    return services.proposal_create(
        actor=user, committee=county.committee, data=data, cosigners=[m for _u, m in cosigners]
    )


def test_a_joint_proposal_counts_only_confirmed_cosigners(
    county, django_capture_on_commit_callbacks
):
    lead_user, lead = county.members[0]
    (u2, m2), (u3, m3) = county.members[1], county.members[2]
    with django_capture_on_commit_callbacks(execute=True):
        proposal = _draft(county, cosigners=[(u2, m2), (u3, m3)])
        proposal = services.proposal_submit(actor=lead_user, proposal=proposal)
    assert proposal.state == ProposalState.COLLECTING_SIGNATURES
    assert (
        Notification.objects.filter(
            recipient__in=[u2, u3], title__startswith="请确认联名提案"
        ).count()
        == 2
    )
    services.cosign_answer(actor=u2, cosigner=CoSigner.objects.get(membership=m2), confirm=True)
    with pytest.raises(PermissionDenied):
        services.cosign_answer(actor=u2, cosigner=CoSigner.objects.get(membership=m3), confirm=True)
    proposal = services.proposal_submit(actor=lead_user, proposal=proposal)
    assert proposal.state == ProposalState.SUBMITTED
    assert proposal.is_plenary is True
    rows = DutyRecord.objects.filter(kind="proposal").order_by("order")
    assert [(r.membership_id, r.sub_kind, r.role, r.order, r.participants) for r in rows] == [
        (lead.pk, "submitted", "lead", 1, 2),
        (m2.pk, "co_signed", "co_signer", 2, 2),
    ]
    assert CoSigner.objects.get(membership=m3).state == SignatureState.INVITED
    with pytest.raises(InvalidTransition, match="已结束联名征集"):
        services.cosign_answer(actor=u3, cosigner=CoSigner.objects.get(membership=m3), confirm=True)


def test_it_rejects_bad_content_and_writes_nothing(county):
    user, _m = county.members[0]
    with pytest.raises(ValidationError) as exc:
        services.proposal_create(
            actor=user,
            committee=county.committee,
            data={"title": "", "situation": "x", "suggestions": "", "publish_consent": False},
        )
    assert exc.value.message_dict == {
        "title": ["请填写案由。"],
        "suggestions": ["请填写具体建议。"],
        "no_publish_reason": ["不同意公开时请说明理由。"],
    }
    from zhengxie.proposals.models import Proposal

    assert Proposal.objects.count() == 0


def test_it_enforces_the_committees_length_limit(county):
    from tests.factories import user_with_role
    from zhengxie.core.config import set_setting
    from zhengxie.core.models import Role

    admin = user_with_role(county.committee, Role.ADMIN)
    set_setting(committee=county.committee, key="proposal_max_length", value=200, actor=admin)
    user, _m = county.members[0]
    with pytest.raises(ValidationError, match="超过200字"):
        services.proposal_create(
            actor=user, committee=county.committee, data={**CONTENT, "suggestions": "建" * 190}
        )


def test_the_whole_lifecycle_joint_handling_rehandled_then_satisfied(county):
    staff = county.staff
    lead_user, lead = county.members[0]
    proposal = services.proposal_submit(actor=lead_user, proposal=_draft(county))
    proposal = services.proposal_review(actor=staff, proposal=proposal, action="start_review")
    proposal = services.proposal_review(actor=staff, proposal=proposal, action="register")
    assert (proposal.number, proposal.number_label) == (1, "十届五次会议第001号")
    (main_user, main_unit), (co_user, co_unit) = county.units[0], county.units[1]
    proposal = services.proposal_assign(
        actor=staff,
        proposal=proposal,
        mode="joint",
        units=[main_unit, co_unit],
        main_unit=main_unit,
    )
    main = proposal.assignments.get(unit=main_unit)
    co = proposal.assignments.get(unit=co_unit)
    assert (main.role, co.role) == (AssignmentRole.MAIN, AssignmentRole.CO)
    assert main.deadline >= services.add_months(main.assigned_on, 3)

    co = services.assignment_act(actor=co_user, assignment=co, action="accept")
    co = services.assignment_act(
        actor=co_user, assignment=co, action="send_view", text="财政将给予支持"
    )
    assert co.state == AssignmentState.DONE
    with pytest.raises(PermissionDenied):
        services.assignment_act(actor=co_user, assignment=main, action="accept")
    main = services.assignment_act(actor=main_user, assignment=main, action="accept")
    with pytest.raises(InvalidTransition):
        services.assignment_act(
            actor=main_user,
            assignment=main,
            action="rate",
            attitude="satisfied",
            result="satisfied",
        )
    main = services.assignment_act(
        actor=main_user,
        assignment=main,
        action="contact",
        way="phone",
        contact_on=datetime.date.today(),
        summary="电话沟通办理思路",
    )
    main = services.assignment_act(
        actor=main_user, assignment=main, action="reply", text="已列入明年计划", category="B"
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.REPLIED
    main = services.assignment_act(
        actor=lead_user,
        assignment=main,
        action="rate",
        attitude="basically",
        result="unsatisfied",
        comment="措施不够具体",
    )
    assert (main.state, main.round) == (AssignmentState.REHANDLING, 2)
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.ASSIGNED
    main = services.assignment_act(
        actor=main_user,
        assignment=main,
        action="contact",
        way="meeting",
        contact_on=datetime.date.today(),
        summary="面谈",
    )
    main = services.assignment_act(
        actor=main_user, assignment=main, action="reply", text="已落实经费", category="A"
    )
    main = services.assignment_act(
        actor=lead_user, assignment=main, action="rate", attitude="satisfied", result="satisfied"
    )
    assert main.state == AssignmentState.DONE
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.CLOSED
    actions = list(
        ProposalHistory.objects.filter(subject=proposal).values_list("action", flat=True)
    )
    assert actions == [
        "submit",
        "start_review",
        "register",
        "assign",
        "mark_replied",
        "reopen",
        "mark_replied",
        "finish",
    ]
    assert [r.round for r in main.replies.all()] == [1, 2]


def test_a_second_unsatisfied_rating_waits_for_staff_to_close(county):
    staff = county.staff
    lead_user, _lead = county.members[0]
    unit_user, unit = county.units[0]
    proposal = services.proposal_submit(actor=lead_user, proposal=_draft(county))
    proposal = services.proposal_review(actor=staff, proposal=proposal, action="register")
    proposal = services.proposal_assign(actor=staff, proposal=proposal, mode="single", units=[unit])
    assignment = proposal.assignments.get()
    for round_ in (1, 2):
        if round_ == 1:
            assignment = services.assignment_act(
                actor=unit_user, assignment=assignment, action="accept"
            )
        assignment = services.assignment_act(
            actor=unit_user,
            assignment=assignment,
            action="contact",
            way="phone",
            contact_on=datetime.date.today(),
            summary="沟通",
        )
        assignment = services.assignment_act(
            actor=unit_user, assignment=assignment, action="reply", text="答复", category="C"
        )
        assignment = services.assignment_act(
            actor=lead_user,
            assignment=assignment,
            action="rate",
            attitude="unsatisfied",
            result="unsatisfied",
        )
    assert assignment.state == AssignmentState.RATED
    with pytest.raises(ValidationError, match="面商或书面说明"):
        services.assignment_act(actor=staff, assignment=assignment, action="close", note="")
    assignment = services.assignment_act(
        actor=staff, assignment=assignment, action="close", note="已书面说明"
    )
    proposal.refresh_from_db()
    assert (assignment.state, proposal.state) == (AssignmentState.DONE, ProposalState.CLOSED)


def test_a_unit_asks_to_return_and_staff_reassign(county):
    staff = county.staff
    lead_user, _lead = county.members[0]
    (u1, unit1), (_u2, unit2) = county.units[0], county.units[1]
    proposal = services.proposal_submit(actor=lead_user, proposal=_draft(county))
    proposal = services.proposal_review(actor=staff, proposal=proposal, action="register")
    proposal = services.proposal_assign(
        actor=staff, proposal=proposal, mode="single", units=[unit1]
    )
    assignment = proposal.assignments.get()
    with pytest.raises(ValidationError):
        services.assignment_act(actor=u1, assignment=assignment, action="request_return", reason="")
    assignment = services.assignment_act(
        actor=u1, assignment=assignment, action="request_return", reason="不属于本单位职责"
    )
    with pytest.raises(ValidationError):
        services.assignment_act(
            actor=staff, assignment=assignment, action="approve_return", new_unit=unit1
        )
    services.assignment_act(
        actor=staff, assignment=assignment, action="approve_return", new_unit=unit2
    )
    assert list(proposal.assignments.values_list("unit__name", "state", "role")) == [
        ("县教育局", "returned", "single"),
        ("县财政局", "pending", "single"),
    ]


def test_not_registered_needs_a_standard_ground(county):
    staff = county.staff
    lead_user, _lead = county.members[0]
    proposal = services.proposal_submit(actor=lead_user, proposal=_draft(county))
    with pytest.raises(ValidationError, match="请选择不予立案的理由"):
        services.proposal_review(
            actor=staff, proposal=proposal, action="not_register", ground="随便"
        )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.SUBMITTED
    proposal = services.proposal_review(
        actor=staff, proposal=proposal, action="not_register", ground="属于学术探讨的"
    )
    assert (proposal.state, proposal.not_registered_ground) == (
        ProposalState.NOT_REGISTERED,
        "属于学术探讨的",
    )


def test_a_member_cannot_review_and_a_unit_cannot_submit(county):
    lead_user, _lead = county.members[0]
    proposal = services.proposal_submit(actor=lead_user, proposal=_draft(county))
    with pytest.raises(PermissionDenied):
        services.proposal_review(actor=lead_user, proposal=proposal, action="register")
    unit_user, _unit = county.units[0]
    with pytest.raises(PermissionDenied):
        services.proposal_create(actor=unit_user, committee=county.committee, data=CONTENT)


def test_two_staff_registering_at_once_only_one_succeeds(county):
    lead_user, _lead = county.members[0]
    proposal = services.proposal_submit(actor=lead_user, proposal=_draft(county))
    stale = type(proposal).objects.get(pk=proposal.pk)
    services.proposal_review(actor=county.staff, proposal=proposal, action="register")
    with pytest.raises(InvalidTransition, match="可能已被他人处理"):
        services.proposal_review(actor=county.other_staff, proposal=stale, action="register")
    assert ProposalHistory.objects.filter(action="register").count() == 1
    assert act_as


@pytest.mark.django_db(transaction=True)
def test_two_staff_registering_in_parallel_threads_only_one_succeeds(committee):
    """Real concurrency needs row locks: PostgreSQL only (SQLite is covered sequentially above)."""
    import threading

    from django.db import connection, connections
    from django_scopes import scope

    from tests.county import County

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    with scope(committee=committee):
        county = County(committee)
        lead_user, _lead = county.members[0]
        proposal = services.proposal_submit(actor=lead_user, proposal=_draft(county))
    barrier = threading.Barrier(2)
    outcomes = []

    def register(actor):
        try:
            with scope(committee=committee):
                barrier.wait()
                services.proposal_review(actor=actor, proposal=proposal, action="register")
            outcomes.append("ok")
        except InvalidTransition:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=register, args=(u,)) for u in (county.staff, county.other_staff)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert ProposalHistory.objects.filter(action="register").count() == 1
