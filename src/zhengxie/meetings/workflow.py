"""The state machines of meetings, attendance and plenary speeches, as data:
(from, action, to, permission)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.workflow import Transition, Workflow
from zhengxie.meetings.models import (
    AttendanceState,
    Invitation,
    InvitationHistory,
    Meeting,
    MeetingHistory,
    MeetingState,
    Speech,
    SpeechHistory,
    SpeechState,
)

M = MeetingState
MEETING_WORKFLOW = Workflow(
    model=Meeting,
    history_model=MeetingHistory,
    transitions=[
        Transition((M.DRAFT, M.NOTIFIED), "notify", M.NOTIFIED, "meetings.manage", _("发送通知")),
        Transition(
            (M.DRAFT, M.NOTIFIED), "open_sign_in", M.SIGNING_IN, "meetings.manage", _("开始签到")
        ),
        Transition(
            (M.NOTIFIED, M.SIGNING_IN),
            "close",
            M.CLOSED,
            "meetings.manage",
            _("结束会议"),
            "success",
        ),
        # Meetings nobody closed are closed by the periodic job a day after they end.
        Transition(
            (M.NOTIFIED, M.SIGNING_IN), "auto_close", M.CLOSED, "meetings.manage", automatic=True
        ),
        Transition(
            (M.DRAFT, M.NOTIFIED),
            "cancel",
            M.CANCELLED,
            "meetings.manage",
            _("取消会议"),
            "outline-danger",
        ),
    ],
)

A = AttendanceState
ATTENDANCE_WORKFLOW = Workflow(
    model=Invitation,
    history_model=InvitationHistory,
    transitions=[
        # A member signs in by scanning the QR code (checked by the service, not by a button).
        Transition(
            (A.INVITED, A.LEAVE_REQUESTED, A.LEAVE_APPROVED),
            "sign_in",
            A.SIGNED_IN,
            "meetings.sign_in",
            automatic=True,
        ),
        Transition(
            (A.INVITED, A.LEAVE_REQUESTED, A.LEAVE_APPROVED, A.ABSENT),
            "mark_signed_in",
            A.SIGNED_IN,
            "meetings.record_attendance",
            _("登记签到"),
            "success",
        ),
        Transition(
            A.INVITED, "request_leave", A.LEAVE_REQUESTED, "meetings.request_leave", _("请假")
        ),
        # A member who phoned the office: staff record the leave as approved at once.
        Transition(
            A.INVITED,
            "record_leave",
            A.LEAVE_APPROVED,
            "meetings.record_attendance",
            _("登记请假"),
            "outline-warning",
        ),
        Transition(
            A.LEAVE_REQUESTED,
            "approve_leave",
            A.LEAVE_APPROVED,
            "meetings.record_attendance",
            _("同意请假"),
        ),
        Transition(
            A.LEAVE_REQUESTED,
            "decline_leave",
            A.INVITED,
            "meetings.record_attendance",
            _("不同意请假"),
            "outline-warning",
        ),
        Transition(
            (A.INVITED, A.LEAVE_REQUESTED, A.SIGNED_IN),
            "mark_absent",
            A.ABSENT,
            "meetings.record_attendance",
            _("登记缺席"),
            "outline-danger",
        ),
        Transition(
            (A.INVITED, A.LEAVE_REQUESTED),
            "close_absent",
            A.ABSENT,
            "meetings.record_attendance",
            automatic=True,
        ),
        Transition(
            (A.INVITED, A.LEAVE_REQUESTED, A.LEAVE_APPROVED),
            "cancel",
            A.CANCELLED,
            "meetings.record_attendance",
            _("取消邀请"),
            "outline-secondary",
        ),
    ],
)

S = SpeechState
SPEECH_WORKFLOW = Workflow(
    model=Speech,
    history_model=SpeechHistory,
    transitions=[
        Transition(S.DRAFT, "submit", S.SUBMITTED, "meetings.submit_speech", _("提交")),
        Transition(
            (S.DRAFT, S.SUBMITTED),
            "withdraw",
            S.WITHDRAWN,
            "meetings.submit_speech",
            _("撤回"),
            "outline-secondary",
        ),
        Transition(
            (S.SUBMITTED, S.WRITTEN, S.NOT_USED),
            "choose_oral",
            S.ORAL,
            "meetings.review_speech",
            _("安排大会口头发言"),
            "success",
        ),
        Transition(
            (S.SUBMITTED, S.ORAL, S.NOT_USED),
            "choose_written",
            S.WRITTEN,
            "meetings.review_speech",
            _("作为书面发言"),
        ),
        Transition(
            (S.SUBMITTED, S.ORAL, S.WRITTEN),
            "not_use",
            S.NOT_USED,
            "meetings.review_speech",
            _("不采用"),
            "outline-danger",
        ),
    ],
)
