"""The state machines of the places app, as data: (from, action, to, permission)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.workflow import Transition, Workflow
from zhengxie.places.models import (
    IssueHistory,
    IssueState,
    ReceptionRoom,
    ResidentIssue,
    RoomHistory,
    RoomState,
)

R = RoomState
ROOM_WORKFLOW = Workflow(
    model=ReceptionRoom,
    history_model=RoomHistory,
    transitions=[
        Transition(R.SETTING_UP, "activate", R.IN_USE, "places.manage", _("投入使用"), "success"),
        Transition(R.IN_USE, "suspend", R.SUSPENDED, "places.manage", _("停用"), "outline-danger"),
        Transition(R.SUSPENDED, "resume", R.IN_USE, "places.manage", _("恢复使用")),
    ],
)

S = IssueState
ISSUE_WORKFLOW = Workflow(
    model=ResidentIssue,
    history_model=IssueHistory,
    transitions=[
        Transition(S.PENDING, "to_opinion", S.TO_OPINION, "places.route_issue", _("转社情民意")),
        Transition(S.PENDING, "to_proposal", S.TO_PROPOSAL, "places.route_issue", _("转提案")),
        Transition(S.PENDING, "to_unit", S.TO_UNIT, "places.route_to_unit", _("转交单位")),
        Transition(S.PENDING, "on_spot", S.ON_SPOT, "places.route_issue", _("当场解答"), "success"),
    ],
)
ISSUE_ACTIONS = tuple(t.action for t in ISSUE_WORKFLOW.transitions)
