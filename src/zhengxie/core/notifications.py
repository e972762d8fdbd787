"""Notifications: one in-app row per recipient, emailed by a background job after commit."""

from django.db import transaction
from django.utils import timezone

from zhengxie.core.models import Notification


def notify(*, recipients, title, body="", url="", kind="", committee=None):
    """Create in-app notifications now; send their email once the transaction commits."""
    rows = [
        Notification(
            recipient=user, committee=committee, kind=kind, title=title[:200], body=body, url=url
        )
        for user in {u.pk: u for u in recipients if u is not None}.values()
    ]
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created if n.pk is not None]
    if not ids:  # backends without RETURNING on bulk insert
        ids = list(
            Notification.objects.filter(
                recipient__in=[r.recipient for r in rows],
                title=title[:200],
                emailed_at__isnull=True,
            ).values_list("pk", flat=True)
        )
    if ids:
        from zhengxie.core.tasks import email_notifications

        transaction.on_commit(lambda: email_notifications(ids))
    return created


def mark_read(*, user, notification_ids=None):
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())
