"""The proposal and assignment state machines, as data: (from, action, to, permission).

Buttons on pages and ``available_actions`` in the API are read from these tables; services
perform the actions (``services.proposal_act`` / ``services.assignment_act``).
"""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.workflow import Transition, Workflow
from zhengxie.proposals.models import (
    Assignment,
    AssignmentHistory,
    AssignmentState,
    Proposal,
    ProposalHistory,
    ProposalState,
)

P = ProposalState
A = AssignmentState
REVIEWABLE = (P.SUBMITTED, P.UNDER_REVIEW)

PROPOSAL_WORKFLOW = Workflow(
    model=Proposal,
    history_model=ProposalHistory,
    transitions=[
        Transition((P.DRAFT, P.RETURNED), "submit", P.SUBMITTED, "proposals.submit", _("提交")),
        # A joint draft's "submit" first collects signatures (services.proposal_submit decides).
        Transition(
            P.DRAFT,
            "collect_signatures",
            P.COLLECTING_SIGNATURES,
            "proposals.submit",
            automatic=True,
        ),
        Transition(
            P.COLLECTING_SIGNATURES, "submit", P.SUBMITTED, "proposals.submit", _("结束联名并提交")
        ),
        Transition(
            (P.DRAFT, P.COLLECTING_SIGNATURES, P.SUBMITTED, P.RETURNED),
            "withdraw",
            P.WITHDRAWN,
            "proposals.withdraw",
            _("撤回"),
            "outline-secondary",
        ),
        Transition(P.SUBMITTED, "start_review", P.UNDER_REVIEW, "proposals.review", _("开始审查")),
        Transition(
            P.UNDER_REVIEW,
            "return",
            P.RETURNED,
            "proposals.review",
            _("退回修改"),
            "outline-warning",
        ),
        Transition(REVIEWABLE, "register", P.REGISTERED, "proposals.review", _("立案"), "success"),
        Transition(
            REVIEWABLE,
            "not_register",
            P.NOT_REGISTERED,
            "proposals.review",
            _("不予立案"),
            "outline-danger",
        ),
        Transition(
            REVIEWABLE,
            "to_opinion_letter",
            P.TO_OPINION_LETTER,
            "proposals.review",
            _("转意见建议"),
            "outline-secondary",
        ),
        Transition(
            REVIEWABLE,
            "to_public_opinion",
            P.TO_PUBLIC_OPINION,
            "proposals.review",
            _("转社情民意"),
            "outline-secondary",
        ),
        Transition(
            REVIEWABLE, "merge", P.MERGED, "proposals.review", _("并案"), "outline-secondary"
        ),
        Transition(P.REGISTERED, "assign", P.ASSIGNED, "proposals.assign", _("交办")),
        Transition(P.ASSIGNED, "mark_replied", P.REPLIED, "proposals.assign", automatic=True),
        Transition(P.REPLIED, "reopen", P.ASSIGNED, "proposals.assign", automatic=True),
        Transition(P.REPLIED, "finish", P.CLOSED, "proposals.assign", automatic=True),
        Transition(P.REPLIED, "close", P.CLOSED, "proposals.close", _("办结"), "outline-success"),
    ],
)

ASSIGNMENT_WORKFLOW = Workflow(
    model=Assignment,
    history_model=AssignmentHistory,
    transitions=[
        Transition(A.PENDING, "accept", A.ACCEPTED, "proposals.handle", _("签收")),
        Transition(
            (A.PENDING, A.ACCEPTED),
            "request_return",
            A.RETURN_REQUESTED,
            "proposals.handle",
            _("申请退回"),
            "outline-warning",
        ),
        Transition(
            A.RETURN_REQUESTED,
            "approve_return",
            A.RETURNED,
            "proposals.decide_return",
            _("同意退回"),
            "outline-warning",
        ),
        Transition(
            A.RETURN_REQUESTED,
            "deny_return",
            A.ACCEPTED,
            "proposals.decide_return",
            _("不同意退回"),
        ),
        Transition(
            (A.ACCEPTED, A.REHANDLING), "contact", A.CONTACTED, "proposals.contact", _("办前沟通")
        ),
        Transition(
            (A.ACCEPTED, A.CONTACTED), "send_view", A.DONE, "proposals.send_view", _("提交会办意见")
        ),
        Transition(A.CONTACTED, "reply", A.REPLIED, "proposals.reply", _("答复")),
        Transition(A.ACCEPTED, "reply", A.REPLIED, "proposals.reply_letter", _("书面答复")),
        Transition(A.REPLIED, "rate", A.RATED, "proposals.rate", _("评价")),
        Transition(A.RATED, "rehandle", A.REHANDLING, "proposals.rate", automatic=True),
        Transition((A.RATED, A.REPLIED), "finish", A.DONE, "proposals.rate", automatic=True),
        Transition(
            A.RATED, "close", A.DONE, "proposals.close", _("办结(书面说明)"), "outline-success"
        ),
    ],
)
