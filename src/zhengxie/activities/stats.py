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
scope for sessions and terms).
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
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


def counted_activities(committee):
    """Activities the committee counts: its own and joint ones shared with it (any state)."""
    joint = Share.objects.filter(
        content_type=ContentType.objects.get_for_model(Activity),
        committee=committee,
        kind=ShareKind.JOINT,
    ).values("object_id")
    return Activity._base_manager.filter(Q(committee=committee) | Q(pk__in=joint))


def activity_figures(*, committee, year=None, session=None, term=None) -> dict:
    first, last = period_bounds(year=year, session=session, term=term)
    held = counted_activities(committee).filter(
        dates_between("starts_on", first, last), state=ActivityState.HELD
    )
    by_category = dict(held.values_list("category").annotate(n=Count("pk")).order_by())
    research_reports = ActivityReport._base_manager.filter(
        dates_between("written_on", first, last),
        activity__in=counted_activities(committee).filter(
            category=Category.RESEARCH, state=ActivityState.HELD
        ),
    ).count()
    participations = Participation._base_manager.filter(
        committee=committee,
        attendance=Attendance.ATTENDED,
        activity__state=ActivityState.HELD,
        activity__in=held,
    ).count()
    last_year = (last or timezone.localdate()).year
    items = PlanItem._base_manager.filter(
        committee=committee, plan__year__gte=first.year, plan__year__lte=last_year
    )
    items_held = items.filter(
        Exists(Activity._base_manager.filter(plan_item=OuterRef("pk"), state=ActivityState.HELD))
    )
    return {
        "inspections": by_category.get(Category.INSPECTION, 0),
        "research_activities": by_category.get(Category.RESEARCH, 0),
        "research_reports": research_reports,
        "sector_activities": by_category.get(Category.SECTOR, 0),
        "activities_total": sum(by_category.values()),
        "activity_participations": participations,
        "plan_items": items.count(),
        "plan_items_held": items_held.count(),
    }
