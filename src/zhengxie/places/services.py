"""Every write of the places app: one keyword-only function per use case, atomic,
permission-checked, leaving history, audit and duty-ledger rows."""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core import ratelimit
from zhengxie.core.accounts import role_holders
from zhengxie.core.audit import audit_change, audit_record, snapshot
from zhengxie.core.config import get_setting
from zhengxie.core.ledger import correct_duty, record_duty
from zhengxie.core.models import AuditAction, ModerationItem, ModerationState, Role
from zhengxie.core.moderation import submit_for_moderation
from zhengxie.core.notifications import notify
from zhengxie.organisation.models import HandlingUnit, MemberGroup, MembershipStatus
from zhengxie.places.models import DutyShift as Shift
from zhengxie.places.models import (
    HalfDay,
    ReceptionRoom,
    ResidentIssue,
    RoomKind,
    RoomLevel,
    RoomState,
    ShiftMember,
    Visit,
)
from zhengxie.places.workflow import ISSUE_WORKFLOW, ROOM_WORKFLOW

ROOM_FIELDS = ("name", "kind", "level", "township", "address", "contact", "group", "is_public")
MAX_SHIFTS_AT_ONCE = 62
SHIFT_DAYS_AHEAD = 366
MAX_ISSUE_LENGTH = 2000


class TooManyMessages(ValidationError):
    """The rate limit on public messages was hit (the page answers 429)."""


def _require(actor, permission, obj=None, message=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(message or _("您没有执行此操作的权限。"))


def _today():
    return timezone.localdate()


def _check_members(committee, memberships, field="memberships"):
    memberships = list(memberships)
    if not memberships:
        raise ValidationError({field: _("请至少选择一名委员。")})
    if len({m.pk for m in memberships}) != len(memberships):
        raise ValidationError({field: _("委员不能重复。")})
    for m in memberships:
        if m.committee_id != committee.pk or m.status != MembershipStatus.IN_OFFICE:
            raise ValidationError(
                {field: _("%(name)s不是本会在任委员。") % {"name": m.person.name}}
            )
    return memberships


# The register (委员之家台账) ------------------------------------------------------------


def _clean_room(committee, data, room=None):
    errors = {}
    cleaned = {
        "name": (data.get("name") or "").strip(),
        "kind": data.get("kind") or "",
        "level": data.get("level") or "",
        "township": (data.get("township") or "").strip(),
        "address": (data.get("address") or "").strip(),
        "contact": (data.get("contact") or "").strip(),
        "group": data.get("group"),
        "is_public": bool(data.get("is_public", True)),
    }
    if not cleaned["name"]:
        errors["name"] = _("请填写名称。")
    elif len(cleaned["name"]) > 128:
        errors["name"] = _("名称不能超过128个字。")
    elif (
        ReceptionRoom.objects.filter(committee=committee, name=cleaned["name"])
        .exclude(pk=room.pk if room else None)
        .exists()
    ):
        errors["name"] = _("已有同名的场所。")
    if cleaned["kind"] not in RoomKind.values:
        errors["kind"] = _("请选择有效的类型。")
    if cleaned["level"] not in RoomLevel.values:
        errors["level"] = _("请选择有效的层级。")
    elif cleaned["level"] != RoomLevel.COUNTY and not cleaned["township"]:
        errors["township"] = _("乡镇(街道)和村(社区)的场所请填写所在乡镇(街道)。")
    for name, limit in (("township", 64), ("address", 255), ("contact", 64)):
        if len(cleaned[name]) > limit:
            errors[name] = _("不能超过%(n)s个字。") % {"n": limit}
    group = cleaned["group"]
    if group is not None and (
        not isinstance(group, MemberGroup) or group.committee_id != committee.pk
    ):
        errors["group"] = _("请选择有效的委员活动小组。")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def room_create(*, actor, committee, data: dict, opened_on: datetime.date | None = None):
    """A new place in the register, being set up; with ``opened_on`` it is put in use at once
    (for places that already exist)."""
    _require(actor, "places.manage")
    cleaned = _clean_room(committee, data)
    if opened_on is not None and opened_on > _today():
        raise ValidationError({"opened_on": _("启用日期不能晚于今天。")})
    room = ReceptionRoom.objects.create(committee=committee, created_by=actor, **cleaned)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=room, after=snapshot(room))
    if opened_on is not None:
        room = room_act(actor=actor, room=room, action="activate", on=opened_on)
    return room


