import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from zhengxie.core.scoping import scopes_disabled
from zhengxie.meetings import services

log = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="15", hour="2"))
def close_finished_meetings():
    """Every night: close meetings that ended over a day ago (absentees and the ledger)."""
    with scopes_disabled():
        closed = services.close_finished_meetings()
    log.info("closed %s finished meetings", closed)
