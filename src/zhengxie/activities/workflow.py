"""The life of an activity, as data: (from, action, to, permission).

planned ──open──▶ open (报名中) ──hold──▶ held (已开展)
   └────────────hold──────────────┘
planned / open ──cancel──▶ cancelled
"""

from django.utils.translation import gettext_lazy as _

from zhengxie.activities.models import Activity, ActivityHistory, ActivityState
from zhengxie.core.workflow import Transition, Workflow

S = ActivityState
NOT_YET_HELD = (S.PLANNED, S.OPEN)

ACTIVITY_WORKFLOW = Workflow(
    model=Activity,
    history_model=ActivityHistory,
    transitions=[
        Transition(S.PLANNED, "open", S.OPEN, "activities.edit", _("开放报名")),
        Transition(
            S.OPEN, "close", S.PLANNED, "activities.edit", _("停止报名"), "outline-secondary"
        ),
        Transition(NOT_YET_HELD, "hold", S.HELD, "activities.edit", _("确认已开展"), "success"),
        Transition(
            NOT_YET_HELD, "cancel", S.CANCELLED, "activities.edit", _("取消活动"), "outline-danger"
        ),
    ],
)
