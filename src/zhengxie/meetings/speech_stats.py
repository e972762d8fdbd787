"""Figures on plenary speeches (大会发言), shared/figures.md: speeches submitted in a period
(drafts and withdrawn ones never count), those in the 民生 grouping and their share, and how
many were chosen as oral or written speeches."""

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
    counts = speeches_in_period(
        committee=committee, year=year, session=session, term=term
    ).aggregate(
        total=Count("pk"),
        livelihood=Count("pk", filter=Q(category__is_livelihood=True)),
        oral=Count("pk", filter=Q(state=SpeechState.ORAL)),
        written=Count("pk", filter=Q(state=SpeechState.WRITTEN)),
    )
    total = counts["total"]
    return {
        "plenary_speeches": total,
        "livelihood_speeches": counts["livelihood"],
        "livelihood_speech_share": round(counts["livelihood"] / total, 4) if total else 0.0,
        "oral_speeches": counts["oral"],
        "written_speeches": counts["written"],
    }
