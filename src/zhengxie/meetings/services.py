"""Every write of meetings: planning, invitations, leave, sign-in, closing, decisions.

The duty ledger gets one attendance row per invitation when the meeting closes (signed in,
leave approved, leave requested but not approved, absent); a change of attendance after the
meeting closed appends a correction of the earlier row and the new row — rows are never
edited. States change only through the tables in ``workflow.py``.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from zhengxie.core.attachments import attachment_create
from zhengxie.core.audit import audit_change, audit_record, snapshot
from zhengxie.core.ledger import correct_duty, record_duty
from zhengxie.core.models import AuditAction, DutyRecord
from zhengxie.core.notifications import notify
from zhengxie.meetings.models import (
    LEDGER_OUTCOME,
    OPEN_MEETING_STATES,
    AgendaItem,
    AttendanceState,
    Decision,
    DecisionKind,
    Invitation,
    Meeting,
    MeetingCategory,
    MeetingState,
    SignInMethod,
)
from zhengxie.meetings.workflow import ATTENDANCE_WORKFLOW, MEETING_WORKFLOW
from zhengxie.organisation.models import (
    Membership,
    Position,
    PositionEndReason,
    PositionKind,
    StatusChangeKind,
)

# How long one QR code is shown, and how long after it was shown a scan is still accepted: a
# photo of the screen is useless a few seconds later.
QR_ROTATE_SECONDS = 10
QR_VALID_SECONDS = 25
# After a valid scan, the member has this long to confirm (or to sign in to the platform first).
SCAN_GRANT_SECONDS = 300
SIGN_IN_SALT = "zhengxie.meetings.sign-in"

MEETING_FIELDS = [
    "category",
    "kind_label",
    "title",
    "session",
    "special_committee",
    "starts_at",
    "ends_at",
    "place",
    "half_days",
    "description",
]


def _require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def _check_meeting_data(data, committee):
    errors = {}
    if data.get("category") not in MeetingCategory.values:
        errors["category"] = _("请选择会议类别。")
    if not (data.get("title") or "").strip():
        errors["title"] = _("请填写会议名称。")
    if not (data.get("place") or "").strip():
        errors["place"] = _("请填写会议地点。")
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if starts is None:
        errors["starts_at"] = _("请填写开始时间。")
    if ends is None:
        errors["ends_at"] = _("请填写结束时间。")
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("结束时间应晚于开始时间。")
    try:
        half_days = Decimal(str(data.get("half_days", 1)))
    except InvalidOperation:
        half_days = None
    if half_days is None or not (Decimal("0") < half_days <= Decimal("20")):
        errors["half_days"] = _("会期应在 0.5 至 20 个半天之间。")
    category = data.get("category")
    if category == MeetingCategory.SPECIAL_COMMITTEE and data.get("special_committee") is None:
        errors["special_committee"] = _("专委会会议须选择专门委员会。")
    if category == MeetingCategory.PLENARY and data.get("session") is None:
        errors["session"] = _("全体会议须选择届次会议。")
    for key in ("session", "special_committee"):
        obj = data.get(key)
        if obj is not None and obj.committee_id != committee.pk:
            errors[key] = _("所选项目不属于本委员会。")
    if errors:
        raise ValidationError(errors)


def _apply_fields(meeting, data):
    changed = []
    for name in MEETING_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if isinstance(value, str):
            value = value.strip()
        if name == "half_days":
            value = Decimal(str(value))
        if getattr(meeting, name) != value:
            setattr(meeting, name, value)
            changed.append(name)
    if meeting.category != MeetingCategory.SPECIAL_COMMITTEE and meeting.special_committee_id:
        meeting.special_committee = None
        changed.append("special_committee")
    if meeting.category != MeetingCategory.OTHER and meeting.kind_label:
        meeting.kind_label = ""
        changed.append("kind_label")
    return changed


@transaction.atomic
def meeting_create(*, actor, committee, data: dict) -> Meeting:
    _require(actor, "meetings.manage")
    _check_meeting_data(data, committee)
    meeting = Meeting(committee=committee, created_by=actor)
    _apply_fields(meeting, data)
    meeting.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=meeting, after=snapshot(meeting))
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: Meeting, data: dict) -> Meeting:
    _require(actor, "meetings.manage", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state not in OPEN_MEETING_STATES:
        raise ValidationError(_("会议已结束或已取消,不能再修改。"))
    merged = {name: getattr(meeting, name) for name in MEETING_FIELDS} | data
    _check_meeting_data(merged, meeting.committee)
    before = snapshot(meeting)
    changed = _apply_fields(meeting, merged)
    if changed:
        meeting.save(update_fields=changed)
        audit_change(actor=actor, obj=meeting, before=before)
    return meeting


@transaction.atomic
def meeting_minutes_save(*, actor, meeting: Meeting, minutes: str) -> Meeting:
    _require(actor, "meetings.manage", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("会议已取消。"))
    before = snapshot(meeting, fields=["minutes"])
    meeting.minutes = minutes.strip()
    meeting.save(update_fields=["minutes"])
    audit_change(actor=actor, obj=meeting, before=before)
    return meeting


# Agenda -------------------------------------------------------------------------------------


@transaction.atomic
def agenda_item_add(*, actor, meeting: Meeting, title: str, presenter: str = "", upload=None):
    _require(actor, "meetings.manage", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state not in OPEN_MEETING_STATES:
        raise ValidationError(_("会议已结束或已取消,不能再修改议程。"))
    if not title.strip():
        raise ValidationError({"title": _("请填写议程内容。")})
    last = meeting.agenda.order_by("-position").values_list("position", flat=True).first()
    item = AgendaItem.objects.create(
        committee=meeting.committee,
        meeting=meeting,
        position=(last or 0) + 1,
        title=title.strip(),
        presenter=presenter.strip(),
    )
    if upload is not None:
        attachment_create(committee=meeting.committee, upload=upload, actor=actor, target=item)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=item, after=snapshot(item))
    return item


@transaction.atomic
def agenda_item_remove(*, actor, item: AgendaItem) -> None:
    _require(actor, "meetings.manage", item.meeting)
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    if meeting.state not in OPEN_MEETING_STATES:
        raise ValidationError(_("会议已结束或已取消,不能再修改议程。"))
    audit_record(actor=actor, action=AuditAction.DELETE, obj=item, before=snapshot(item))
    item.delete()


# Invitations --------------------------------------------------------------------------------


def _meeting_url(meeting):
    return reverse("meetings:detail", kwargs={"pk": meeting.pk})


def _notify_invitees(meeting, memberships, title):
    users = [m.person.user for m in memberships if m.person.user_id]
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    notify(
        recipients=users,
        title=title,
        body=_("%(title)s 定于 %(when)s 在%(place)s召开,请准时参加;不能出席的请在平台上请假。")
        % {"title": meeting.title, "when": when, "place": meeting.place},
        url=_meeting_url(meeting),
        kind="meeting",
        committee=meeting.committee,
    )


@transaction.atomic
def meeting_invite(*, actor, meeting: Meeting, memberships) -> int:
    """Invite members (already invited ones are skipped); returns how many were added. If the
    notice has gone out, the new invitees are notified at once."""
    _require(actor, "meetings.manage", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state not in OPEN_MEETING_STATES:
        raise ValidationError(_("会议已结束或已取消,不能再邀请委员。"))
    chosen = list(
        Membership.objects.filter(pk__in=[m.pk for m in memberships], committee=meeting.committee)
        .in_office()
        .select_related("person")
    )
    if not chosen:
        raise ValidationError(_("所选范围内没有在任委员。"))
    already = set(meeting.invitations.values_list("membership_id", flat=True))
    new = [m for m in chosen if m.pk not in already]
    Invitation.objects.bulk_create(
        [Invitation(committee=meeting.committee, meeting=meeting, membership=m) for m in new]
    )
    if new:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=meeting,
            after={"invited": [m.pk for m in new]},
            note=_("邀请 %(n)s 位委员") % {"n": len(new)},
        )
    if new and meeting.state != MeetingState.DRAFT:
        _notify_invitees(meeting, new, _("会议通知:%(t)s") % {"t": meeting.title})
    return len(new)


def meeting_notify(*, actor, meeting: Meeting) -> Meeting:
    def check(locked):
        if not locked.invitations.exclude(state=AttendanceState.CANCELLED).exists():
            raise ValidationError(_("请先邀请参会委员,再发送会议通知。"))

    def send(locked):
        invited = [
            i.membership
            for i in locked.invitations.filter(state=AttendanceState.INVITED).select_related(
                "membership__person"
            )
        ]
        _notify_invitees(locked, invited, _("会议通知:%(t)s") % {"t": locked.title})

    return MEETING_WORKFLOW.apply(
        obj=meeting, action="notify", actor=actor, check=check, on_commit=send
    )


def meeting_open_sign_in(*, actor, meeting: Meeting) -> Meeting:
    def check(locked):
        if not locked.invitations.exists():
            raise ValidationError(_("请先邀请参会委员。"))

    return MEETING_WORKFLOW.apply(obj=meeting, action="open_sign_in", actor=actor, check=check)


def meeting_cancel(*, actor, meeting: Meeting, note: str = "") -> Meeting:
    if not note.strip():
        raise ValidationError({"note": _("请填写取消会议的原因。")})

    def tell(locked):
        if locked.history.filter(action="notify").exists():
            invited = [
                i.membership
                for i in locked.invitations.select_related("membership__person").exclude(
                    state=AttendanceState.CANCELLED
                )
            ]
            users = [m.person.user for m in invited if m.person.user_id]
            notify(
                recipients=users,
                title=_("会议取消:%(t)s") % {"t": locked.title},
                body=note,
                url=_meeting_url(locked),
                kind="meeting",
                committee=locked.committee,
            )

    return MEETING_WORKFLOW.apply(
        obj=meeting, action="cancel", actor=actor, note=note.strip(), on_commit=tell
    )


def meeting_close(*, actor, meeting: Meeting, automatic: bool = False) -> Meeting:
    """End the meeting: members neither signed in nor on leave are marked absent, and the
    ledger gets every invitee's attendance row."""

    with transaction.atomic():
        closed = MEETING_WORKFLOW.apply(
            obj=meeting, action="auto_close" if automatic else "close", actor=actor
        )
        pending = closed.invitations.filter(state=AttendanceState.INVITED)
        for invitation in pending:
            ATTENDANCE_WORKFLOW.apply(obj=invitation, action="close_absent", actor=actor)
        invitations = closed.invitations.exclude(state=AttendanceState.CANCELLED).select_related(
            "membership"
        )
        for invitation in invitations:
            _record_attendance(invitation, closed, actor)
    return closed


