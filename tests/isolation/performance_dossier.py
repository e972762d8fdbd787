"""The dossier, duty report and political check part of the performance app's route walk (see
tests/test_isolation.py); the lead merges it into tests/isolation/performance.py."""

from zhengxie.performance.models import DutyReport, PoliticalCheck


def build(committee, world):
    """Records of this part in ``committee``; ``world`` holds the base records."""
    membership = world["membership"]
    report = DutyReport.objects.create(
        committee=committee, membership=membership, year=2026, draft="初稿", text="初稿"
    )
    check = PoliticalCheck.objects.create(
        committee=committee, membership=membership, year=2026, answers={}
    )
    return {"duty_report": report, "political_check": check}


def _membership(w, i):
    return {"membership_pk": i(w["membership"])}


# route name -> how to build its kwargs from a world and the id to use
FOREIGN = {
    "performance:dossier": _membership,
    "performance:dossier_docx": _membership,
    "performance:report_detail": lambda w, i: {"pk": i(w["duty_report"])},
    "performance:check_detail": lambda w, i: {"pk": i(w["political_check"])},
}
# Routes addressed by committee code rather than the user's committee (tested elsewhere).
PUBLIC_ROUTES = set()
