"""The proposals API: list, detail, submit, and the workflow actions of proposals, assignments
and co-signatures. Who sees what is ``queries.visible_proposals``; the actions and their
permissions are the tables in ``proposals.workflow``; every write is a ``services`` call."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from zhengxie.core.api import ERROR_RESPONSES, ErrorOut, ObjectId, Text
from zhengxie.core.models import Role
from zhengxie.core.rules import active_role
from zhengxie.core.workflow import InvalidTransition
from zhengxie.organisation.models import HandlingUnit, Membership
from zhengxie.proposals import services
from zhengxie.proposals.models import (
    Assignment,
    ContactWay,
    CoSigner,
    ProposalCategory,
    ProposalState,
    Satisfaction,
    SignatureState,
    SubmitterType,
)
from zhengxie.proposals.queries import LIST_VIEWS, proposal_detail, proposal_list, visible_proposals
from zhengxie.proposals.workflow import ASSIGNMENT_WORKFLOW, PROPOSAL_WORKFLOW

router = Router(tags=["提案"])

ShortText = Annotated[Text, Field(max_length=255)]
LongText = Annotated[Text, Field(max_length=20000)]
WRITE_RESPONSES = {400: ErrorOut, 409: ErrorOut, **ERROR_RESPONSES}


# --- output schemas -----------------------------------------------------------------------


class NamedOut(Schema):
    id: int
    name: str


class ActionOut(Schema):
    action: str = Field(description="操作名,用于 POST …/actions/{action}")
    label: str
    style: str = Field(description="按钮样式(Bootstrap 颜色)")


class ProposalItemOut(Schema):
    id: int
    number: int | None
    number_label: str
    title: str
    state: ProposalState
    state_label: str
    submitter_type: SubmitterType
    submitter_type_label: str
    proposer: str = Field(description="第一提案人姓名,或提案单位")
    category: NamedOut | None
    session: NamedOut
    is_plenary: bool
    submitted_at: datetime.datetime | None
    key_state: str = Field(description="重点提案:空、proposed(拟定)或 decided(已决定)")
    key_state_label: str


class ProposalPageOut(Schema):
    count: int
    items: list[ProposalItemOut]


class CoSignerOut(Schema):
    id: int = Field(description="联名记录 ID,用于 POST /cosignatures/{id}")
    membership_id: int
    name: str
    order: int
    state: SignatureState
    state_label: str
    answered_at: datetime.datetime | None


class RatingOut(Schema):
    attitude: Satisfaction
    result: Satisfaction
    on_point: bool
    comment: str
    rated_on: datetime.date


class ReplyOut(Schema):
    id: int
    round: int
    text: str | None = Field(
        description="不公开的答复仅对工作人员、提案人和承办单位显示,否则为 null"
    )
    category: str
    corrected_category: str
    final_category: str
    is_public: bool
    replied_on: datetime.date
    rating: RatingOut | None


class HistoryOut(Schema):
    action: str
    from_state: str
    from_label: str
    to_state: str
    to_label: str
    actor: str
    note: str
    at: datetime.datetime


class AssignmentOut(Schema):
    id: int
    unit: NamedOut
    role: str
    role_label: str
    state: str
    state_label: str
    assigned_on: datetime.date
    deadline: datetime.date
    round: int
    replies: list[ReplyOut]
    history: list[HistoryOut]
    available_actions: list[ActionOut]


class ProposalDetailOut(ProposalItemOut):
    lead_id: int | None = Field(description="第一提案人的委员(任职)ID")
    submitting_body: str
    situation: str
    suggestions: str
    publish_consent: bool
    no_publish_reason: str
    signature_deadline: datetime.date | None
    registered_on: datetime.date | None
    not_registered_ground: str
    review_note: str
    merged_into_id: int | None
    suggested_units: list[NamedOut]
    cosigners: list[CoSignerOut]
    assignments: list[AssignmentOut]
    history: list[HistoryOut]
    available_actions: list[ActionOut]


# --- reading ------------------------------------------------------------------------------


def _named(obj, name=None):
    return None if obj is None else {"id": obj.pk, "name": name or str(obj)}


def _item(proposal):
    return {
        "id": proposal.pk,
        "number": proposal.number,
        "number_label": proposal.number_label,
        "title": proposal.title,
        "state": proposal.state,
        "state_label": proposal.get_state_display(),
        "submitter_type": proposal.submitter_type,
        "submitter_type_label": proposal.get_submitter_type_display(),
        "proposer": proposal.proposer_label,
        "category": _named(proposal.category, proposal.category and proposal.category.name),
        "session": _named(proposal.session, proposal.session.name),
        "is_plenary": proposal.is_plenary,
        "submitted_at": proposal.submitted_at,
        "key_state": proposal.key_state,
        "key_state_label": proposal.get_key_state_display(),
    }


def _actions(workflow, obj, user):
    """What ``user`` may do now, read from the transition table (automatic ones are not
    offered: they follow from other actions)."""
    return [
        {"action": t.action, "label": str(t.label), "style": t.style}
        for t in workflow.available(obj, user)
        if not t.automatic
    ]


def _history(workflow, rows):
    return [
        {
            "action": h.action,
            "from_state": h.from_state,
            "from_label": str(workflow.state_label(h.from_state)) if h.from_state else "",
            "to_state": h.to_state,
            "to_label": str(workflow.state_label(h.to_state)),
            "actor": str(h.actor) if h.actor_id else "",
            "note": h.note,
            "at": h.created,
        }
        for h in rows
    ]


def _is_proposer(user, proposal):
    if proposal.lead_id is not None and proposal.lead.person.user_id == user.pk:
        return True
    if proposal.lead_id is None and proposal.created_by_id == user.pk:
        return True
    return any(
        c.state == SignatureState.CONFIRMED and c.membership.person.user_id == user.pk
        for c in proposal.cosigners.all()
    )


def _reads_hidden_replies(user, proposal, assignment):
    """A reply the unit did not make public is read by staff, the proposer and that unit."""
    role = active_role(user)
    if role is None:
        return False
    if role.role == Role.STAFF:
        return True
    if role.role == Role.UNIT:
        return role.handling_unit_id == assignment.unit_id
    return _is_proposer(user, proposal)


def _reply(reply, *, readable):
    rating = getattr(reply, "rating", None)
    return {
        "id": reply.pk,
        "round": reply.round,
        "text": reply.text if reply.is_public or readable else None,
        "category": reply.category,
        "corrected_category": reply.corrected_category,
        "final_category": reply.final_category,
        "is_public": reply.is_public,
        "replied_on": reply.replied_on,
        "rating": None
        if rating is None
        else {
            "attitude": rating.attitude,
            "result": rating.result,
            "on_point": rating.on_point,
            "comment": rating.comment,
            "rated_on": rating.rated_on,
        },
    }


def _assignment(assignment, proposal, user):
    readable = _reads_hidden_replies(user, proposal, assignment)
    return {
        "id": assignment.pk,
        "unit": _named(assignment.unit, assignment.unit.name),
        "role": assignment.role,
        "role_label": assignment.get_role_display(),
        "state": assignment.state,
        "state_label": assignment.get_state_display(),
        "assigned_on": assignment.assigned_on,
        "deadline": assignment.deadline,
        "round": assignment.round,
        "replies": [_reply(r, readable=readable) for r in assignment.replies.all()],
        "history": _history(ASSIGNMENT_WORKFLOW, assignment.history.all()),
        "available_actions": _actions(ASSIGNMENT_WORKFLOW, assignment, user),
    }


def _detail(user, pk):
    proposal = proposal_detail(user, pk)
    assignments = list(proposal.assignments.all())
    prefetch_related_objects(assignments, "history__actor")
    return {
        **_item(proposal),
        "lead_id": proposal.lead_id,
        "submitting_body": proposal.submitting_body,
        "situation": proposal.situation,
        "suggestions": proposal.suggestions,
        "publish_consent": proposal.publish_consent,
        "no_publish_reason": proposal.no_publish_reason,
        "signature_deadline": proposal.signature_deadline,
        "registered_on": proposal.registered_on,
        "not_registered_ground": proposal.not_registered_ground,
        "review_note": proposal.review_note,
        "merged_into_id": proposal.merged_into_id,
        "suggested_units": [_named(u, u.name) for u in proposal.suggested_units.all()],
        "cosigners": [
            {
                "id": c.pk,
                "membership_id": c.membership_id,
                "name": c.membership.person.name,
                "order": c.order,
                "state": c.state,
                "state_label": c.get_state_display(),
                "answered_at": c.answered_at,
            }
            for c in proposal.cosigners.all()
        ],
        "assignments": [_assignment(a, proposal, user) for a in assignments],
        "history": _history(PROPOSAL_WORKFLOW, proposal.history.all()),
        "available_actions": _actions(PROPOSAL_WORKFLOW, proposal, user),
    }


class ProposalFilters(Schema):
    view: Literal[tuple(LIST_VIEWS)] = Field(  # type: ignore[valid-type]  # keys of LIST_VIEWS
        "all", description="列表:" + "、".join(f"{k}({v})" for k, v in LIST_VIEWS.items())
    )
    session: ObjectId | None = Field(None, description="会议(届次)ID")
    year: int | None = Field(None, ge=1949, le=2200, description="提交年度")
    category: ObjectId | None = Field(None, description="类别 ID")
    state: ProposalState | None = Field(None, description="状态")
    unit: ObjectId | None = Field(None, description="承办单位 ID")
    submitter_type: SubmitterType | None = Field(None, description="提案者类型")
    sector: ObjectId | None = Field(None, description="第一提案人的界别 ID")
    key: bool | None = Field(None, description="是否重点提案")
    q: Annotated[Text, Field(max_length=64)] | None = Field(
        None, description="案由关键词或第一提案人姓名"
    )
    limit: int = Field(50, ge=1, le=500, description="每页条数")
    offset: int = Field(0, ge=0, le=2**31, description="起始位置")


@router.get(
    "/proposals",
    response={200: ProposalPageOut, **ERROR_RESPONSES},
    summary="提案列表",
    description="当前角色可见的提案(委员:本人领衔或联名的和已立案的;工作人员:除他人草稿外的全部;"
    "承办单位:本单位承办的),可按列表、会议、年度、类别、状态、承办单位、提案者类型、界别、"
    "重点提案和关键词筛选;limit/offset 分页。",
)
def proposal_list_endpoint(request, filters: Query[ProposalFilters]):
    qs = proposal_list(
        request.user,
        view=filters.view,
        session=filters.session,
        year=filters.year,
        category=filters.category,
        state=filters.state,
        unit=filters.unit,
        submitter_type=filters.submitter_type,
        sector=filters.sector,
        key=filters.key,
        q=filters.q,
    )
    page = qs[filters.offset : filters.offset + filters.limit]
    return {"count": qs.count(), "items": [_item(p) for p in page]}


@router.get(
    "/proposals/{proposal_id}",
    response={200: ProposalDetailOut, **ERROR_RESPONSES},
    summary="提案详情",
    description="提案内容、联名委员、交办与答复、办理评价、流转记录,以及当前角色可执行的操作"
    "(available_actions:提案级;assignments[].available_actions:各承办单位的交办)。"
    "看不到的提案与不存在的一样答复 404。操作用 POST /api/v1/proposals/{id}/actions/{action} "
    "和 POST /api/v1/assignments/{id}/actions/{action},各操作的请求体见其说明。",
)
def proposal_detail_endpoint(request, proposal_id: ObjectId):
    return _detail(request.user, proposal_id)


# --- submitting ---------------------------------------------------------------------------


class ProposalIn(Schema):
    title: Annotated[Text, Field(max_length=200)] = Field(description="案由")
    category_id: ObjectId | None = Field(None, description="类别 ID")
    situation: LongText = Field(description="情况与分析")
    suggestions: LongText = Field(description="具体建议")
    publish_consent: bool = Field(True, description="是否同意公开")
    no_publish_reason: ShortText = Field("", description="不同意公开的理由")
    cosigner_ids: list[ObjectId] = Field(
        [], max_length=100, description="联名委员的委员(任职)ID,按顺序"
    )
    suggested_unit_ids: list[ObjectId] = Field([], max_length=50, description="建议承办单位 ID")
    submit: bool = Field(True, description="创建后立即提交(联名提案则发起联名)")
    submitter_type: SubmitterType = Field(
        SubmitterType.MEMBER,
        description="委员提交时为 member(有联名委员时自动为 joint);提案委员会工作人员录入"
        "党派团体、专门委员会、界别/小组提案时为 party_group、special_committee、sector_group",
    )
    submitting_body: Annotated[Text, Field(max_length=128)] = Field(
        "", description="提案单位名称(非委员提案)"
    )


def _by_ids(model, ids, field, message):
    """Rows of the active committee for ``ids``, in order; a missing one is a bad input."""
    found = model.objects.in_bulk(list(set(ids)))
    if len(found) != len(set(ids)):
        raise ValidationError({field: message})
    return [found[i] for i in ids]


@router.post(
    "/proposals",
    response={201: ProposalDetailOut, 400: ErrorOut, **ERROR_RESPONSES},
    summary="提交提案",
    description="委员以本人为第一提案人撰写提案;有联名委员时先发起联名(联名委员在截止日期前确认),"
    "否则直接提交。submit=false 只保存草稿。提案委员会工作人员可录入党派团体、专门委员会、"
    "界别/小组提案(须填写 submitting_body)。创建与提交一并成功或一并不做。",
)
def proposal_create_endpoint(request, payload: ProposalIn):
    category = None
    if payload.category_id is not None:
        category = ProposalCategory.objects.filter(pk=payload.category_id).first()
        if category is None:
            raise ValidationError({"category": _("请选择有效的类别。")})
    cosigners = _by_ids(
        Membership, payload.cosigner_ids, "cosigners", _("联名委员须为本会在任委员。")
    )
    units = _by_ids(
        HandlingUnit, payload.suggested_unit_ids, "suggested_units", _("请选择本会的承办单位。")
    )
    data = {
        "title": payload.title,
        "category": category,
        "situation": payload.situation,
        "suggestions": payload.suggestions,
        "publish_consent": payload.publish_consent,
        "no_publish_reason": payload.no_publish_reason,
    }
    with transaction.atomic():
        proposal = services.proposal_create(
            actor=request.user,
            committee=request.committee,
            data=data,
            cosigners=cosigners,
            suggested_units=units,
            submitter_type=payload.submitter_type,
            submitting_body=payload.submitting_body,
        )
        if payload.submit:
            services.proposal_submit(actor=request.user, proposal=proposal)
    return Status(201, _detail(request.user, proposal.pk))


# --- actions ------------------------------------------------------------------------------
# One operation per action of the transition tables, each with its own payload schema, so the
# OpenAPI document lists them; the tables decide where each action is allowed and for whom.


class NoteIn(Schema):
    note: ShortText = Field("", description="说明(可不填)")


class RequiredNoteIn(Schema):
    note: LongText = Field(description="说明(必填)")


class RegisterIn(Schema):
    number: Annotated[int, Field(ge=1, le=99999)] | None = Field(
        None, description="案号;不填则按本次会议顺延"
    )
    note: LongText = Field("", description="审查意见")


class NotRegisterIn(Schema):
    ground: ShortText = Field(description="不予立案理由(本会配置的标准理由之一)")
    note: LongText = Field("", description="审查意见")


class OpinionLetterIn(Schema):
    letter_unit_id: ObjectId = Field(description="转交的承办单位 ID")
    note: LongText = Field("", description="审查意见")


class MergeIn(Schema):
    merge_into_id: ObjectId = Field(description="并入的主提案 ID")
    note: LongText = Field("", description="审查意见")


class AssignIn(Schema):
    mode: Literal["single", "split", "joint"] = Field(
        description="single 单办、split 分办、joint 会办"
    )
    unit_ids: list[ObjectId] = Field(max_length=50, description="承办单位 ID")
    main_unit_id: ObjectId | None = Field(None, description="会办时的主办单位 ID")


class ReasonIn(Schema):
    reason: LongText = Field(description="申请退回的理由")


class ApproveReturnIn(Schema):
    new_unit_id: ObjectId = Field(description="改交的承办单位 ID")
    note: LongText = Field("", description="说明")


class ContactIn(Schema):
    way: ContactWay = Field(description="沟通方式")
    contact_on: datetime.date = Field(description="沟通日期(不晚于今天)")
    summary: LongText = Field(description="沟通情况")


class ReplyIn(Schema):
    text: LongText = Field(description="答复内容")
    category: Annotated[Text, Field(max_length=8)] = Field(
        "", description="答复类别(本会配置的类别代码,如 A/B/C;意见建议办理可不填)"
    )
    is_public: bool = Field(True, description="答复是否公开")


class ViewIn(Schema):
    text: LongText = Field(description="会办意见")


class RateIn(Schema):
    attitude: Satisfaction = Field(description="办理态度")
    result: Satisfaction = Field(description="办理结果")
    on_point: bool = Field(True, description="答复是否切题")
    comment: LongText = Field("", description="意见")


class CosignIn(Schema):
    confirm: bool = Field(description="true 确认联名,false 拒绝")


def _unit(pk, field, message):
    unit = HandlingUnit.objects.filter(pk=pk).first() if pk is not None else None
    if pk is not None and unit is None:
        raise ValidationError({field: message})
    return unit


def _assign_kwargs(request, p):
    units = _by_ids(HandlingUnit, p.unit_ids, "units", _("请选择本会在用的承办单位。"))
    main = _unit(p.main_unit_id, "main_unit", _("会办须指定主办单位(且在所选单位之中)。"))
    return {"mode": p.mode, "units": units, "main_unit": main}


def _merge_kwargs(request, p):
    main = visible_proposals(request.user).filter(pk=p.merge_into_id).first()
    if main is None:
        raise ValidationError({"merge_into": _("请选择并入的主提案。")})
    return {"merge_into": main, "note": p.note}


@dataclass(frozen=True)
class ActionSpec:
    payload: type[Schema] | None
    kwargs: Callable = lambda request, p: {}  # (request, payload) -> the service's arguments
    help: str = ""


def _note(request, p):
    return {"note": p.note}


PROPOSAL_ACTIONS = {
    "submit": ActionSpec(
        None,
        help="提交草稿或退回修改后的提案;有联名委员的草稿先发起联名征集,征集中时结束联名并提交。",
    ),
    "withdraw": ActionSpec(NoteIn, _note, "提案人撤回尚未审查的提案。"),
    "start_review": ActionSpec(NoteIn, _note, "提案委员会开始审查。"),
    "return": ActionSpec(RequiredNoteIn, _note, "退回修改,note 写明修改意见。"),
    "register": ActionSpec(
        RegisterIn, lambda r, p: {"number": p.number, "note": p.note}, "立案并编号。"
    ),
    "not_register": ActionSpec(
        NotRegisterIn, lambda r, p: {"ground": p.ground, "note": p.note}, "不予立案。"
    ),
    "to_opinion_letter": ActionSpec(
        OpinionLetterIn,
        lambda r, p: {
            "letter_unit": _unit(p.letter_unit_id, "letter_unit", _("请选择转交的承办单位。")),
            "note": p.note,
        },
        "转为意见建议,交承办单位办理。",
    ),
    "to_public_opinion": ActionSpec(NoteIn, _note, "转为社情民意信息。"),
    "merge": ActionSpec(MergeIn, _merge_kwargs, "并入另一件提案。"),
    "assign": ActionSpec(AssignIn, _assign_kwargs, "交办:单办、分办或会办。"),
    "close": ActionSpec(NoteIn, _note, "已答复的提案办结。"),
}

ASSIGNMENT_ACTIONS = {
    "accept": ActionSpec(None, help="承办单位签收。"),
    "request_return": ActionSpec(
        ReasonIn, lambda r, p: {"reason": p.reason}, "交办后规定工作日内申请退回。"
    ),
    "approve_return": ActionSpec(
        ApproveReturnIn,
        lambda r, p: {
            "new_unit": _unit(p.new_unit_id, "new_unit", _("请选择改交的承办单位。")),
            "note": p.note,
        },
        "提案委员会同意退回并改交其他单位。",
    ),
    "deny_return": ActionSpec(RequiredNoteIn, _note, "提案委员会不同意退回,note 写明理由。"),
    "contact": ActionSpec(
        ContactIn,
        lambda r, p: {"way": str(p.way), "contact_on": p.contact_on, "summary": p.summary},
        "办前沟通。",
    ),
    "reply": ActionSpec(
        ReplyIn,
        lambda r, p: {"text": p.text, "category": p.category, "is_public": p.is_public},
        "主办、单办、分办单位答复提案人;意见建议办理单位书面答复。",
    ),
    "send_view": ActionSpec(ViewIn, lambda r, p: {"text": p.text}, "会办单位向主办单位提交意见。"),
    "rate": ActionSpec(
        RateIn,
        lambda r, p: {
            "attitude": str(p.attitude),
            "result": str(p.result),
            "on_point": p.on_point,
            "comment": p.comment,
        },
        "第一提案人评价答复;不满意的第一次答复重新办理。",
    ),
    "close": ActionSpec(RequiredNoteIn, _note, "第二次不满意经面商或书面说明后办结。"),
}


def _manual_actions(workflow):
    return {t.action for t in workflow.transitions if not t.automatic}


# The API offers exactly the table's actions: a new row in a table needs its payload here.
assert set(PROPOSAL_ACTIONS) == _manual_actions(PROPOSAL_WORKFLOW)
assert set(ASSIGNMENT_ACTIONS) == _manual_actions(ASSIGNMENT_WORKFLOW)


def _check_allowed(workflow, obj, user, action):
    """The table's verdict before any input is read: wrong state 409, not allowed 403."""
    transition = workflow.find(getattr(obj, workflow.state_field), action)
    if transition is None:
        raise InvalidTransition(
            _("当前状态“%(state)s”下不能执行此操作。")
            % {"state": workflow.state_label(getattr(obj, workflow.state_field))}
        )
    if not user.has_perm(transition.permission, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def _labels(workflow, action):
    labels = dict.fromkeys(str(t.label) for t in workflow.transitions if t.action == action)
    return "/".join(labels)


def _payload_help(schema):
    if schema is None:
        return "无需请求体。"
    fields = schema.model_fields
    parts = [
        f"{name}{'' if field.is_required() else '(可选)'}:{field.description or ''}"
        for name, field in fields.items()
    ]
    return "请求体字段 — " + ";".join(parts) + "。"


def _perform_proposal(request, proposal_id, action, payload):
    user = request.user
    proposal = get_object_or_404(visible_proposals(user), pk=proposal_id)
    _check_allowed(PROPOSAL_WORKFLOW, proposal, user, action)
    spec = PROPOSAL_ACTIONS[action]
    kwargs = spec.kwargs(request, payload) if payload is not None else {}
    services.proposal_act(actor=user, proposal=proposal, action=action, **kwargs)
    return _detail(user, proposal.pk)


def _perform_assignment(request, assignment_id, action, payload):
    user = request.user
    assignment = get_object_or_404(
        Assignment.objects.filter(proposal__in=visible_proposals(user).values("pk")).select_related(
            "proposal__lead__person"
        ),
        pk=assignment_id,
    )
    _check_allowed(ASSIGNMENT_WORKFLOW, assignment, user, action)
    spec = ASSIGNMENT_ACTIONS[action]
    kwargs = spec.kwargs(request, payload) if payload is not None else {}
    services.assignment_act(actor=user, assignment=assignment, action=action, **kwargs)
    return _detail(user, assignment.proposal_id)


def _proposal_endpoint(action, schema):
    if schema is None:

        def endpoint(request, proposal_id: ObjectId):
            return _perform_proposal(request, proposal_id, action, None)

        return endpoint

    def endpoint_with_payload(request, proposal_id: ObjectId, payload: schema):
        return _perform_proposal(request, proposal_id, action, payload)

    return endpoint_with_payload


def _assignment_endpoint(action, schema):
    if schema is None:

        def endpoint(request, assignment_id: ObjectId):
            return _perform_assignment(request, assignment_id, action, None)

        return endpoint

    def endpoint_with_payload(request, assignment_id: ObjectId, payload: schema):
        return _perform_assignment(request, assignment_id, action, payload)

    return endpoint_with_payload


def _add_action_routes(*, kind, title, workflow, actions, make_endpoint):
    for action, spec in actions.items():
        router.post(
            f"/{kind}s/{{{kind}_id}}/actions/{action}",
            response={200: ProposalDetailOut, **WRITE_RESPONSES},
            summary=f"{title}:{_labels(workflow, action)}({action})",
            description=f"{spec.help}{_payload_help(spec.payload)}返回操作后的提案详情。"
            "当前状态不允许时 409,无权限时 403,输入有误时 400/422,且不做任何改动。",
            operation_id=f"{kind}_action_{action}",
            url_name=f"{kind}_action_{action}",
        )(make_endpoint(action, spec.payload))


_add_action_routes(
    kind="proposal",
    title="提案操作",
    workflow=PROPOSAL_WORKFLOW,
    actions=PROPOSAL_ACTIONS,
    make_endpoint=_proposal_endpoint,
)
_add_action_routes(
    kind="assignment",
    title="交办操作",
    workflow=ASSIGNMENT_WORKFLOW,
    actions=ASSIGNMENT_ACTIONS,
    make_endpoint=_assignment_endpoint,
)


@router.post(
    "/proposals/{proposal_id}/actions/{action}",
    response=ERROR_RESPONSES,
    include_in_schema=False,
)
def proposal_unknown_action(request, proposal_id: ObjectId, action: str):
    raise HttpError(404, _("未知操作:%(a)s") % {"a": action})


@router.post(
    "/assignments/{assignment_id}/actions/{action}",
    response=ERROR_RESPONSES,
    include_in_schema=False,
)
def assignment_unknown_action(request, assignment_id: ObjectId, action: str):
    raise HttpError(404, _("未知操作:%(a)s") % {"a": action})


@router.post(
    "/cosignatures/{cosigner_id}",
    response={200: ProposalDetailOut, **WRITE_RESPONSES},
    summary="答复联名邀请",
    description="被邀请的联名委员在截止日期前确认(confirm=true)或拒绝(confirm=false)联名。"
    "返回提案详情。只能答复发给本人的邀请。",
)
def cosign_answer_endpoint(request, cosigner_id: ObjectId, payload: CosignIn):
    user = request.user
    cosigner = get_object_or_404(
        CoSigner.objects.filter(proposal__in=visible_proposals(user).values("pk")), pk=cosigner_id
    )
    services.cosign_answer(actor=user, cosigner=cosigner, confirm=payload.confirm)
    return _detail(user, cosigner.proposal_id)