def _ledger_sub_kind(meeting, state):
    outcome = LEDGER_OUTCOME.get(state)
    return f"{meeting.category}.{outcome}" if outcome else None


def _record_attendance(invitation, meeting, actor):
    sub_kind = _ledger_sub_kind(meeting, invitation.state)
    if sub_kind is None:
        return None
    return record_duty(
        membership=invitation.membership,
        kind="attendance",
        sub_kind=sub_kind,
        occurred_on=timezone.localtime(meeting.starts_at).date(),
        half_days=meeting.half_days if invitation.state == AttendanceState.SIGNED_IN else None,
        source=meeting,
        title=meeting.title,
        role="participant",
        actor=actor,
    )


def _correct_attendance(invitation, meeting, actor):
    """After a closed meeting's attendance changed: cancel the member's standing row."""
    content_type = ContentType.objects.get_for_model(Meeting)
    rows = list(
        DutyRecord.objects.filter(
            membership_id=invitation.membership_id,
            kind="attendance",
            source_type=content_type,
            source_id=meeting.pk,
        )
    )
    net = {}
    for row in rows:
        net[row.sub_kind] = net.get(row.sub_kind, 0) + row.weight
    for sub_kind, count in net.items():
        if count > 0:
            row = next(r for r in rows if r.sub_kind == sub_kind and r.weight > 0)
            correct_duty(record=row, actor=actor, note=_("出席情况更正:%s") % meeting.title)


