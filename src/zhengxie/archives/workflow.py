"""The state machines of the archives app, as data: (from, action, to, permission)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.archives.models import (
    Campaign,
    CampaignHistory,
    CampaignState,
    Material,
    MaterialHistory,
    MaterialState,
    Volume,
    VolumeHistory,
    VolumeState,
)
from zhengxie.core.workflow import Transition, Workflow

C = CampaignState
CAMPAIGN_WORKFLOW = Workflow(
    model=Campaign,
    history_model=CampaignHistory,
    transitions=[
        Transition(C.OPEN, "close", C.CLOSED, "archives.manage", _("截止征集"), "outline-danger"),
        Transition(C.CLOSED, "reopen", C.OPEN, "archives.manage", _("重新开放")),
    ],
)

M = MaterialState
MATERIAL_WORKFLOW = Workflow(
    model=Material,
    history_model=MaterialHistory,
    transitions=[
        Transition(M.SUBMITTED, "accept", M.ACCEPTED, "archives.review", _("采用"), "success"),
        Transition(
            M.SUBMITTED, "return", M.RETURNED, "archives.review", _("退回"), "outline-danger"
        ),
        Transition(M.RETURNED, "resubmit", M.SUBMITTED, "archives.resubmit", _("重新提交")),
    ],
)

V = VolumeState
VOLUME_WORKFLOW = Workflow(
    model=Volume,
    history_model=VolumeHistory,
    transitions=[
        Transition(V.COLLECTING, "start_editing", V.EDITING, "archives.manage", _("开始编辑")),
        Transition(
            V.EDITING, "back_to_collecting", V.COLLECTING, "archives.manage", _("退回征集"),
            "outline-secondary",
        ),
        Transition(V.EDITING, "publish", V.PUBLISHED, "archives.manage", _("出版"), "success"),
    ],
)  # fmt: skip
