"""The editorial workflow of a public-opinion report, as data: (from, action, to, permission)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.workflow import Transition, Workflow
from zhengxie.opinions.models import OpinionReport, ReportHistory, ReportState

R = ReportState
REVIEWABLE = (R.SUBMITTED, R.UNDER_REVIEW)

REPORT_WORKFLOW = Workflow(
    model=OpinionReport,
    history_model=ReportHistory,
    transitions=[
        Transition((R.DRAFT, R.RETURNED), "submit", R.SUBMITTED, "opinions.submit", _("报送")),
        Transition(R.SUBMITTED, "start_review", R.UNDER_REVIEW, "opinions.review", _("开始编审")),
        Transition(
            R.UNDER_REVIEW,
            "return",
            R.RETURNED,
            "opinions.review",
            _("退回修改"),
            "outline-warning",
        ),
        Transition(REVIEWABLE, "use", R.USED, "opinions.review", _("采用"), "success"),
        Transition(
            REVIEWABLE, "not_use", R.NOT_USED, "opinions.review", _("不采用"), "outline-danger"
        ),
        Transition(R.USED, "approve", R.APPROVED, "opinions.approve", _("审核通过")),
        Transition(R.APPROVED, "sign_off", R.SIGNED_OFF, "opinions.sign_off", _("签发"), "success"),
        Transition(R.SIGNED_OFF, "publish", R.PUBLISHED, "opinions.review", automatic=True),
    ],
)