LEAVE_DECISIONS = ("approve_leave", "decline_leave")
LEAVE_ACTIONS = ("request_leave", "record_leave")
INVALID_CODE = _lazy("签到二维码无效,请扫描会场屏幕上的二维码。")


def attendance_act(*, actor, invitation: Invitation, action: str, reason: str = "") -> Invitation:
    """Staff record attendance (登记签到/缺席, 同意/不同意请假, 取消邀请); a member asks
    for leave."""
    meeting = invitation.meeting
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("会议已取消。"))
    if action in LEAVE_ACTIONS:
        if meeting.state == MeetingState.CLOSED and action == "request_leave":
            raise ValidationError(_("会议已结束,不能再请假。"))
        if not reason.strip():
            raise ValidationError({"reason": _("请填写请假事由。")})
    if action in ("sign_in", "close_absent"):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    updates = {}
    if action in LEAVE_ACTIONS:
        updates["leave_reason"] = reason.strip()[:255]
    if action == "mark_signed_in":
        updates.update(signed_in_at=timezone.now(), sign_in_method=SignInMethod.STAFF)
    with transaction.atomic():
        changed = ATTENDANCE_WORKFLOW.apply(
            obj=invitation,
            action=action,
            actor=actor,
            note=reason.strip(),
            updates=updates,
            on_commit=_tell_leave_decision
            if action in ("approve_leave", "decline_leave")
            else None,
        )
        if meeting.state == MeetingState.CLOSED:
            _correct_attendance(changed, meeting, actor)
            _record_attendance(changed, meeting, actor)
    return changed


