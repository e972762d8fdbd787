"""The notice state machine, as data: (from, action, to, permission)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.workflow import Transition, Workflow
from zhengxie.notices.models import Notice, NoticeHistory, NoticeState

S = NoticeState
NOTICE_WORKFLOW = Workflow(
    model=Notice,
    history_model=NoticeHistory,
    transitions=[
        Transition(S.DRAFT, "send", S.SENT, "notices.manage", _("发送"), "danger"),
        Transition(S.SENT, "withdraw", S.WITHDRAWN, "notices.manage", _("撤回"), "outline-danger"),
    ],
)
