"""The study app's part of the cross-committee route walk (see tests/test_isolation.py)."""

import datetime

from django_scopes import scopes_disabled


def build(committee, world):
    """Records of the study app in ``committee``; ``world`` holds the base records."""
    from zhengxie.study.models import (
        Attendance,
        Distribution,
        ReadingAttendance,
        ReadingGroup,
        ReadingSession,
        StudyMaterial,
        StudyPlan,
        StudyPlanItem,
        StudySession,
    )

    membership = world["membership"]
    plan = StudyPlan.objects.create(committee=committee, year=2026, title="2026年度学习计划")
    item = StudyPlanItem.objects.create(
        committee=committee, plan=plan, position=1, topic="学习党的二十届四中全会精神",
        kind="study", planned_month=3, audience="all",
    )  # fmt: skip
    session = StudySession.objects.create(
        committee=committee,
        kind="training",
        title="新任委员履职培训",
        plan_item=item,
        date=datetime.date(2026, 3, 12),
        signup_open=True,
    )
    attendance = Attendance.objects.create(
        committee=committee, session=session, membership=membership
    )
    material = StudyMaterial.objects.create(committee=committee, title="政协章程", kind="book")
    distribution = Distribution.objects.create(
        committee=committee, material=material, date=datetime.date(2026, 3, 12), copies=50
    )
    group = ReadingGroup.objects.create(committee=committee, name="书香政协读书小组")
    with scopes_disabled():
        group.members.set([membership])
    reading = ReadingSession.objects.create(
        committee=committee, group=group, date=datetime.date(2026, 4, 23), book_title="《之江新语》"
    )
    reading_attendance = ReadingAttendance.objects.create(
        committee=committee, session=reading, membership=membership
    )
    return {
        "study_plan": plan,
        "study_item": item,
        "study_session": session,
        "study_attendance": attendance,
        "study_material": material,
        "study_distribution": distribution,
        "study_group": group,
        "study_reading": reading,
        "study_reading_attendance": reading_attendance,
    }


def _by(key):
    return lambda w, i: {"pk": i(w[key])}


# route name -> how to build its kwargs from a world and the id to use
FOREIGN = {
    "study:plan_detail": _by("study_plan"),
    "study:plan_edit": _by("study_plan"),
    "study:plan_act": lambda w, i: {"pk": i(w["study_plan"]), "action": "publish"},
    "study:item_add": _by("study_plan"),
    "study:item_edit": _by("study_item"),
    "study:item_delete": _by("study_item"),
    "study:session_detail": _by("study_session"),
    "study:session_edit": _by("study_session"),
    "study:session_act": lambda w, i: {"pk": i(w["study_session"]), "action": "hold"},
    "study:session_invite": _by("study_session"),
    "study:session_attendance": _by("study_session"),
    "study:session_sign_up": _by("study_session"),
    "study:session_withdraw": _by("study_session"),
    "study:material_detail": _by("study_material"),
    "study:material_edit": _by("study_material"),
    "study:distribution_add": _by("study_material"),
    "study:distribution_remove": _by("study_distribution"),
    "study:group_detail": _by("study_group"),
    "study:group_edit": _by("study_group"),
    "study:reading_session_create": _by("study_group"),
    "study:reading_session_detail": _by("study_reading"),
    "study:reading_attendance": _by("study_reading"),
    "study:reading_notes": _by("study_reading"),
    "study:reading_session_act": lambda w, i: {"pk": i(w["study_reading"]), "action": "close"},
}
# Routes addressed by committee code rather than the user's committee.
PUBLIC_ROUTES = set()