def _tell_leave_decision(invitation):
    user = invitation.membership.person.user
    approved = invitation.state == AttendanceState.LEAVE_APPROVED
    notify(
        recipients=[user],
        title=(_("请假已同意:%(t)s") if approved else _("请假未获同意:%(t)s"))
        % {"t": invitation.meeting.title},
        body="" if approved else _("请按时参加会议。"),
        url=_meeting_url(invitation.meeting),
        kind="meeting",
        committee=invitation.committee,
    )


# QR sign-in ---------------------------------------------------------------------------------


def sign_in_token(meeting: Meeting) -> str:
    """The token the QR code on the screen carries now; it changes every few seconds."""
    signer = signing.TimestampSigner(salt=f"{SIGN_IN_SALT}.{meeting.sign_in_secret}")
    return signer.sign(str(meeting.pk))


def _unsign(meeting, token):
    signer = signing.TimestampSigner(salt=f"{SIGN_IN_SALT}.{meeting.sign_in_secret}")
    return signer.unsign(token, max_age=QR_VALID_SECONDS)


def check_sign_in_token(*, meeting: Meeting, token: str) -> None:
    """ValidationError (a clear message) unless ``token`` is a fresh code of this meeting."""
    try:
        value = _unsign(meeting, token)
    except signing.SignatureExpired:
        raise ValidationError(
            _("签到二维码已过期,请扫描会场屏幕上最新的二维码。"), code="expired"
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _("签到二维码无效,请扫描会场屏幕上的二维码。"), code="invalid"
        ) from None
    if value != str(meeting.pk):
        raise ValidationError(_("签到二维码无效,请扫描会场屏幕上的二维码。"), code="invalid")
    if meeting.state != MeetingState.SIGNING_IN:
        raise ValidationError(_("本次会议当前未开放签到。"), code="closed")


def own_invitation(*, meeting: Meeting, user) -> Invitation | None:
    return (
        Invitation.objects.filter(meeting=meeting, membership__person__user=user)
        .select_related("membership__person")
        .first()
    )


def sign_in_by_scan(*, actor, meeting: Meeting) -> Invitation:
    """The member who scanned a fresh code signs in (idempotent: signing in twice is fine)."""
    meeting = Meeting.objects.get(pk=meeting.pk)
    if meeting.state != MeetingState.SIGNING_IN:
        raise ValidationError(_("本次会议当前未开放签到。"))
    invitation = own_invitation(meeting=meeting, user=actor)
    if invitation is None:
        raise ValidationError(_("您不在本次会议的参会名单中,如需参会请联系会务工作人员。"))
    if invitation.state == AttendanceState.SIGNED_IN:
        return invitation
    if invitation.state in (AttendanceState.CANCELLED, AttendanceState.ABSENT):
        raise ValidationError(_("您的参会邀请已取消,如有疑问请联系会务工作人员。"))
    if not actor.has_perm("meetings.sign_in", invitation):
        raise PermissionDenied(_("请以委员身份签到。"))
    return ATTENDANCE_WORKFLOW.apply(
        obj=invitation,
        action="sign_in",
        actor=actor,
        updates={"signed_in_at": timezone.now(), "sign_in_method": SignInMethod.QR},
    )


# Periodic job -------------------------------------------------------------------------------


