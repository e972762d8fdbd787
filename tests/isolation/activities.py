"""The activities app's part of the cross-committee route walk (see tests/test_isolation.py)."""

import datetime


def build(committee, world):
    """Records of the activities app in ``committee``; ``world`` holds the base records."""
    from zhengxie.activities.models import (
        Activity,
        ActivityReport,
        Participation,
        Plan,
        PlanItem,
    )

    plan = Plan.objects.create(committee=committee, year=2026, kind="topics", title="年度计划")
    item = PlanItem.objects.create(
        committee=committee, plan=plan, position=1, topic="河长制落实情况", category="inspection"
    )
    activity = Activity.objects.create(
        committee=committee,
        title="河长制落实情况视察",
        category="inspection",
        starts_on=datetime.date(2026, 5, 12),
        state="held",
        plan_item=item,
    )
    participation = Participation.objects.create(
        committee=committee, activity=activity, membership=world["membership"], how="assigned"
    )
    report = ActivityReport.objects.create(
        committee=committee,
        activity=activity,
        title="视察报告",
        written_on=datetime.date(2026, 5, 20),
    )
    return {
        "activity": activity,
        "activity_participation": participation,
        "activity_report": report,
        "activity_plan": plan,
        "activity_plan_item": item,
    }


def _activity(w, i):
    return {"pk": i(w["activity"])}


def _plan(w, i):
    return {"pk": i(w["activity_plan"])}


def _item(w, i):
    return {"pk": i(w["activity_plan_item"])}


# route name -> how to build its kwargs from a world and the id to use
FOREIGN = {
    "activities:detail": _activity,
    "activities:edit": _activity,
    "activities:act": lambda w, i: {"pk": i(w["activity"]), "action": "cancel"},
    "activities:sign_up": _activity,
    "activities:withdraw": _activity,
    "activities:assign": _activity,
    "activities:remove_participant": lambda w, i: {
        "pk": i(w["activity"]),
        "participation_pk": i(w["activity_participation"]),
    },
    "activities:attendance": _activity,
    "activities:report_add": _activity,
    "activities:report_edit": lambda w, i: {"pk": i(w["activity_report"])},
    "activities:share": _activity,
    "activities:plan_detail": _plan,
    "activities:plan_item_add": _plan,
    "activities:plan_item_edit": _item,
    "activities:plan_item_delete": _item,
}
# Routes addressed by committee code rather than the user's committee (tested elsewhere).
PUBLIC_ROUTES = set()
