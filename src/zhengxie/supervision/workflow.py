"""The life of a recommendation letter (民主监督建议书), as data: (from, action, to, permission).

draft ──send──▶ sent ──answer──▶ answered ──recheck──▶ rechecked
"""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.workflow import Transition, Workflow
from zhengxie.supervision.models import LetterHistory, LetterState, SupervisionLetter

L = LetterState

LETTER_WORKFLOW = Workflow(
    model=SupervisionLetter,
    history_model=LetterHistory,
    transitions=[
        Transition(L.DRAFT, "send", L.SENT, "supervision.manage", _("送达单位"), "success"),
        Transition(L.SENT, "answer", L.ANSWERED, "supervision.answer_letter", _("登记答复")),
        Transition(L.ANSWERED, "recheck", L.RECHECKED, "supervision.manage", _("登记回头看")),
    ],
)
