"""Figures of the study app (学习培训) for one committee and one period
(/work/shared/figures.md § Meetings, activities, people).

- ``study_sessions``: collective study sessions (集体学习) held — state 已举办 or 已结束 — whose
  date lies in the period; ``trainings``: the same for trainings (培训).
- ``study_attendances``: attendance rows marked attended (出席) of those sessions and trainings
  (人次).
- ``training_materials``: the sum of the copies of every material distribution dated in the
  period (册), whatever the material's kind.
- ``reading_sessions``: reading-group sessions (书香政协读书活动) held (closed) in the period.
- ``plan_items``: items of the committee's study plans for the calendar years the period
  touches (draft or published); ``plan_items_held``: of those, items with at least one linked
  session held or closed (a 读书 item: a linked reading session held).

The queries filter by committee explicitly, so the function answers the same in the
committee's own scope, an aggregate scope or with scopes disabled (``period_bounds`` needs a
scope for sessions and terms).
"""

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy

from zhengxie.core.grouping import by_committee
from zhengxie.core.periods import dates_between, period_bounds
from zhengxie.study.models import (
    TOOK_PLACE,
    Attendance,
    AttendanceState,
    Distribution,
    ReadingSession,
    ReadingState,
    SessionKind,
    StudyPlanItem,
    StudySession,
)

FIGURE_LABELS = {
    "study_sessions": gettext_lazy("集体学习(次)"),
    "trainings": gettext_lazy("培训(次)"),
    "study_attendances": gettext_lazy("委员参加学习培训(人次)"),
    "training_materials": gettext_lazy("发放学习培训资料(册)"),
    "reading_sessions": gettext_lazy("书香政协读书活动(次)"),
    "plan_items": gettext_lazy("学习计划事项"),
    "plan_items_held": gettext_lazy("已开展计划事项"),
}


def study_figures(*, committee, year=None, session=None, term=None) -> dict:
    """The study figures of ``committee`` for exactly one period (see the module doc)."""
    return study_figures_for(committees=[committee], year=year, session=session, term=term)[
        committee.pk
    ]


def study_figures_for(*, committees, year=None, session=None, term=None) -> dict:
    """``study_figures`` of several committees in one set of grouped queries ({committee id:
    figures}); a session or term belongs to one committee, so then ``committees`` holds it only."""
    ids = [c.pk for c in committees]
    first, last = period_bounds(year=year, session=session, term=term)
    held = StudySession._base_manager.filter(
        dates_between("date", first, last), committee_id__in=ids, state__in=TOOK_PLACE
    )
    by_kind = by_committee(
        held,
        study=Count("pk", filter=Q(kind=SessionKind.STUDY)),
        training=Count("pk", filter=Q(kind=SessionKind.TRAINING)),
    )
    attendances = by_committee(
        Attendance._base_manager.filter(
            committee_id__in=ids, session__in=held, state=AttendanceState.ATTENDED
        ),
        n=Count("pk"),
    )
    copies = by_committee(
        Distribution._base_manager.filter(dates_between("date", first, last), committee_id__in=ids),
        n=Sum("copies"),
    )
    reading = by_committee(
        ReadingSession._base_manager.filter(
            dates_between("date", first, last), committee_id__in=ids, state=ReadingState.CLOSED
        ),
        n=Count("pk"),
    )
    last_year = (last or timezone.localdate()).year
    items = StudyPlanItem._base_manager.filter(
        committee_id__in=ids, plan__year__gte=first.year, plan__year__lte=last_year
    )
    took_place = Exists(
        StudySession._base_manager.filter(plan_item=OuterRef("pk"), state__in=TOOK_PLACE)
    ) | Exists(
        ReadingSession._base_manager.filter(plan_item=OuterRef("pk"), state=ReadingState.CLOSED)
    )
    plan = by_committee(items, n=Count("pk"), held=Count("pk", filter=took_place))
    results = {}
    for pk in ids:
        kinds = by_kind.get(pk, {})
        results[pk] = {
            "study_sessions": kinds.get("study", 0),
            "trainings": kinds.get("training", 0),
            "study_attendances": attendances.get(pk, {}).get("n", 0),
            "training_materials": copies.get(pk, {}).get("n") or 0,
            "reading_sessions": reading.get(pk, {}).get("n", 0),
            "plan_items": plan.get(pk, {}).get("n", 0),
            "plan_items_held": plan.get(pk, {}).get("held", 0),
        }
    return results
