"""The supervision app's part of the cross-committee route walk (see tests/test_isolation.py)."""

from zhengxie.supervision.models import (
    Appraisal,
    GroupMember,
    SupervisionGroup,
    SupervisionLetter,
    SupervisionTopic,
)


def build(committee, world):
    """Records of the supervision app in ``committee``; ``world`` holds the base records."""
    topic = SupervisionTopic.objects.create(
        committee=committee, title="专项民主监督", starts_year=2026
    )
    group = SupervisionGroup.objects.create(
        committee=committee, year=2026, name="第一民主监督小组", unit=world["unit"], topic=topic
    )
    GroupMember.objects.create(
        committee=committee, group=group, membership=world["membership"], role="leader"
    )
    letter = SupervisionLetter.objects.create(
        committee=committee, group=group, title="民主监督建议书", text="正文", state="sent"
    )
    appraisal = Appraisal.objects.create(committee=committee, year=2026, title="民主评议")
    return {
        "supervision_topic": topic,
        "supervision_group": group,
        "supervision_letter": letter,
        "supervision_appraisal": appraisal,
    }


def _by(key):
    return lambda w, i: {"pk": i(w[key])}


# route name -> how to build its kwargs from a world and the id to use
FOREIGN = {
    "supervision:group_detail": _by("supervision_group"),
    "supervision:group_edit": _by("supervision_group"),
    "supervision:group_activity_add": _by("supervision_group"),
    "supervision:letter_create": _by("supervision_group"),
    "supervision:letter_detail": _by("supervision_letter"),
    "supervision:letter_edit": _by("supervision_letter"),
    "supervision:letter_send": _by("supervision_letter"),
    "supervision:letter_answer": _by("supervision_letter"),
    "supervision:letter_recheck": _by("supervision_letter"),
    "supervision:letter_recommendation_add": _by("supervision_letter"),
    "supervision:topic_detail": _by("supervision_topic"),
    "supervision:topic_edit": _by("supervision_topic"),
    "supervision:topic_share": _by("supervision_topic"),
    "supervision:appraisal_detail": _by("supervision_appraisal"),
    "supervision:appraisal_export": _by("supervision_appraisal"),
}
# Routes addressed by committee code rather than the user's committee (tested elsewhere).
PUBLIC_ROUTES = set()
