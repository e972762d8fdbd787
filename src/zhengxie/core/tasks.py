"""Background and periodic jobs of the core (Huey; `make run` starts the consumer)."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup, periodic_task

from zhengxie.core.health import record_heartbeat
from zhengxie.core.models import Notification, PhoneCode

log = logging.getLogger(__name__)


@db_task(retries=3, retry_delay=60)
def email_notifications(notification_ids):
    rows = Notification.objects.filter(
        pk__in=notification_ids, emailed_at__isnull=True
    ).select_related("recipient")
    for n in rows:
        if n.recipient.email:
            send_mail(
                subject=f"[智慧政协] {n.title}",
                message=f"{n.body}\n\n{n.url}".strip(),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[n.recipient.email],
            )
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())


@db_periodic_task(crontab(minute="17", hour="3"))
def purge_expired_phone_codes():
    deleted, _ = PhoneCode.objects.filter(
        expires__lt=timezone.now() - timezone.timedelta(days=1)
    ).delete()
    log.info("purged %s expired phone codes", deleted)


@on_startup()
def heartbeat_on_startup():
    record_heartbeat()


@periodic_task(crontab())
def worker_heartbeat():
    """Every minute: tells `GET /api/v1/health` that the scheduler and a worker are alive."""
    record_heartbeat()
