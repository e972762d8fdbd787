"""The meetings API for members' phones: the meetings I may see, one meeting with my attendance,
asking for leave, and signing in with the code scanned from the hall screen. Staff run meetings
from the pages. A meeting or invitation the user may not see answers 404."""

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from zhengxie.core.api import ERROR_RESPONSES, ErrorOut, ObjectId, Text
from zhengxie.core.forms import error_messages
from zhengxie.core.periods import MAX_YEAR, MIN_YEAR
from zhengxie.core.workflow import InvalidTransition
from zhengxie.meetings import queries, services
from zhengxie.meetings.models import Invitation, MeetingCategory, MeetingState
from zhengxie.meetings.workflow import ATTENDANCE_WORKFLOW

router = Router(tags=["会议"])
WRITE_RESPONSES = {400: ErrorOut, 409: ErrorOut, **ERROR_RESPONSES}
PAGE_SIZE = 30


class MeetingQuery(Schema):
    year: int | None = Field(None, ge=MIN_YEAR, le=MAX_YEAR, description="年度")
    category: MeetingCategory | None = Field(None, description="会议类别")
    state: MeetingState | None = Field(None, description="状态")
    page: int = Field(1, ge=1, le=10_000)


class MeetingItemOut(Schema):
    id: int
    title: str
    category: str
    kind: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    state: str
    invited: int
    signed_in: int


class MeetingPageOut(Schema):
    count: int
    page: int
    results: list[MeetingItemOut]


class AgendaOut(Schema):
    position: int
    title: str
    presenter: str


class InvitationOut(Schema):
    id: int
    state: str
    state_label: str
    leave_reason: str
    signed_in_at: datetime.datetime | None
    available_actions: list[str] = Field(description="本人现在可做的操作,如 request_leave")


class MeetingDetailOut(MeetingItemOut):
    description: str
    half_days: float
    agenda: list[AgendaOut]
    my_invitation: InvitationOut | None = Field(description="本人的参会邀请;未受邀为 null")


class LeaveIn(Schema):
    reason: Annotated[Text, Field(min_length=1, max_length=255)]


class SignInIn(Schema):
    token: Annotated[Text, Field(min_length=1, max_length=200)] = Field(
        description="会场大屏二维码中的签到码(二维码网址 …/scan/<签到码>/ 的最后一段)"
    )


def _item(meeting):
    return {
        "id": meeting.pk,
        "title": meeting.title,
        "category": meeting.category,
        "kind": meeting.kind_display,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "state": meeting.state,
        "invited": meeting.invited_count,
        "signed_in": meeting.signed_in_count,
    }


def _invitation(invitation, user):
    if invitation is None:
        return None
    return {
        "id": invitation.pk,
        "state": invitation.state,
        "state_label": invitation.get_state_display(),
        "leave_reason": invitation.leave_reason,
        "signed_in_at": invitation.signed_in_at,
        "available_actions": [
            t.action for t in ATTENDANCE_WORKFLOW.available(invitation, user) if not t.automatic
        ],
    }


def _detail(request, meeting_id):
    meeting = get_object_or_404(
        queries.with_counts(queries.visible_meetings(request.user)), pk=meeting_id
    )
    own = services.own_invitation(meeting=meeting, user=request.user)
    return {
        **_item(meeting),
        "description": meeting.description,
        "half_days": float(meeting.half_days),
        "agenda": list(meeting.agenda.values("position", "title", "presenter")),
        "my_invitation": _invitation(own, request.user),
    }


@router.get(
    "/meetings",
    response={200: MeetingPageOut, **ERROR_RESPONSES},
    summary="会议列表",
    description="委员看到受邀且已通知的会议;机关、领导看到全部。每页 30 条,按开始时间倒序。",
)
def meeting_list(request, query: Query[MeetingQuery]):
    if not request.user.has_perm("meetings.list"):
        raise Http404
    qs = queries.meeting_list(
        request.user, year=query.year, category=query.category, state=query.state
    )
    start = (query.page - 1) * PAGE_SIZE
    return {
        "count": qs.count(),
        "page": query.page,
        "results": [_item(m) for m in qs[start : start + PAGE_SIZE]],
    }


@router.get(
    "/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **ERROR_RESPONSES},
    summary="会议详情",
    description="会议信息、议程和本人的出席情况及可做的操作。",
)
def meeting_detail(request, meeting_id: ObjectId):
    return _detail(request, meeting_id)


def _refuse(exc):
    if isinstance(exc, InvalidTransition):
        raise HttpError(409, str(exc))
    raise HttpError(400, error_messages(exc)[0])


@router.post(
    "/invitations/{invitation_id}/leave",
    response={200: MeetingDetailOut, **WRITE_RESPONSES},
    summary="请假",
    description="受邀委员在会议结束前请假,须填写事由;由会务工作人员审批。",
)
def invitation_leave(request, invitation_id: ObjectId, payload: LeaveIn):
    invitation = get_object_or_404(Invitation.objects.select_related("meeting"), pk=invitation_id)
    if not queries.visible_meetings(request.user).filter(pk=invitation.meeting_id).exists():
        raise Http404
    if not request.user.has_perm("meetings.request_leave", invitation):
        raise Http404
    try:
        services.attendance_act(
            actor=request.user,
            invitation=invitation,
            action="request_leave",
            reason=payload.reason,
        )
    except (ValidationError, InvalidTransition) as exc:
        _refuse(exc)
    return _detail(request, invitation.meeting_id)


@router.post(
    "/meetings/{meeting_id}/sign-in",
    response={200: MeetingDetailOut, **WRITE_RESPONSES},
    summary="扫码签到",
    description="客户端扫描会场大屏上的二维码后提交其中的签到码;签到码几秒钟更换一次,"
    "过期或伪造的签到码被拒绝(400)。重复签到不报错。",
)
def meeting_sign_in(request, meeting_id: ObjectId, payload: SignInIn):
    meeting = get_object_or_404(queries.visible_meetings(request.user), pk=meeting_id)
    try:
        services.check_sign_in_token(meeting=meeting, token=payload.token)
        services.sign_in_by_scan(actor=request.user, meeting=meeting)
    except (ValidationError, InvalidTransition) as exc:
        _refuse(exc)
    return _detail(request, meeting.pk)
