"""Activity figures (视察调研) for one committee and one period (/work/shared/figures.md
§ Meetings, activities, people; plan fulfilment as for consultations).

Counting rules:
- An activity counts when it is held (已开展) and its ``starts_on`` lies in the period. It counts
  for the committee that organised it and, for a joint activity (联动, shared with kind
  ``joint``), for every participating committee too.
- ``inspections`` / ``research_activities`` / ``sector_activities``: such activities of category
  视察 / 调研 / 界别活动; ``activities_total``: all categories (incl. 民主监督 and 其他).
- ``research_reports``: reports (调研报告) of research activities the committee counts, by the
  date written (``written_on``) in the period.
- ``activity_participations``: attended participations (人次) of this committee's own members in
  activities held in the period (for a joint activity each committee counts its own members).
- ``plan_items``: items of the committee's plans (topic plan and special-committee plans) for the
  calendar years the period touches; ``plan_items_held``: of those, items with at least one
  held activity.

The queries filter by committee explicitly, so the function answers the same in the
committee's own scope, an aggregate scope or with scopes disabled (``period_bounds`` needs a
scope for sessions and terms). ``activity_figures_for`` counts many committees at once (as an
aggregate report needs) in a fixed number of queries, grouped by committee.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhengxie.activities.models import (
    Activity,
    ActivityReport,
    ActivityState,
    Attendance,
    Category,
    Participation,
    PlanItem,
)
from zhengxie.core.models import Share, ShareKind
from zhengxie.core.periods import dates_between, period_bounds

FIGURE_LABELS = {
    "inspections": gettext_lazy("视察"),
    "research_activities": gettext_lazy("调研"),
    "research_reports": gettext_lazy("调研报告"),
    "sector_activities": gettext_lazy("界别活动"),
    "activities_total": gettext_lazy("活动总数"),
    "activity_participations": gettext_lazy("委员参加活动人次"),
    "plan_items": gettext_lazy("年度计划事项"),
    "plan_items_held": gettext_lazy("已开展计划事项"),
}


def activity_figures(*, committee, year=None, session=None, term=None) -> dict:
    return activity_figures_for(committees=[committee], year=year, session=session, term=term)[
        committee.pk
    ]


def activity_figures_for(*, committees, year=None, session=None, term=None) -> dict:
    """``activity_figures`` of several committees at once ({committee id: figures}) in a fixed
    number of queries: own activities grouped by committee, plus the joint ones shared with each
    committee (organised by another one). A session or term belongs to one committee, so with one
    of those ``committees`` holds that committee only."""
    ids = [c.pk for c in committees]
    first, last = period_bounds(year=year, session=session, term=term)
    in_period = dates_between("starts_on", first, last)
    shares = Share.objects.filter(
        content_type=ContentType.objects.get_for_model(Activity),
        committee_id__in=ids,
        kind=ShareKind.JOINT,
    )
    activities = Activity._base_manager.filter(state=ActivityState.HELD).order_by()
    # {held activity id: the committees of ``ids`` it is shared with as joint work}
    partners = {}
    for committee_id, activity_id in shares.filter(
        object_id__in=activities.values("pk")
    ).values_list("committee_id", "object_id"):
        partners.setdefault(activity_id, []).append(committee_id)
    shared = activities.filter(pk__in=shares.values("object_id"))

    by_category = {pk: {} for pk in ids}
    own = activities.filter(in_period, committee_id__in=ids)
    for row in own.values("committee_id", "category").annotate(n=Count("pk")):
        by_category[row["committee_id"]][row["category"]] = row["n"]
    for activity_id, organiser, category in shared.filter(in_period).values_list(
        "pk", "committee_id", "category"
    ):
        for pk in _joint_partners(partners, activity_id, organiser):
            by_category[pk][category] = by_category[pk].get(category, 0) + 1

    reports = ActivityReport._base_manager.filter(
        dates_between("written_on", first, last),
        activity__category=Category.RESEARCH,
        activity__state=ActivityState.HELD,
    ).order_by()
    research_reports = dict.fromkeys(ids, 0)
    for row in (
        reports.filter(activity__committee_id__in=ids)
        .values("activity__committee_id")
        .annotate(n=Count("pk"))
    ):
        research_reports[row["activity__committee_id"]] += row["n"]
    for row in (
        reports.filter(activity__in=shared)
        .values("activity_id", "activity__committee_id")
        .annotate(n=Count("pk"))
    ):
        for pk in _joint_partners(partners, row["activity_id"], row["activity__committee_id"]):
            research_reports[pk] += row["n"]

    # Members' attended participations: in their own committee's activities (grouped by both
    # committees, kept where they are the same: faster than comparing them in SQL), and in the
    # joint activities shared with their committee.
    attended = Participation._base_manager.filter(
        dates_between("activity__starts_on", first, last),
        committee_id__in=ids,
        attendance=Attendance.ATTENDED,
        activity__state=ActivityState.HELD,
    ).order_by()
    participations = dict.fromkeys(ids, 0)
    for committee_id, organiser, n in (
        attended.values_list("committee_id", "activity__committee_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if committee_id == organiser:
            participations[committee_id] += n
    for committee_id, activity_id, organiser, n in (
        attended.filter(activity__in=shared)
        .values_list("committee_id", "activity_id", "activity__committee_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        if committee_id in _joint_partners(partners, activity_id, organiser):
            participations[committee_id] += n

    last_year = (last or timezone.localdate()).year
    held_for_item = Exists(activities.filter(plan_item=OuterRef("pk")))
    items = {
        row["committee_id"]: row
        for row in PlanItem._base_manager.filter(
            committee_id__in=ids, plan__year__gte=first.year, plan__year__lte=last_year
        )
        .values("committee_id")
        .annotate(n=Count("pk"), held=Count("pk", filter=held_for_item))
        .order_by()
    }

    figures = {}
    for pk in ids:
        counts = by_category[pk]
        plan = items.get(pk, {"n": 0, "held": 0})
        figures[pk] = {
            "inspections": counts.get(Category.INSPECTION, 0),
            "research_activities": counts.get(Category.RESEARCH, 0),
            "research_reports": research_reports[pk],
            "sector_activities": counts.get(Category.SECTOR, 0),
            "activities_total": sum(counts.values()),
            "activity_participations": participations[pk],
            "plan_items": plan["n"],
            "plan_items_held": plan["held"],
        }
    return figures


def _joint_partners(partners, activity_id, organiser):
    """The committees that count ``activity_id`` as a joint activity (the organiser counts it as
    its own, once)."""
    return [pk for pk in partners.get(activity_id, ()) if pk != organiser]
