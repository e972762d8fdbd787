"""Every write of the notices app: one keyword-only function per use case, atomic,
permission-checked, leaving history and audit rows; notifications go out on commit.

Recipients are members only (in-office memberships chosen by audience, as meeting invitees
are): staff and leaders read every notice through their role and need no receipt. There is no
SMS here: ``core.sms`` only sends verification codes, so reminders are in-app notifications
(e-mailed by the notification job) and members without an account are listed for a phone call.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core.attachments import attachment_create, check_upload
from zhengxie.core.audit import audit_change, audit_record, snapshot
from zhengxie.core.models import AuditAction, Notification
from zhengxie.core.notifications import notify
from zhengxie.notices.models import Notice, NoticeState, Recipient, Reminder
from zhengxie.notices.queries import pending_recipients
from zhengxie.notices.workflow import NOTICE_WORKFLOW
from zhengxie.organisation.models import MemberGroup, Sector, SpecialCommittee
from zhengxie.organisation.queries import AUDIENCES, members_by_audience

MAX_TITLE = 200
MAX_BODY = 20000
MAX_REPLY = 200
MAX_ATTACHMENTS = 10
REMIND_INTERVAL = datetime.timedelta(hours=1)
# audience -> (form field, Notice field, model) of the one choice it needs
AUDIENCE_CHOICE = {
    "special_committee": ("special_committee", "audience_special_committee", SpecialCommittee),
    "group": ("group", "audience_group", MemberGroup),
    "sector": ("sector", "audience_sector", Sector),
}
EDITABLE_FIELDS = (
    "title",
    "body",
    "audience",
    "audience_special_committee",
    "audience_group",
    "audience_sector",
    "reply_required",
    "reply_by",
)


def _require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def _detail_url(notice):
    return reverse("notices:detail", args=[notice.pk])


# Composing ----------------------------------------------------------------------------------


def _clean(committee, data):
    """The notice's fields from form data; raises ValidationError (Chinese) on bad input."""
    errors = {}
    title = (data.get("title") or "").strip()
    body = (data.get("body") or "").strip()
    by = data.get("by") or ""
    reply_by = data.get("reply_by")
    if not title:
        errors["title"] = _("请填写通知标题。")
    elif len(title) > MAX_TITLE:
        errors["title"] = _("标题不能超过%(n)s个字。") % {"n": MAX_TITLE}
    if not body:
        errors["body"] = _("请填写通知正文。")
    elif len(body) > MAX_BODY:
        errors["body"] = _("正文不能超过%(n)s个字。") % {"n": MAX_BODY}
    if by not in AUDIENCES:
        errors["by"] = _("请选择发送范围。")
    if reply_by is not None and reply_by < timezone.localdate():
        errors["reply_by"] = _("回执截止日期不能早于今天。")
    cleaned = {
        "title": title,
        "body": body,
        "audience": by,
        "audience_special_committee": None,
        "audience_group": None,
        "audience_sector": None,
        "reply_required": bool(data.get("reply_required")) or reply_by is not None,
        "reply_by": reply_by,
        "audience_memberships": [],
    }
    if by in AUDIENCE_CHOICE:
        field, attribute, _model = AUDIENCE_CHOICE[by]
        choice = data.get(field)
        if choice is not None and choice.committee_id != committee.pk:
            errors[field] = _("请选择本会的%(what)s。") % {"what": AUDIENCES[by]}
        cleaned[attribute] = choice
    if by == "list":
        chosen = list(data.get("memberships") or [])
        if any(m.committee_id != committee.pk for m in chosen):
            errors["memberships"] = _("只能选择本会委员。")
        cleaned["audience_memberships"] = chosen
    if errors:
        raise ValidationError(errors)
    if not _audience(committee, cleaned).exists():
        raise ValidationError({"by": _("所选范围内没有在任委员,请重新选择发送范围。")})
    return cleaned


def _audience(committee, fields):
    """The in-office members a notice with these fields goes to (evaluated now)."""
    by = fields["audience"]
    return members_by_audience(
        committee=committee,
        by=by,
        special_committee=fields["audience_special_committee"],
        group=fields["audience_group"],
        sector=fields["audience_sector"],
        memberships=fields["audience_memberships"],
    )


def audience_of(notice):
    """The members ``notice`` would go to if sent now (drafts; sent notices keep their rows)."""
    fields = {name: getattr(notice, name) for name in EDITABLE_FIELDS}
    fields["audience_memberships"] = (
        list(notice.audience_memberships.all()) if notice.audience == "list" else []
    )
    return _audience(notice.committee, fields)