@transaction.atomic
def room_update(*, actor, room, data: dict):
    locked = ReceptionRoom.objects.select_for_update().get(pk=room.pk)
    _require(actor, "places.manage", locked)
    cleaned = _clean_room(locked.committee, data, room=locked)
    before = snapshot(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(cleaned))
    audit_change(actor=actor, obj=locked, before=before)
    return locked


def room_act(*, actor, room, action: str, on: datetime.date | None = None, note: str = ""):
    """Put a place in use, suspend or resume it, effective on ``on`` (default today)."""
    on = on or _today()
    if on > _today():
        raise ValidationError({"on": _("生效日期不能晚于今天。")})
    note = (note or "").strip()

    def check(locked):
        if locked.opened_on is not None and on < locked.opened_on:
            raise ValidationError({"on": _("生效日期不能早于启用日期。")})
        if action == "suspend" and not note:
            raise ValidationError({"note": _("请填写停用原因。")})

    updates = {}
    if action == "activate":
        updates["opened_on"] = room.opened_on or on
    return ROOM_WORKFLOW.apply(
        obj=room,
        action=action,
        actor=actor,
        note=note,
        data={"on": on.isoformat()},
        updates=updates,
        check=check,
    )


# Duty rosters (值班安排) ------------------------------------------------------------------


def month_dates(year: int, month: int, weekdays) -> list[datetime.date]:
    """The days of a month falling on ``weekdays`` (0 = Monday)."""
    days = calendar.monthrange(year, month)[1]
    wanted = {int(w) for w in weekdays}
    return [
        datetime.date(year, month, d)
        for d in range(1, days + 1)
        if datetime.date(year, month, d).weekday() in wanted
    ]


@transaction.atomic
def shifts_create(*, actor, room, dates, half_day: str, memberships, note: str = ""):
    """Duty shifts on ``dates`` (one, or the chosen days of a month) with the same members."""
    _require(actor, "places.manage", room)
    locked = ReceptionRoom.objects.select_for_update().get(pk=room.pk)
    dates = sorted(set(dates))
    if not dates:
        raise ValidationError({"dates": _("请选择值班日期。")})
    if len(dates) > MAX_SHIFTS_AT_ONCE:
        raise ValidationError({"dates": _("一次最多安排%(n)s个班次。") % {"n": MAX_SHIFTS_AT_ONCE}})
    if half_day not in HalfDay.values:
        raise ValidationError({"half_day": _("请选择有效的时段。")})
    if locked.state != RoomState.IN_USE:
        raise ValidationError(_("只有在用的场所可以安排值班。"))
    latest = _today() + datetime.timedelta(days=SHIFT_DAYS_AHEAD)
    for day in dates:
        if locked.opened_on and day < locked.opened_on:
            raise ValidationError(
                {
                    "dates": _("值班日期 %(d)s 早于场所启用日期 %(o)s。")
                    % {"d": day.isoformat(), "o": locked.opened_on.isoformat()}
                }
            )
        if day > latest:
            raise ValidationError(
                {"dates": _("值班日期 %(d)s 超出一年以内的范围。") % {"d": day.isoformat()}}
            )
    members = _check_members(locked.committee, memberships)
    note = (note or "").strip()[:255]
    clashes = (
        Shift.objects.filter(room=locked, date__in=dates)
        .filter(
            half_day__in=[HalfDay.AM, HalfDay.PM, HalfDay.FULL]
            if half_day == HalfDay.FULL
            else [half_day, HalfDay.FULL]
        )
        .values_list("date", flat=True)
    )
    if clashes:
        raise ValidationError(
            {
                "dates": _("以下日期该时段已有值班安排:%(d)s")
                % {"d": "、".join(sorted({d.isoformat() for d in clashes}))}
            }
        )
    shifts = []
    for day in dates:
        shift = Shift.objects.create(
            committee=locked.committee,
            room=locked,
            date=day,
            half_day=half_day,
            note=note,
            created_by=actor,
        )
        ShiftMember.objects.bulk_create(
            ShiftMember(committee=locked.committee, shift=shift, membership=m) for m in members
        )
        shifts.append(shift)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=locked,
        note=_("安排值班%(n)s班次") % {"n": len(shifts)},
        after={"shifts": [s.pk for s in shifts]},
    )
    return shifts


