"""Deadline reminders (催办) and the unrated-reply flag, sent by the daily job (tasks.py).

For each open assignment the most urgent due reminder is sent — 30, 7 and 0 working days before
the deadline, then once when overdue — to the unit's users (overdue: also to proposal staff). A
``Reminder`` row (unique per assignment, kind and round) is written with each one, so re-running
the job, or running it twice at once, sends nothing twice; a re-handled case (round 2) gets its
own reminders. A reminder whose day was missed (a weekend, a holiday, a job that did not run) is
not sent late once a more urgent one is due. Nothing is sent on non-working days.
"""

import datetime
import logging

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core import calendar as workdays
from zhengxie.core.config import get_setting
from zhengxie.core.notifications import notify
from zhengxie.core.scoping import scopes_disabled
from zhengxie.proposals.models import (
    ANSWERING_ROLES,
    OPEN_ASSIGNMENT_STATES,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Reminder,
    ReminderKind,
    Reply,
)
from zhengxie.proposals.services import _proposal_staff, _unit_users

log = logging.getLogger(__name__)

# (kind, working days left at most), most urgent first.
THRESHOLDS = ((ReminderKind.DAYS_0, 0), (ReminderKind.DAYS_7, 7), (ReminderKind.DAYS_30, 30))


def due_kind(assignment, on):
    """The reminder an open assignment is due for on ``on``, or None."""
    if on > assignment.deadline:
        return ReminderKind.OVERDUE
    left = workdays.working_days_between(on, assignment.deadline, committee=assignment.committee)
    for kind, limit in THRESHOLDS:
        if left <= limit:
            return kind
    return None


def _url(proposal):
    try:
        return reverse("proposals:detail", args=[proposal.pk])
    except NoReverseMatch:
        return ""


def _claim(assignment, kind, round_, on):
    """Record the reminder; False when it was already sent (by this or a concurrent run)."""
    try:
        with transaction.atomic():
            _row, created = Reminder.objects.get_or_create(
                assignment=assignment,
                kind=kind,
                round=round_,
                defaults={"committee_id": assignment.committee_id, "sent_on": on},
            )
    except IntegrityError:
        return False
    return created


def _message(assignment, kind):
    proposal = assignment.proposal
    label = proposal.number_label or proposal.title
    deadline = assignment.deadline
    if kind == ReminderKind.OVERDUE:
        title = _("提案办理已超期:%(t)s") % {"t": proposal.title}
        body = _("%(u)s承办的提案(%(l)s)答复期限为%(d)s,现已超期,请尽快答复。") % {
            "u": assignment.unit.name,
            "l": label,
            "d": deadline,
        }
    elif kind == ReminderKind.DAYS_0:
        title = _("提案今日到期:%(t)s") % {"t": proposal.title}
        body = _("提案(%(l)s)答复期限为今天(%(d)s),请及时答复。") % {"l": label, "d": deadline}
    else:
        title = _("提案答复期限临近:%(t)s") % {"t": proposal.title}
        body = _("提案(%(l)s)距答复期限(%(d)s)还有%(n)s个工作日,请抓紧办理。") % {
            "l": label,
            "d": deadline,
            "n": kind.value,
        }
    return title, body


def _deadline_reminders(on):
    sent = dict.fromkeys(ReminderKind.values, 0)
    open_assignments = Assignment.objects.filter(
        state__in=OPEN_ASSIGNMENT_STATES, deadline__lte=on + datetime.timedelta(days=62)
    ).select_related("committee", "unit", "proposal__session")
    for assignment in open_assignments.order_by("deadline", "pk"):
        if not workdays.is_workday(on, committee=assignment.committee):
            continue
        kind = due_kind(assignment, on)
        if kind is None or not _claim(assignment, kind, assignment.round, on):
            continue
        recipients = _unit_users(assignment.unit_id)
        if kind == ReminderKind.OVERDUE:
            recipients += _proposal_staff(assignment.committee)
        title, body = _message(assignment, ReminderKind(kind))
        notify(
            recipients=recipients,
            title=title,
            body=body,
            url=_url(assignment.proposal),
            kind="proposal_reminder",
            committee=assignment.committee,
        )
        sent[kind] += 1
    return sent


def _unrated_flags(on):
    """Replies waiting for the proposer's rating longer than the committee allows."""
    waiting = (
        Reply.objects.filter(
            assignment__state=AssignmentState.REPLIED,
            assignment__role__in=[r for r in ANSWERING_ROLES if r != AssignmentRole.LETTER],
            rating__isnull=True,
        )
        .select_related("assignment__committee", "assignment__unit", "assignment__proposal")
        .order_by("replied_on", "pk")
    )
    limits, flagged = {}, 0
    for reply in waiting:
        assignment = reply.assignment
        committee = assignment.committee
        if reply.round != assignment.round or not workdays.is_workday(on, committee=committee):
            continue
        if committee.pk not in limits:
            limits[committee.pk] = get_setting(committee, "unrated_reply_flag_days")
        if (on - reply.replied_on).days < limits[committee.pk]:
            continue
        if not _claim(assignment, ReminderKind.UNRATED, reply.round, on):
            continue
        proposal = assignment.proposal
        notify(
            recipients=_proposal_staff(committee),
            title=_("答复超过%(n)s天未评价:%(t)s")
            % {"n": limits[committee.pk], "t": proposal.title},
            body=_("%(u)s于%(d)s答复,提案人尚未评价,请跟进。")
            % {"u": assignment.unit.name, "d": reply.replied_on},
            url=_url(proposal),
            kind="proposal_reminder",
            committee=committee,
        )
        flagged += 1
    return flagged


def send_reminders(on=None):
    """Send every reminder due on ``on`` (default today), across all committees. Returns the
    number sent per kind."""
    on = on or timezone.localdate()
    with scopes_disabled():
        sent = _deadline_reminders(on)
        sent[ReminderKind.UNRATED] = _unrated_flags(on)
    log.info("proposal reminders on %s: %s", on, sent)
    return sent