def _check_uploads(committee, uploads):
    uploads = list(uploads or [])
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("一次最多上传%(n)s个附件。") % {"n": MAX_ATTACHMENTS}}
        )
    for upload in uploads:
        try:
            check_upload(committee=committee, upload=upload)
        except ValidationError as exc:
            raise ValidationError({"attachments": exc.messages}) from None
    return uploads


def _attach(notice, uploads, actor):
    for upload in uploads:
        attachment_create(committee=notice.committee, upload=upload, actor=actor, target=notice)


@transaction.atomic
def notice_create(*, actor, committee, data: dict, uploads=(), send: bool = False) -> Notice:
    """A draft notice (sent at once with ``send``). ``data``: title, body, by (an audience of
    ``AUDIENCES``) with special_committee / group / sector / memberships, reply_required,
    reply_by. Nothing is written when the audience holds no member in office."""
    _require(actor, "notices.manage")
    cleaned = _clean(committee, data)
    uploads = _check_uploads(committee, uploads)
    memberships = cleaned.pop("audience_memberships")
    notice = Notice.objects.create(committee=committee, created_by=actor, **cleaned)
    notice.audience_memberships.set(memberships)
    _attach(notice, uploads, actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=notice, after=snapshot(notice))
    if send:
        notice = notice_send(actor=actor, notice=notice)
    return notice


@transaction.atomic
def notice_update(*, actor, notice: Notice, data: dict, uploads=()) -> Notice:
    """Change a draft (a sent notice is never edited: withdraw it and send a new one)."""
    _require(actor, "notices.manage", notice)
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if locked.state != NoticeState.DRAFT:
        raise ValidationError(_("只有草稿可以修改;已发送的通知请撤回后重新发送。"))
    cleaned = _clean(locked.committee, data)
    uploads = _check_uploads(locked.committee, uploads)
    memberships = cleaned.pop("audience_memberships")
    before = snapshot(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(cleaned))
    locked.audience_memberships.set(memberships)
    _attach(locked, uploads, actor)
    audit_change(actor=actor, obj=locked, before=before)
    return locked


# Sending and withdrawing --------------------------------------------------------------------


def _users_of(memberships):
    return [m.person.user for m in memberships if m.person.user_id and m.person.user.is_active]


def notice_send(*, actor, notice: Notice) -> Notice:
    """Send a draft: the audience is evaluated now and kept as one Recipient row per member;
    members with an account are notified once the transaction commits."""
    _require(actor, "notices.manage", notice)
    with transaction.atomic():
        locked = Notice.objects.select_for_update().get(pk=notice.pk)
        members = []
        if locked.state == NoticeState.DRAFT:
            members = list(audience_of(locked).select_related("person__user").order_by("pk"))
            if not members:
                raise ValidationError(_("发送范围内已没有在任委员,不能发送,请修改发送范围。"))

        def check(row):
            if row.reply_by is not None and row.reply_by < timezone.localdate():
                raise ValidationError({"reply_by": _("回执截止日期已过,请修改后再发送。")})

        def tell(row):
            notify(
                recipients=_users_of(members),
                title=_("通知:%(t)s") % {"t": row.title},
                body=row.body[:200],
                url=_detail_url(row),
                kind="notice",
                committee=row.committee,
            )

        locked = NOTICE_WORKFLOW.apply(
            obj=locked,
            action="send",
            actor=actor,
            note=_("发送给 %(n)s 位委员") % {"n": len(members)},
            data={"recipients": len(members)},
            updates={"sent_at": timezone.now(), "sent_by": actor},
            check=check,
            on_commit=tell,
        )
        Recipient.objects.bulk_create(
            Recipient(committee=locked.committee, notice=locked, membership=m) for m in members
        )
    return locked


def notice_withdraw(*, actor, notice: Notice, note: str = "") -> Notice:
    """Withdraw a sent notice: recipients keep a 已撤回 entry but no longer see its content."""
    note = (note or "").strip()[:255]

    def tell(row):
        members = [
            r.membership
            for r in row.recipients.select_related("membership__person__user").order_by("pk")
        ]
        notify(
            recipients=_users_of(members),
            title=_("通知已撤回:%(t)s") % {"t": row.title},
            body=note,
            url=_detail_url(row),
            kind="notice",
            committee=row.committee,
        )

    return NOTICE_WORKFLOW.apply(
        obj=notice,
        action="withdraw",
        actor=actor,
        note=note,
        updates={"withdrawn_at": timezone.now()},
        on_commit=tell,
    )


# Receipts -----------------------------------------------------------------------------------


def _own_recipient_ids(actor, notice):
    return list(
        Recipient.objects.filter(notice=notice, membership__person__user=actor).values_list(
            "pk", flat=True
        )
    )