@transaction.atomic
def service_confirm(*, actor, shift_member):
    """Confirm that a member served a shift: one ledger row (会客室值班) per member per shift."""
    locked = (
        ShiftMember.objects.select_for_update()
        .select_related("shift__room", "membership__person")
        .get(pk=shift_member.pk)
    )
    _require(actor, "places.confirm_service", locked)
    shift = locked.shift
    if shift.date > _today():
        raise ValidationError(_("值班日期未到,不能确认履职。"))
    if locked.served:
        raise ValidationError(_("该委员本班次的值班已确认,不能重复确认。"))
    record = record_duty(
        membership=locked.membership,
        kind="reception",
        occurred_on=shift.date,
        source=shift,
        half_days=shift.half_days,
        title=str(shift),
        actor=actor,
    )
    before = snapshot(locked)
    locked.served, locked.confirmed_by, locked.confirmed_at = True, actor, timezone.now()
    locked.duty_record = record
    locked.save(update_fields=["served", "confirmed_by", "confirmed_at", "duty_record"])
    audit_change(actor=actor, obj=locked, before=before)
    return locked


@transaction.atomic
def service_unconfirm(*, actor, shift_member, note: str = ""):
    """Withdraw a confirmation: the ledger row is corrected by a negative row, never deleted."""
    locked = ShiftMember.objects.select_for_update().get(pk=shift_member.pk)
    _require(actor, "places.confirm_service", locked)
    if not locked.served:
        raise ValidationError(_("该委员本班次的值班尚未确认。"))
    if locked.duty_record_id:
        correct_duty(
            record=locked.duty_record,
            actor=actor,
            note=(note or "").strip() or _("撤销值班履职确认"),
        )
    before = snapshot(locked)
    locked.served, locked.confirmed_by, locked.confirmed_at = False, None, None
    locked.duty_record = None
    locked.save(update_fields=["served", "confirmed_by", "confirmed_at", "duty_record"])
    audit_change(actor=actor, obj=locked, before=before)
    return locked


# Visits and residents' issues (接待与群众反映) ------------------------------------------------


def _clean_issue(data, field="text"):
    text = (data.get("text") or "").strip()
    name = (data.get("resident_name") or "").strip()
    contact = (data.get("contact") or "").strip()
    if not text:
        raise ValidationError({field: _("请填写群众反映的内容。")})
    if len(text) > MAX_ISSUE_LENGTH:
        raise ValidationError({field: _("反映内容不能超过%(n)s个字。") % {"n": MAX_ISSUE_LENGTH}})
    if len(name) > 32:
        raise ValidationError({"resident_name": _("反映人姓名不能超过32个字。")})
    if len(contact) > 64:
        raise ValidationError({"contact": _("联系方式不能超过64个字。")})
    return {"text": text, "resident_name": name, "contact": contact}


