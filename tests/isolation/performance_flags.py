"""Exit flags and duty claims in the cross-committee route walk (see tests/test_isolation.py);
the lead merges these into tests/isolation/performance.py."""

import datetime

from zhengxie.performance.models import DutyClaim, ExitFlag


def build(committee, world):
    """An open exit flag and a submitted duty claim on ``world["membership"]``."""
    membership = world["membership"]
    flag = ExitFlag.objects.create(
        committee=committee,
        membership=membership,
        rule_kind="absences",
        key="absences:plenary:consecutive",
        description="连续2次无故缺席全体会议",
        evidence=[],
        raised_on=datetime.date(2026, 6, 1),
    )
    claim = DutyClaim.objects.create(
        committee=committee,
        membership=membership,
        kind="research",
        sub_kind="participant",
        occurred_on=datetime.date(2026, 5, 1),
        title="参加市政协调研",
        description="随市政协调研组调研",
    )
    return {"exit_flag": flag, "duty_claim": claim}


def _flag(w, i):
    return {"pk": i(w["exit_flag"])}


def _claim(w, i):
    return {"pk": i(w["duty_claim"])}


# route name -> how to build its kwargs from a world and the id to use
FOREIGN = {
    "performance:flag_detail": _flag,
    "performance:flag_action": lambda w, i: {"pk": i(w["exit_flag"]), "action": "talk"},
    "performance:claim_detail": _claim,
    "performance:claim_action": lambda w, i: {"pk": i(w["duty_claim"]), "action": "withdraw"},
}
# Routes addressed by committee code rather than the user's committee (tested elsewhere).
PUBLIC_ROUTES = set()
