"""Periodic jobs of the proposals app (Huey; `make run` starts the consumer)."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhengxie.core.scoping import scopes_disabled
from zhengxie.proposals import reminders, services

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="30", hour="7"))
def proposal_daily_jobs():
    """Every morning: close signature collections whose deadline passed, then send reminders."""
    with scopes_disabled():
        submitted = services.finish_expired_signatures()
    log.info("submitted %s joint proposals after their signature deadline", submitted)
    reminders.send_reminders()
