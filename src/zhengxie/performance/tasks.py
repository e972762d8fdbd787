import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhengxie.core.scoping import scopes_disabled
from zhengxie.organisation.models import Committee
from zhengxie.performance import exits

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="40", hour="2"))
def raise_exit_flags():
    """Every night: check every committee's exit rules and flag the members who meet one."""
    total = 0
    with scopes_disabled():
        for committee in Committee.objects.order_by("pk"):
            try:
                total += exits.raise_flags(committee=committee)
            except Exception:  # one committee's bad data must not stop the others
                log.exception("exit rules of committee %s failed", committee.pk)
    log.info("raised %s exit flags", total)
    return total
