"""The news workflow as data: (from, action, to, permission). Editors write and submit; a
reviewer other than the author approves (published) or returns it to draft with a reason;
a published item can be withdrawn (its history kept) and edited again."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.workflow import Transition, Workflow
from zhengxie.portal.models import NewsHistory, NewsItem, NewsState

S = NewsState
NEWS_WORKFLOW = Workflow(
    model=NewsItem,
    history_model=NewsHistory,
    transitions=[
        Transition(S.DRAFT, "submit", S.IN_REVIEW, "portal.edit_news", _("提交审核")),
        Transition(S.IN_REVIEW, "approve", S.PUBLISHED, "portal.review_news", _("审核通过并发布"),
                   "success"),
        Transition(S.IN_REVIEW, "return", S.DRAFT, "portal.review_news", _("退回修改"),
                   "outline-danger"),
        Transition(S.PUBLISHED, "withdraw", S.WITHDRAWN, "portal.withdraw_news", _("撤回"),
                   "outline-danger"),
        Transition(S.WITHDRAWN, "revise", S.DRAFT, "portal.edit_news", _("重新编辑"),
                   "outline-secondary"),
    ],
)  # fmt: skip
# Actions that need a written reason (shown to the author and kept in the history).
REASON_ACTIONS = ("return", "withdraw")
REVIEW_ACTIONS = ("approve", "return")
