"""Reads of the notices app: what each role may see, with the counts the pages need.

Receipts split a notice's recipients exactly: ``read`` (opened at least once), ``unread``
(not opened, with a platform account) and ``no_account`` (not opened, no account — they
count as unread and are listed separately); ``acknowledged`` counts the 回执 given.
"""

from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _

from zhengxie.notices.models import DELIVERED_STATES, Notice, NoticeState, Recipient

READ = Q(read_at__isnull=False)
UNREAD = Q(read_at__isnull=True, membership__person__user__isnull=False)
NO_ACCOUNT = Q(read_at__isnull=True, membership__person__user__isnull=True)
ACKNOWLEDGED = Q(acknowledged_at__isnull=False)
RECEIPT_FILTERS = {
    "read": (_("已读"), READ),
    "unread": (_("未读"), UNREAD),
    "no_account": (_("无平台账号"), NO_ACCOUNT),
    "acknowledged": (_("已回执"), ACKNOWLEDGED),
    "unacknowledged": (_("未回执"), Q(acknowledged_at__isnull=True)),
}


def notices_visible(user):
    """Every notice for staff and admin; sent and withdrawn ones for chair and leader; for a
    member those addressed to them (never a draft); nothing for anyone else."""
    qs = Notice.objects.select_related(
        "created_by",
        "sent_by",
        "audience_special_committee",
        "audience_group",
        "audience_sector",
    )
    if user.has_perm("notices.manage"):
        return qs
    if user.has_perm("notices.view_all"):
        return qs.exclude(state=NoticeState.DRAFT)
    if user.has_perm("notices.mine"):
        own = Recipient.objects.filter(membership__person__user=user).values("notice")
        return qs.filter(state__in=DELIVERED_STATES, pk__in=own)
    return qs.none()


def notice_list(user, *, state="", q=""):
    qs = notices_visible(user).annotate(
        recipient_count=Count("recipients"),
        read_count=Count("recipients", filter=Q(recipients__read_at__isnull=False)),
        acknowledged_count=Count("recipients", filter=Q(recipients__acknowledged_at__isnull=False)),
    )
    if state:
        qs = qs.filter(state=state)
    if q:
        qs = qs.filter(title__contains=q)
    return qs.order_by(
        Case(When(state=NoticeState.DRAFT, then=Value(0)), default=Value(1)),
        "-sent_at",
        "-created",
        "-pk",
    )


def receipt_counts(notice) -> dict:
    """{total, read, unread, no_account, acknowledged, read_rate} of a sent notice."""
    counts = Recipient.objects.filter(notice=notice).aggregate(
        total=Count("pk"),
        read=Count("pk", filter=READ),
        unread=Count("pk", filter=UNREAD),
        no_account=Count("pk", filter=NO_ACCOUNT),
        acknowledged=Count("pk", filter=ACKNOWLEDGED),
    )
    counts["read_rate"] = counts["read"] / counts["total"] if counts["total"] else None
    return counts


def receipts(notice, *, show=""):
    """The notice's recipients (filtered by a key of ``RECEIPT_FILTERS``): read ones first in
    the order they read, then the others by name."""
    qs = Recipient.objects.filter(notice=notice).select_related(
        "membership__person", "membership__sector", "membership__group"
    )
    if show in RECEIPT_FILTERS:
        qs = qs.filter(RECEIPT_FILTERS[show][1])
    return qs.order_by(F("read_at").asc(nulls_last=True), "membership__person__name", "pk")


def pending_recipients(notice):
    """Recipients who still owe something: not read, or (when asked for) no 回执 yet."""
    pending = Q(read_at__isnull=True)
    if notice.reply_required:
        pending |= Q(acknowledged_at__isnull=True)
    return Recipient.objects.filter(pending, notice=notice)


def my_notices(user):
    """The member's notices, unread ones first, then newest first; a withdrawn notice stays
    listed (without its content)."""
    return (
        Recipient.objects.filter(membership__person__user=user, notice__state__in=DELIVERED_STATES)
        .select_related("notice")
        .annotate(
            unread_first=Case(
                When(read_at__isnull=True, notice__state=NoticeState.SENT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("unread_first", "-notice__sent_at", "-pk")
    )


def my_unread_count(user) -> int:
    return Recipient.objects.filter(
        membership__person__user=user, notice__state=NoticeState.SENT, read_at__isnull=True
    ).count()
