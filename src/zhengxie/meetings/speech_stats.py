"""Figures on plenary speeches (大会发言), shared/figures.md: speeches submitted in a period
(drafts and withdrawn ones never count), those in the 民生 grouping and their share, and how
many were chosen as oral or written speeches. ``speech_figures_for`` counts many committees in
one query grouped by committee (as an aggregate report needs)."""

from django.db.models import Count, Q

from zhengxie.core.periods import moments_between, period_bounds
from zhengxie.meetings.models import SUBMITTED_SPEECH_STATES, Speech, SpeechState


def speeches_in_period(*, committee, year=None, session=None, term=None):
    """The submitted speeches counted for a period: for a session, that session's speeches;
    for a year or a term, those submitted (Asia/Shanghai date) within it."""
    qs = Speech.objects.filter(committee=committee, state__in=SUBMITTED_SPEECH_STATES)
    if session is not None:
        return qs.filter(session=session)
    first, last = period_bounds(year=year, term=term)
    return qs.filter(moments_between("submitted_at", first, last))


def speech_figures(*, committee, year=None, session=None, term=None) -> dict:
    return speech_figures_for(committees=[committee], year=year, session=session, term=term)[
        committee.pk
    ]


def speech_figures_for(*, committees, year=None, session=None, term=None) -> dict:
    """``speech_figures`` of several committees at once ({committee id: figures}), in one query
    grouped by committee (unscoped: it filters by committee explicitly). A session or
    term belongs to one committee, so with one of those ``committees`` holds that committee only."""
    ids = [c.pk for c in committees]
    qs = Speech._base_manager.filter(committee_id__in=ids, state__in=SUBMITTED_SPEECH_STATES)
    if session is not None:
        qs = qs.filter(session=session)
    else:
        first, last = period_bounds(year=year, term=term)
        qs = qs.filter(moments_between("submitted_at", first, last))
    rows = {
        row["committee_id"]: row
        for row in qs.values("committee_id")
        .annotate(
            total=Count("pk"),
            livelihood=Count("pk", filter=Q(category__is_livelihood=True)),
            oral=Count("pk", filter=Q(state=SpeechState.ORAL)),
            written=Count("pk", filter=Q(state=SpeechState.WRITTEN)),
        )
        .order_by()
    }
    figures = {}
    for pk in ids:
        counts = rows.get(pk, {"total": 0, "livelihood": 0, "oral": 0, "written": 0})
        total = counts["total"]
        figures[pk] = {
            "plenary_speeches": total,
            "livelihood_speeches": counts["livelihood"],
            "livelihood_speech_share": round(counts["livelihood"] / total, 4) if total else 0.0,
            "oral_speeches": counts["oral"],
            "written_speeches": counts["written"],
        }
    return figures