@transaction.atomic
def visit_record(
    *,
    actor,
    room,
    date: datetime.date,
    members,
    residents_count: int,
    summary: str = "",
    shift=None,
    issues=(),
):
    """A reception held at ``room`` (on ``shift`` when members record their own duty), with the
    issues residents raised."""
    if shift is not None:
        if shift.room_id != room.pk:
            raise ValidationError({"shift": _("班次不属于该场所。")})
        _require(actor, "places.record_visit", shift)
        date = shift.date
    else:
        _require(actor, "places.manage", room, _("委员只能在自己的值班班次中登记接待。"))
    errors = {}
    if not isinstance(date, datetime.date):
        errors["date"] = _("请填写接待日期。")
    elif date > _today():
        errors["date"] = _("接待日期不能晚于今天。")
    elif room.opened_on and date < room.opened_on:
        errors["date"] = _("接待日期不能早于场所启用日期。")
    if residents_count is None or residents_count < 0:
        errors["residents_count"] = _("接待人次不能为负数。")
    elif residents_count > 10000:
        errors["residents_count"] = _("接待人次过大,请核对。")
    if errors:
        raise ValidationError(errors)
    members = _check_members(room.committee, members, field="members")
    cleaned_issues = [_clean_issue(i, field="issues") for i in issues]
    visit = Visit.objects.create(
        committee=room.committee,
        room=room,
        shift=shift,
        date=date,
        residents_count=residents_count,
        summary=(summary or "").strip(),
        recorded_by=actor,
    )
    visit.members.set(members)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=visit, after=snapshot(visit))
    for data in cleaned_issues:
        _create_issue(actor=actor, room=room, visit=visit, recorded_on=date, **data)
    return visit


def _create_issue(*, actor, room, recorded_on, visit=None, message=None, **data):
    issue = ResidentIssue.objects.create(
        committee=room.committee,
        room=room,
        visit=visit,
        message=message,
        recorded_on=recorded_on,
        created_by=actor,
        **data,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=issue,
        after=snapshot(issue, fields=["room", "visit", "message", "recorded_on", "state"]),
    )
    return issue


@transaction.atomic
def issue_add(*, actor, visit, data: dict):
    """One more issue on a recorded visit (staff, or a member who received the residents)."""
    if not actor.has_perm("places.manage", visit.room) and not (
        visit.shift_id and actor.has_perm("places.record_visit", visit.shift)
    ):
        raise PermissionDenied(_("您没有登记群众反映的权限。"))
    cleaned = _clean_issue(data)
    return _create_issue(
        actor=actor, room=visit.room, visit=visit, recorded_on=visit.date, **cleaned
    )


def _source_note(issue):
    return _("%(room)s接待群众反映") % {"room": issue.room.name}


def issue_route(*, actor, issue, action: str, **payload):
    """Route a pending issue once: ``to_opinion`` (title, situation, analysis, suggestion),
    ``to_proposal`` (title, situation, suggestions), ``to_unit`` (unit, text, due_on) or
    ``on_spot`` (note). Raises InvalidTransition when someone routed it first."""
    with transaction.atomic():
        note = (payload.get("note") or "").strip()

        def check(locked):
            if action == "on_spot" and not note:
                raise ValidationError({"note": _("请填写当场解答的情况。")})

        locked = ISSUE_WORKFLOW.apply(
            obj=issue,
            action=action,
            actor=actor,
            note=note,
            updates={"routed_on": _today(), "route_note": note},
            check=check,
        )
        locked = ResidentIssue.objects.select_related("room", "committee").get(pk=locked.pk)
        if action == "to_opinion":
            _to_opinion(actor, locked, payload)
        elif action == "to_proposal":
            _to_proposal(actor, locked, payload)
        elif action == "to_unit":
            _to_unit(actor, locked, payload)
        return locked


