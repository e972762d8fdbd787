"""Figures of the notices app (通知公告) for one period, shown on the staff list page only
(not part of the reports catalogue).

- ``notices_sent``: notices sent in the period (by the day they were sent) and not withdrawn.
- ``notice_recipients``: recipient rows of those notices (one per member it went to).
- ``notice_read_rate``: of those rows, the share read at least once (0..1), or None when
  there are none.

The queries filter by committee explicitly, so the function answers the same in the
committee's own scope, an aggregate scope or with scopes disabled (``period_bounds`` needs a
scope for sessions and terms).
"""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from zhengxie.core.periods import moments_between, period_bounds
from zhengxie.notices.models import Notice, NoticeState, Recipient

FIGURE_LABELS = {
    "notices_sent": gettext_lazy("发出通知"),
    "notice_recipients": gettext_lazy("送达委员(人次)"),
    "notice_read_rate": gettext_lazy("阅读率"),
}


def notice_figures(*, committee, year=None, session=None, term=None) -> dict:
    first, last = period_bounds(year=year, session=session, term=term)
    sent = Notice._base_manager.filter(
        moments_between("sent_at", first, last), committee=committee, state=NoticeState.SENT
    )
    rows = Recipient._base_manager.filter(committee=committee, notice__in=sent).aggregate(
        total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False))
    )
    return {
        "notices_sent": sent.count(),
        "notice_recipients": rows["total"],
        "notice_read_rate": rows["read"] / rows["total"] if rows["total"] else None,
    }