def close_finished_meetings(now=None) -> int:
    """Close meetings that ended more than a day ago and that nobody closed."""
    now = now or timezone.now()
    done = 0
    stale = Meeting.objects.filter(
        state__in=(MeetingState.NOTIFIED, MeetingState.SIGNING_IN),
        ends_at__lt=now - datetime.timedelta(days=1),
    )
    for meeting in stale:
        meeting_close(actor=None, meeting=meeting, automatic=True)
        done += 1
    return done


# Decisions ----------------------------------------------------------------------------------


def _decided_by(meeting):
    return meeting.title[:128]


@transaction.atomic
def decision_record(
    *,
    actor,
    meeting: Meeting,
    kind: str,
    text: str,
    effective_on: datetime.date,
    membership=None,
    person=None,
    sector=None,
    proposal=None,
    leader: str = "",
    supervisor: str = "",
) -> Decision:
    """Record a decision; decisions on members change their dated status or standing position
    (through the organisation services) and decisions on key proposals decide the proposal."""
    from zhengxie.organisation import services as organisation
    from zhengxie.proposals import services as proposals

    _require(actor, "meetings.decide", meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.state == MeetingState.CANCELLED:
        raise ValidationError(_("会议已取消,不能记录决定。"))
    if kind not in DecisionKind.values:
        raise ValidationError({"kind": _("请选择决定事项。")})
    if effective_on is None:
        raise ValidationError({"effective_on": _("请填写生效日期。")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写决定内容。")})
    decision = Decision(
        committee=meeting.committee,
        meeting=meeting,
        kind=kind,
        text=text,
        effective_on=effective_on,
        created_by=actor,
    )
    decided_by = _decided_by(meeting)
    member_kinds = {
        DecisionKind.MEMBER_RESIGNED: StatusChangeKind.RESIGNED,
        DecisionKind.MEMBER_REMOVED: StatusChangeKind.REMOVED,
    }
    if kind in member_kinds:
        if membership is None:
            raise ValidationError({"membership": _("请选择委员。")})
        changed = organisation.membership_change_status(
            membership=membership,
            kind=member_kinds[kind],
            effective_on=effective_on,
            decided_by=decided_by,
            note=text,
            actor=actor,
        )
        decision.membership = changed
        decision.status_change = changed.history.order_by("-pk").first()
    elif kind == DecisionKind.MEMBER_ADDED:
        if person is None or sector is None:
            raise ValidationError({"person": _("增补委员须选择人员和界别。")})
        term = _term_on(meeting.committee, effective_on)
        created = organisation.membership_create(
            actor=actor,
            committee=meeting.committee,
            term=term,
            person=person,
            data={"sector": sector, "joined_on": effective_on},
            kind=StatusChangeKind.ADDED,
            decided_by=decided_by,
        )
        decision.membership = created
        decision.status_change = created.history.order_by("-pk").first()
    elif kind == DecisionKind.STANDING_ADDED:
        if membership is None:
            raise ValidationError({"membership": _("请选择委员。")})
        decision.membership = membership
        decision.position = organisation.position_start(
            actor=actor,
            membership=membership,
            kind=PositionKind.STANDING,
            starts_on=effective_on,
            decided_by=decided_by,
        )
    elif kind == DecisionKind.STANDING_RESIGNED:
        if membership is None:
            raise ValidationError({"membership": _("请选择委员。")})
        position = Position.objects.filter(
            membership=membership, kind=PositionKind.STANDING, ends_on__isnull=True
        ).first()
        if position is None:
            raise ValidationError({"membership": _("该委员目前不是常委。")})
        decision.membership = membership
        decision.position = organisation.position_end(
            actor=actor,
            position=position,
            ends_on=effective_on,
            reason=PositionEndReason.RESIGNED,
            decided_by=decided_by,
        )
    elif kind == DecisionKind.KEY_PROPOSAL:
        if proposal is None:
            raise ValidationError({"proposal": _("请选择提案。")})
        decision.proposal = proposals.key_decide(
            actor=actor,
            proposal=proposal,
            decided_on=effective_on,
            decided_by=decided_by,
            leader=leader,
            supervisor=supervisor,
        )
    decision.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=decision, after=snapshot(decision))
    return decision


def _term_on(committee, day):
    from zhengxie.organisation.models import Term

    term = (
        Term.objects.filter(committee=committee, starts_on__lte=day).order_by("-starts_on").first()
    )
    if term is None:
        raise ValidationError({"effective_on": _("生效日期不在任何一届之内。")})
    return term