def _to_opinion(actor, issue, payload):
    from zhengxie.opinions import services as opinions
    from zhengxie.opinions.models import SourceKind

    staff_entry = actor.has_perm("opinions.review")
    report = opinions.report_create(
        actor=actor,
        committee=issue.committee,
        data={
            "title": payload.get("title", ""),
            "situation": payload.get("situation") or issue.text,
            "analysis": payload.get("analysis", ""),
            "suggestion": payload.get("suggestion", ""),
        },
        source_kind=SourceKind.STAFF if staff_entry else None,
        source_note=_source_note(issue),
    )
    issue.opinion_report = report
    issue.save(update_fields=["opinion_report"])


def _to_proposal(actor, issue, payload):
    from zhengxie.proposals import services as proposals

    proposal = proposals.proposal_create(
        actor=actor,
        committee=issue.committee,
        data={
            "title": payload.get("title", ""),
            "situation": payload.get("situation") or issue.text,
            "suggestions": payload.get("suggestions", ""),
        },
    )
    issue.proposal = proposal
    issue.save(update_fields=["proposal"])


def _to_unit(actor, issue, payload):
    from zhengxie.core.followup import recommendation_add

    unit = payload.get("unit")
    if not isinstance(unit, HandlingUnit) or unit.committee_id != issue.committee_id:
        raise ValidationError({"unit": _("请选择转交的单位。")})
    recommendation = recommendation_add(
        source=issue,
        text=(payload.get("text") or "").strip() or issue.text,
        addressee_unit=unit,
        addressee="",
        due_on=payload.get("due_on"),
        actor=actor,
    )
    issue.unit, issue.recommendation = unit, recommendation
    issue.save(update_fields=["unit", "recommendation"])
    url = reverse("places:issue_detail", args=[issue.pk])
    users = role_holders(role=Role.UNIT, committee=issue.committee, handling_unit=unit)
    transaction.on_commit(
        lambda: notify(
            recipients=users,
            title=_("委员之家转来群众反映,请答复"),
            body=issue.text[:200],
            url=url,
            kind="places",
            committee=issue.committee,
        )
    )


# Public messages (网上留言) ---------------------------------------------------------------


def message_submit(*, committee, room, text: str, author, ip=None):
    """A signed-in member of the public leaves a message for a place; it waits in the
    moderation queue and is never shown before a moderator publishes it."""
    if author is None or not author.is_authenticated:
        raise PermissionDenied(_("请先用手机号登录后再留言。"))
    if room.committee_id != committee.pk or not room.is_public or room.state != RoomState.IN_USE:
        raise ValidationError(_("该场所暂不接受留言。"))
    limit = get_setting(committee, "place_messages_per_hour")
    if not ratelimit.hit(f"place-msg-user:{author.pk}", limit=limit) or (
        ip and not ratelimit.hit(f"place-msg-ip:{ip}", limit=limit * 10)
    ):
        raise TooManyMessages(_("留言过于频繁,请一小时后再试。"), code="rate")
    return submit_for_moderation(committee=committee, text=text, author=author, ip=ip, target=room)


@transaction.atomic
def message_to_issue(*, actor, item, resident_name: str = "", contact: str = ""):
    """Take a published message into the register of residents' issues (once)."""
    _require(actor, "places.convert_message")
    locked = ModerationItem.objects.select_for_update().get(pk=item.pk)
    room = locked.target
    if not isinstance(room, ReceptionRoom) or room.committee_id != locked.committee_id:
        raise ValidationError(_("该留言不属于委员之家。"))
    if locked.state != ModerationState.APPROVED:
        raise ValidationError(_("留言审核通过后才能登记为群众反映。"))
    if ResidentIssue.objects.filter(message=locked).exists():
        raise ValidationError(_("该留言已登记为群众反映,不能重复登记。"))
    cleaned = _clean_issue(
        {"text": locked.text, "resident_name": resident_name, "contact": contact}
    )
    return _create_issue(
        actor=actor,
        room=room,
        recorded_on=timezone.localtime(locked.created).date(),
        message=locked,
        **cleaned,
    )
