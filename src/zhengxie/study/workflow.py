"""The state machines of the study app, as data: (from, action, to, permission).

plan:            draft ──publish──▶ published
study session:   planned ──hold──▶ held ──close──▶ closed (ledger rows written once)
                 planned ──cancel──▶ cancelled
reading session: planned ──close──▶ closed (ledger rows written once)
                 planned ──cancel──▶ cancelled
"""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.workflow import Transition, Workflow
from zhengxie.study.models import (
    PlanState,
    ReadingSession,
    ReadingSessionHistory,
    ReadingState,
    SessionState,
    StudyPlan,
    StudyPlanHistory,
    StudySession,
    StudySessionHistory,
)

P = PlanState
PLAN_WORKFLOW = Workflow(
    model=StudyPlan,
    history_model=StudyPlanHistory,
    transitions=[
        Transition(P.DRAFT, "publish", P.PUBLISHED, "study.manage", _("发布计划"), "success"),
    ],
)

S = SessionState
SESSION_WORKFLOW = Workflow(
    model=StudySession,
    history_model=StudySessionHistory,
    transitions=[
        Transition(S.PLANNED, "hold", S.HELD, "study.manage", _("确认已举办"), "success"),
        Transition(S.HELD, "close", S.CLOSED, "study.manage", _("结束并记入履职"), "success"),
        Transition(S.PLANNED, "cancel", S.CANCELLED, "study.manage", _("取消"), "outline-danger"),
    ],
)

R = ReadingState
READING_WORKFLOW = Workflow(
    model=ReadingSession,
    history_model=ReadingSessionHistory,
    transitions=[
        Transition(R.PLANNED, "close", R.CLOSED, "study.manage", _("结束并记入履职"), "success"),
        Transition(R.PLANNED, "cancel", R.CANCELLED, "study.manage", _("取消"), "outline-danger"),
    ],
)