def notice_open(*, actor, notice: Notice) -> Recipient | None:
    """A member opens a notice addressed to them: the first open of a sent notice sets
    ``read_at`` (a conditional UPDATE, so concurrent first opens keep one time); later opens,
    withdrawn notices and readers acting as staff, chair or leader write nothing. Returns the
    member's recipient row, or None for anyone else."""
    if not actor.has_perm("notices.mine"):
        return None
    ids = _own_recipient_ids(actor, notice)
    if not ids or notice.state == NoticeState.DRAFT:
        return None
    if notice.state == NoticeState.SENT:
        Recipient.objects.filter(pk__in=ids, read_at__isnull=True).update(read_at=timezone.now())
        Notification.objects.filter(
            recipient=actor, url=_detail_url(notice), read_at__isnull=True
        ).update(read_at=timezone.now())
    return Recipient.objects.select_related("membership").get(pk=ids[0])


def notice_acknowledge(*, actor, notice: Notice, reply: str = "") -> Recipient:
    """The member's acknowledgement (回执, with an optional short reply), once; it also
    counts as reading the notice."""
    reply = (reply or "").strip()
    if not actor.has_perm("notices.acknowledge", notice):
        raise PermissionDenied(_("您不是该通知的接收人。"))
    if notice.state != NoticeState.SENT:
        raise ValidationError(_("该通知已撤回,不能回执。"))
    if not notice.reply_required:
        raise ValidationError(_("该通知不需要回执。"))
    if len(reply) > MAX_REPLY:
        raise ValidationError({"reply": _("回执内容不能超过%(n)s个字。") % {"n": MAX_REPLY}})
    now = timezone.now()
    ids = _own_recipient_ids(actor, notice)
    with transaction.atomic():
        updated = Recipient.objects.filter(pk__in=ids, acknowledged_at__isnull=True).update(
            acknowledged_at=now, reply_text=reply, read_at=Coalesce(F("read_at"), Value(now))
        )
        if not updated:
            raise ValidationError(_("您已提交过回执,不能重复提交。"))
        recipient = Recipient.objects.get(pk=ids[0])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=recipient,
            after={"acknowledged_at": now.isoformat(), "reply_text": reply},
            note=_("通知回执"),
        )
    return recipient


# Reminders ----------------------------------------------------------------------------------


@transaction.atomic
def notice_remind(*, actor, notice: Notice, recipient_ids=None) -> Reminder:
    """Remind the recipients who have not read the notice (or, when it asks for one, not
    acknowledged it) and have an account — all of them, or those in ``recipient_ids``. At most
    once an hour per notice: the notice row is locked, so two staff cannot both remind."""
    _require(actor, "notices.manage", notice)
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if locked.state != NoticeState.SENT:
        raise ValidationError(_("只有已发送的通知可以提醒。"))
    now = timezone.now()
    last = Reminder.objects.filter(notice=locked).order_by("-created", "-pk").first()
    if last is not None and last.created > now - REMIND_INTERVAL:
        again = timezone.localtime(last.created + REMIND_INTERVAL)
        raise ValidationError(
            _("每条通知一小时内只能提醒一次,请于 %(t)s 后再试。") % {"t": f"{again:%H:%M}"}
        )
    targets = pending_recipients(locked).filter(membership__person__user__isnull=False)
    if recipient_ids is not None:
        targets = targets.filter(pk__in=list(recipient_ids))
    targets = list(targets.select_related("membership__person__user").order_by("pk"))
    if not targets:
        raise ValidationError(
            _("没有需要提醒的委员:所选委员都已阅读或回执,或没有平台账号(请电话通知)。")
        )
    Recipient.objects.filter(pk__in=[r.pk for r in targets]).update(
        reminded_count=F("reminded_count") + 1, last_reminded_at=now
    )
    reminder = Reminder.objects.create(
        committee=locked.committee, notice=locked, actor=actor, count=len(targets)
    )
    NOTICE_WORKFLOW.note(
        obj=locked,
        action="remind",
        actor=actor,
        note=_("提醒 %(n)s 位委员") % {"n": len(targets)},
        data={"count": len(targets)},
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=reminder,
        after={"notice": locked.pk, "recipients": [r.pk for r in targets]},
        note=_("通知提醒"),
    )
    users = _users_of([r.membership for r in targets])
    title = (_("请及时回执:%(t)s") if locked.reply_required else _("请及时阅读通知:%(t)s")) % {
        "t": locked.title
    }
    body = _("回执截止日期:%(d)s") % {"d": locked.reply_by.isoformat()} if locked.reply_by else ""
    url = _detail_url(locked)
    transaction.on_commit(
        lambda: notify(
            recipients=users,
            title=title,
            body=body,
            url=url,
            kind="notice",
            committee=locked.committee,
        )
    )
    return reminder
