"""Every write of the study app: one keyword-only function per use case, atomic,
permission-checked, leaving history, audit and duty-ledger rows.

Ledger rule: when a study session or a reading session is closed, every member recorded as
attended gets one ``study`` row (sub-kind ``study``, ``training`` or ``reading``) with the
session's half-days; the workflow locks the session row, so a second close — at the same moment
or later — is refused and writes nothing. A change of attendance after closing appends a
correction (``core.ledger.correct_duty``) or a new row, so that each attended member keeps
exactly one live row; rows are never edited.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core.attachments import attachment_create
from zhengxie.core.audit import audit_change, audit_record, snapshot
from zhengxie.core.ledger import correct_duty, record_duty
from zhengxie.core.models import AuditAction, DutyRecord
from zhengxie.core.notifications import notify
from zhengxie.organisation.models import (
    MemberGroup,
    Membership,
    MembershipStatus,
    Sector,
    SpecialCommittee,
)
from zhengxie.organisation.queries import AUDIENCES, members_by_audience, own_seat
from zhengxie.study.models import (
    Attendance,
    AttendanceState,
    Distribution,
    How,
    MaterialKind,
    PlanState,
    ReadingAttendance,
    ReadingGroup,
    ReadingSession,
    ReadingState,
    SessionKind,
    SessionState,
    StudyKind,
    StudyMaterial,
    StudyPlan,
    StudyPlanItem,
    StudySession,
)
from zhengxie.study.workflow import PLAN_WORKFLOW, READING_WORKFLOW, SESSION_WORKFLOW

MAX_HALF_DAYS = Decimal("20")
# What attendance can be once a session has taken place.
DECIDED = (AttendanceState.ATTENDED, AttendanceState.LEAVE, AttendanceState.ABSENT)
MAX_COPIES = 100000
AUDIENCE_PARAMETERS = ("special_committee", "group", "sector")


def _require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def _today():
    return timezone.localdate()


def _text(data, name, limit, label, errors, required=False):
    value = (data.get(name) or "").strip()
    if required and not value:
        errors[name] = _("请填写%(label)s。") % {"label": label}
    elif len(value) > limit:
        errors[name] = _("%(label)s不能超过%(n)s个字。") % {"label": label, "n": limit}
    return value


def _date(value, name, label, errors, required=True):
    if value in (None, ""):
        if required:
            errors[name] = _("请填写%(label)s。") % {"label": label}
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[name] = _("%(label)s格式不正确。") % {"label": label}
        return None


def _half_days(value, errors, name="half_days"):
    """Half-days in steps of 0.5 (0.5, 1, 1.5 …), at most 20."""
    try:
        number = Decimal(str(value if value not in (None, "") else "1").strip())
    except InvalidOperation:
        errors[name] = _("时长请填写数字(以半天计)。")
        return None
    if not Decimal("0") < number <= MAX_HALF_DAYS or (number * 2) % 1:
        errors[name] = _("时长应为0.5至20个半天,按0.5递增。")
        return None
    return number


def _own(model, value, committee, name, errors):
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    obj = model._base_manager.filter(pk=pk, committee=committee).first()
    if obj is None:
        errors[name] = _("请选择本会的有效选项。")
    return obj


def _check_members(committee, memberships, name="memberships"):
    memberships = list(dict.fromkeys(memberships))
    for m in memberships:
        if m.committee_id != committee.pk or m.status != MembershipStatus.IN_OFFICE:
            raise ValidationError({name: _("只能选择本会在任委员。")})
    return memberships


def _users(memberships):
    return [m.person.user for m in memberships if m.person.user_id]


def _tell(memberships, *, title, body="", url, committee):
    """Notify the members' accounts once the transaction commits."""
    users = _users(memberships)
    if users:
        transaction.on_commit(
            lambda: notify(
                recipients=users, title=title, body=body, url=url, kind="study", committee=committee
            )
        )


# Plans (学习计划) ------------------------------------------------------------------------------


def _clean_plan(committee, data, plan=None):
    errors = {}
    year = data.get("year", plan.year if plan else None)
    try:
        year = int(year)
    except (TypeError, ValueError):
        errors["year"] = _("请填写年度。")
        year = None
    if year is not None and not 2000 <= year <= 2100:
        errors["year"] = _("年度超出范围。")
    elif (
        year is not None
        and StudyPlan._base_manager.filter(committee=committee, year=year)
        .exclude(pk=plan.pk if plan else None)
        .exists()
    ):
        errors["year"] = _("%(y)s年度的学习计划已存在。") % {"y": year}
    title = _text(data, "title", 128, _("计划名称"), errors)
    if not title and year is not None:
        title = _("%(y)s年度学习计划") % {"y": year}
    note = (data.get("note") or "").strip()
    if errors:
        raise ValidationError(errors)
    return {"year": year, "title": title, "note": note}


@transaction.atomic
def plan_create(*, actor, committee, data: dict) -> StudyPlan:
    """A draft plan for one year (one plan per committee and year)."""
    _require(actor, "study.manage")
    values = _clean_plan(committee, data)
    plan = StudyPlan.objects.create(committee=committee, created_by=actor, **values)
    PLAN_WORKFLOW.history_model.objects.create(
        subject=plan, from_state="", action="create", to_state=plan.state, actor=actor,
        committee=committee,
    )  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CREATE, obj=plan, after=snapshot(plan))
    return plan


@transaction.atomic
def plan_update(*, actor, plan: StudyPlan, data: dict) -> StudyPlan:
    locked = StudyPlan.objects.select_for_update().get(pk=plan.pk)
    _require(actor, "study.manage", locked)
    values = _clean_plan(locked.committee, data, plan=locked)
    if locked.state == PlanState.PUBLISHED and values["year"] != locked.year:
        raise ValidationError({"year": _("计划已发布,年度不能再修改。")})
    before = snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    audit_change(actor=actor, obj=locked, before=before)
    return locked


def plan_audience(plan: StudyPlan) -> list[Membership]:
    """The in-office members any item of the plan is for (each once)."""
    found = {}
    items = plan.items.select_related("special_committee", "group", "sector").prefetch_related(
        "memberships"
    )
    for item in items:
        for m in item_audience(item).select_related("person"):
            found.setdefault(m.pk, m)
    return list(found.values())


def item_audience(item: StudyPlanItem):
    return members_by_audience(
        committee=item.committee,
        by=item.audience,
        special_committee=item.special_committee,
        group=item.group,
        sector=item.sector,
        memberships=list(item.memberships.all()),
    )


def plan_publish(*, actor, plan: StudyPlan) -> StudyPlan:
    """Publish the plan; every member of its items' audiences is told."""

    def check(locked):
        if not locked.items.exists():
            raise ValidationError(_("计划中还没有事项,不能发布。"))

    def tell(locked):
        users = _users(plan_audience(locked))
        notify(
            recipients=users,
            title=_("学习计划已发布:%(t)s") % {"t": locked.title},
            body=_("请按计划参加学习培训活动。"),
            url=reverse("study:plan_detail", args=[locked.pk]),
            kind="study",
            committee=locked.committee,
        )

    return PLAN_WORKFLOW.apply(
        obj=plan,
        action="publish",
        actor=actor,
        updates={"published_on": _today()},
        check=check,
        on_commit=tell,
    )


def _clean_item(plan, data):
    committee = plan.committee
    errors = {}
    topic = _text(data, "topic", 200, _("学习主题"), errors, required=True)
    kind = data.get("kind") or ""
    if kind not in StudyKind.values:
        errors["kind"] = _("请选择学习形式。")
    planned_on = _date(data.get("planned_on"), "planned_on", _("计划日期"), errors, False)
    planned_month = data.get("planned_month")
    if planned_month in ("", None):
        planned_month = None
    else:
        try:
            planned_month = int(planned_month)
        except (TypeError, ValueError):
            planned_month = 0
        if not 1 <= planned_month <= 12:
            errors["planned_month"] = _("计划月份应在1至12之间。")
    if planned_on is not None:
        if planned_on.year != plan.year:
            errors["planned_on"] = _("计划日期应在%(y)s年内。") % {"y": plan.year}
        elif planned_month and planned_month != planned_on.month:
            errors["planned_month"] = _("计划月份与计划日期不一致。")
        else:
            planned_month = planned_on.month
    audience = data.get("audience") or ""
    values = dict.fromkeys(AUDIENCE_PARAMETERS)
    memberships = []
    if audience not in AUDIENCES:
        errors["audience"] = _("请选择学习对象。")
    elif audience in AUDIENCE_PARAMETERS:
        model = {"special_committee": SpecialCommittee, "group": MemberGroup, "sector": Sector}
        values[audience] = _own(model[audience], data.get(audience), committee, audience, errors)
        if values[audience] is None and audience not in errors:
            errors[audience] = str(AUDIENCE_MISSING[audience])
    elif audience == "list":
        memberships = list(data.get("memberships") or [])
        if not memberships:
            errors["memberships"] = str(AUDIENCE_MISSING["list"])
        else:
            try:
                memberships = _check_members(committee, memberships)
            except ValidationError as exc:
                errors.update({k: v[0] for k, v in exc.message_dict.items()})
    note = _text(data, "note", 255, _("备注"), errors)
    if errors:
        raise ValidationError(errors)
    return {
        "topic": topic,
        "kind": kind,
        "planned_on": planned_on,
        "planned_month": planned_month,
        "audience": audience,
        **values,
        "note": note,
    }, memberships


AUDIENCE_MISSING = {
    "special_committee": _("请选择专门委员会。"),
    "group": _("请选择委员活动小组。"),
    "sector": _("请选择界别。"),
    "list": _("请选择至少一位委员。"),
}


@transaction.atomic
def item_add(*, actor, plan: StudyPlan, data: dict) -> StudyPlanItem:
    locked = StudyPlan.objects.select_for_update().get(pk=plan.pk)
    _require(actor, "study.manage", locked)
    values, memberships = _clean_item(locked, data)
    last = locked.items.order_by("-position").values_list("position", flat=True).first()
    item = StudyPlanItem.objects.create(
        committee=locked.committee, plan=locked, position=(last or 0) + 1, **values
    )
    item.memberships.set(memberships)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=item, after=snapshot(item))
    return item


@transaction.atomic
def item_update(*, actor, item: StudyPlanItem, data: dict) -> StudyPlanItem:
    locked = StudyPlanItem.objects.select_for_update().select_related("plan").get(pk=item.pk)
    _require(actor, "study.manage", locked)
    values, memberships = _clean_item(locked.plan, data)
    before = snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    locked.memberships.set(memberships)
    audit_change(actor=actor, obj=locked, before=before)
    return locked


@transaction.atomic
def item_delete(*, actor, item: StudyPlanItem) -> None:
    locked = StudyPlanItem.objects.select_for_update().get(pk=item.pk)
    _require(actor, "study.manage", locked)
    if StudySession._base_manager.filter(plan_item=locked).exists():
        raise ValidationError(_("该事项已关联学习培训活动,不能删除。"))
    audit_record(actor=actor, action=AuditAction.DELETE, obj=locked, before=snapshot(locked))
    locked.delete()


# Sessions (集体学习与培训) ----------------------------------------------------------------------

SESSION_FIELDS = (
    "kind",
    "title",
    "date",
    "half_days",
    "place",
    "speaker",
    "description",
    "signup_open",
)


def _clean_session(committee, data, plan_item=None):
    errors = {}
    kind = data.get("kind") or ""
    if kind not in SessionKind.values:
        errors["kind"] = _("请选择类别。")
    values = {
        "kind": kind,
        "title": _text(data, "title", 200, _("名称"), errors, required=True),
        "date": _date(data.get("date"), "date", _("日期"), errors),
        "half_days": _half_days(data.get("half_days"), errors),
        "place": _text(data, "place", 128, _("地点"), errors),
        "speaker": _text(data, "speaker", 128, _("主讲人"), errors),
        "description": (data.get("description") or "").strip(),
        "signup_open": bool(data.get("signup_open")) and kind == SessionKind.TRAINING,
    }
    if plan_item is not None:
        if plan_item.committee_id != committee.pk:
            errors["plan_item"] = _("计划事项不属于本委员会。")
        elif plan_item.kind == StudyKind.READING:
            errors["plan_item"] = _("读书事项请在书香政协中开展。")
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def session_create(*, actor, committee, data: dict, plan_item=None) -> StudySession:
    """A planned session (筹备中), optionally carrying out a plan item."""
    _require(actor, "study.manage")
    values = _clean_session(committee, data, plan_item)
    session = StudySession.objects.create(
        committee=committee, plan_item=plan_item, created_by=actor, **values
    )
    SESSION_WORKFLOW.history_model.objects.create(
        subject=session, from_state="", action="create", to_state=session.state, actor=actor,
        committee=committee,
    )  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CREATE, obj=session, after=snapshot(session))
    return session


@transaction.atomic
def session_update(*, actor, session: StudySession, data: dict) -> StudySession:
    locked = StudySession.objects.select_for_update().get(pk=session.pk)
    _require(actor, "study.manage", locked)
    if locked.state in (SessionState.CLOSED, SessionState.CANCELLED):
        raise ValidationError(_("活动已结束或已取消,不能再修改。"))
    merged = {f: getattr(locked, f) for f in SESSION_FIELDS} | data
    values = _clean_session(locked.committee, merged)
    if locked.state == SessionState.HELD and values["date"] > _today():
        raise ValidationError({"date": _("活动已举办,日期不能晚于今天。")})
    before = snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    audit_change(actor=actor, obj=locked, before=before)
    return locked


def _session_url(session):
    return reverse("study:session_detail", args=[session.pk])


@transaction.atomic
def session_invite(*, actor, session: StudySession, memberships) -> int:
    """Expect members at a session (those already on the list are skipped); returns how many
    were added. New invitees are told."""
    locked = StudySession.objects.select_for_update().get(pk=session.pk)
    _require(actor, "study.manage", locked)
    if locked.state in (SessionState.CLOSED, SessionState.CANCELLED):
        raise ValidationError(_("活动已结束或已取消,不能再通知委员。"))
    chosen = list(
        Membership.objects.filter(pk__in=[m.pk for m in memberships], committee=locked.committee)
        .in_office()
        .select_related("person")
    )
    if not chosen:
        raise ValidationError(_("所选范围内没有在任委员。"))
    already = set(
        Attendance._base_manager.filter(session=locked).values_list("membership_id", flat=True)
    )
    new = [m for m in chosen if m.pk not in already]
    Attendance.objects.bulk_create(
        [
            Attendance(committee=locked.committee, session=locked, membership=m, created_by=actor)
            for m in new
        ]
    )
    if new:
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            after={"invited": [m.pk for m in new]},
            note=_("通知 %(n)s 位委员") % {"n": len(new)},
        )
        _tell(
            new,
            title=_("%(kind)s通知:%(t)s") % {"kind": locked.get_kind_display(), "t": locked.title},
            body=_("定于 %(d)s 在%(p)s举行,请准时参加。")
            % {"d": locked.date.isoformat(), "p": locked.place or _("(地点另行通知)")},
            url=_session_url(locked),
            committee=locked.committee,
        )
    return len(new)


def session_hold(*, actor, session: StudySession, note: str = "") -> StudySession:
    def check(locked):
        if locked.date > _today():
            raise ValidationError(_("活动日期未到,不能确认已举办。"))

    return SESSION_WORKFLOW.apply(
        obj=session, action="hold", actor=actor, note=note.strip(), check=check
    )


def session_cancel(*, actor, session: StudySession, note: str = "") -> StudySession:
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写取消的原因。")})

    def tell(locked):
        expected = [
            a.membership
            for a in Attendance._base_manager.filter(session=locked).select_related(
                "membership__person"
            )
        ]
        notify(
            recipients=_users(expected),
            title=_("活动取消:%(t)s") % {"t": locked.title},
            body=note,
            url=_session_url(locked),
            kind="study",
            committee=locked.committee,
        )

    return SESSION_WORKFLOW.apply(
        obj=session, action="cancel", actor=actor, note=note, on_commit=tell
    )


def session_close(*, actor, session: StudySession) -> StudySession:
    """End a held session: members still marked 待参加 become absent, and every attended
    member gets one ledger row. Closing twice is refused (InvalidTransition), so the rows are
    written once even when two people close at the same moment."""
    with transaction.atomic():
        closed = SESSION_WORKFLOW.apply(obj=session, action="close", actor=actor)
        rows = Attendance._base_manager.filter(session=closed)
        _mark_absent(rows, closed, actor)
        for row in rows.filter(state=AttendanceState.ATTENDED).select_related("membership"):
            _sync_ledger(
                membership=row.membership,
                attended=True,
                source=closed,
                sub_kind=closed.kind,
                occurred_on=closed.date,
                half_days=closed.half_days,
                title=closed.title,
                actor=actor,
            )
    return closed


def _mark_absent(rows, session, actor):
    """On closing, members nobody marked are recorded absent (one audit row for all)."""
    pending = list(rows.filter(state=AttendanceState.INVITED).values_list("pk", flat=True))
    if pending:
        rows.filter(pk__in=pending).update(state=AttendanceState.ABSENT)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=session,
            after={"absent": pending},
            note=_("结束时未登记的 %(n)s 位委员记为缺席") % {"n": len(pending)},
        )


def session_act(*, actor, session: StudySession, action: str, note: str = "") -> StudySession:
    """hold / close / cancel (the table in ``workflow.py``)."""
    if action == "hold":
        return session_hold(actor=actor, session=session, note=note)
    if action == "close":
        return session_close(actor=actor, session=session)
    if action == "cancel":
        return session_cancel(actor=actor, session=session, note=note)
    raise ValidationError(_("未知操作。"))


def _sync_ledger(*, membership, attended, source, sub_kind, occurred_on, half_days, title, actor):
    """Bring the ledger to one live ``study`` row for an attended member, none otherwise."""
    rows = DutyRecord._base_manager.filter(
        membership=membership,
        kind="study",
        sub_kind=sub_kind,
        source_type=ContentType.objects.get_for_model(source),
        source_id=source.pk,
    )
    live = rows.aggregate(n=Sum("weight"))["n"] or 0
    if attended and live <= 0:
        record_duty(
            membership=membership,
            kind="study",
            sub_kind=sub_kind,
            occurred_on=occurred_on,
            half_days=half_days,
            source=source,
            title=title,
            role="participant",
            actor=actor,
        )
    elif not attended and live > 0:
        row = rows.filter(weight__gt=0).order_by("-pk").first()
        correct_duty(record=row, actor=actor, note=_("出席情况更正:%s") % title)


def _apply_attendance(*, model, actor, parent, entries, allowed):
    """Save the changed rows of ``entries`` ({row id: state}) under ``parent``; returns the
    changed rows (ValidationError and nothing saved on any bad entry). Rows left as they were
    are not checked against ``allowed``: a bulk form sends every row."""
    rows = {
        a.pk: a
        for a in model._base_manager.select_for_update()
        .filter(session=parent, pk__in=[int(pk) for pk in entries])
        .select_related("membership")
    }
    errors = {}
    if len(rows) != len(entries):
        errors["entries"] = _("出席记录无效,请刷新后重试。")
    labels = dict(AttendanceState.choices)
    changes = []
    for pk, state in entries.items():
        row = rows.get(int(pk))
        if state not in AttendanceState.values:
            errors[f"state_{pk}"] = _("请选择出席情况。")
        elif row is None or row.state == state:
            continue
        elif state not in allowed:
            errors[f"state_{pk}"] = _("此时只能登记为:%(states)s。") % {
                "states": "、".join(str(labels[s]) for s in allowed)
            }
        else:
            changes.append((row, state))
    if errors:
        raise ValidationError(errors)
    for row, state in changes:
        before = snapshot(row)
        row.state = state
        row.save(update_fields=["state"])
        audit_change(actor=actor, obj=row, before=before)
    return [row for row, _state in changes]


@transaction.atomic
def attendance_record(*, actor, session: StudySession, entries: dict) -> list[Attendance]:
    """Staff record attendance in bulk: ``entries`` maps attendance id to a state. Before the
    session is held only 待参加 and 请假 can be recorded; after it was closed each change
    corrects the ledger."""
    locked = StudySession.objects.select_for_update().get(pk=session.pk)
    _require(actor, "study.manage", locked)
    if locked.state == SessionState.CANCELLED:
        raise ValidationError(_("活动已取消。"))
    allowed = (
        (AttendanceState.INVITED, AttendanceState.LEAVE)
        if locked.state == SessionState.PLANNED
        else DECIDED
    )
    changed = _apply_attendance(
        model=Attendance, actor=actor, parent=locked, entries=entries, allowed=allowed
    )
    if locked.state == SessionState.CLOSED:
        for row in changed:
            _sync_ledger(
                membership=row.membership,
                attended=row.state == AttendanceState.ATTENDED,
                source=locked,
                sub_kind=locked.kind,
                occurred_on=locked.date,
                half_days=locked.half_days,
                title=locked.title,
                actor=actor,
            )
    return changed


@transaction.atomic
def session_sign_up(*, actor, session: StudySession) -> Attendance:
    """A member signs up for a training open for sign-up."""
    locked = StudySession.objects.select_for_update().get(pk=session.pk)
    if not locked.open_for_signup:
        raise ValidationError(_("该培训当前不接受报名。"))
    _require(actor, "study.sign_up", locked)
    membership = own_seat(actor, locked.committee)
    if membership is None:
        raise PermissionDenied(_("只有在任委员可以报名。"))
    if Attendance._base_manager.filter(session=locked, membership=membership).exists():
        raise ValidationError(_("您已在该培训的名单中。"))
    row = Attendance.objects.create(
        committee=locked.committee,
        session=locked,
        membership=membership,
        how=How.SIGNED_UP,
        created_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, after=snapshot(row))
    return row


@transaction.atomic
def session_withdraw(*, actor, session: StudySession) -> None:
    """A member withdraws their own sign-up while the training is still being prepared."""
    locked = StudySession.objects.select_for_update().get(pk=session.pk)
    if locked.state != SessionState.PLANNED:
        raise ValidationError(_("培训已举办或已取消,不能取消报名。"))
    row = Attendance._base_manager.filter(
        session=locked, membership__person__user=actor, how=How.SIGNED_UP
    ).first()
    if row is None:
        raise ValidationError(_("您没有自主报名该培训。"))
    audit_record(actor=actor, action=AuditAction.DELETE, obj=row, before=snapshot(row))
    row.delete()


# Materials (学习资料) -------------------------------------------------------------------------

MATERIAL_FIELDS = ("title", "kind", "url", "description", "tags")
URL_REQUIRED = (MaterialKind.LINK,)
FILE_OR_URL_REQUIRED = (MaterialKind.DOCUMENT, MaterialKind.VIDEO)


def normalise_tags(value) -> str:
    """ ",tag,tag," from any of 、,,;; or spaces between tags (each once, in order)."""
    if isinstance(value, list | tuple):
        parts = value
    else:
        text = str(value or "")
        for sep in "、,,;; ":
            text = text.replace(sep, ",")
        parts = text.split(",")
    tags = list(dict.fromkeys(p.strip()[:20] for p in parts if p.strip()))
    return f",{','.join(tags)}," if tags else ""


def _clean_material(data, *, has_file):
    errors = {}
    kind = data.get("kind") or ""
    if kind not in MaterialKind.values:
        errors["kind"] = _("请选择资料类型。")
    url = (data.get("url") or "").strip()
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            errors["url"] = _("请填写以 http:// 或 https:// 开头的有效网址。")
        if len(url) > 500:
            errors["url"] = _("网址不能超过500个字符。")
    if kind in URL_REQUIRED and not url and "url" not in errors:
        errors["url"] = _("链接类资料请填写网址。")
    if kind in FILE_OR_URL_REQUIRED and not url and not has_file and "url" not in errors:
        errors["url"] = _("文件和视频类资料请上传附件或填写网址。")
    tags = normalise_tags(data.get("tags"))
    if len(tags) > 255:
        errors["tags"] = _("主题标签过多。")
    values = {
        "title": _text(data, "title", 200, _("资料名称"), errors, required=True),
        "kind": kind,
        "url": url,
        "description": (data.get("description") or "").strip(),
        "tags": tags,
    }
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def material_create(*, actor, committee, data: dict, upload=None) -> StudyMaterial:
    _require(actor, "study.manage")
    values = _clean_material(data, has_file=upload is not None)
    material = StudyMaterial.objects.create(committee=committee, created_by=actor, **values)
    if upload is not None:
        material.attachment = _attach(committee, upload, actor, material)
        material.save(update_fields=["attachment"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=material, after=snapshot(material))
    return material


def _attach(committee, upload, actor, material):
    try:
        return attachment_create(committee=committee, upload=upload, actor=actor, target=material)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None


@transaction.atomic
def material_update(*, actor, material: StudyMaterial, data: dict, upload=None) -> StudyMaterial:
    locked = StudyMaterial.objects.select_for_update().get(pk=material.pk)
    _require(actor, "study.manage", locked)
    merged = {f: getattr(locked, f) for f in MATERIAL_FIELDS} | data
    values = _clean_material(merged, has_file=upload is not None or bool(locked.attachment_id))
    before = snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    fields = list(values)
    if upload is not None:
        locked.attachment = _attach(locked.committee, upload, actor, locked)
        fields.append("attachment")
    locked.save(update_fields=fields)
    audit_change(actor=actor, obj=locked, before=before)
    return locked


@transaction.atomic
def distribution_add(*, actor, material: StudyMaterial, data: dict) -> Distribution:
    """Record copies handed out (the library's totals are sums of these rows)."""
    _require(actor, "study.manage", material)
    errors = {}
    day = _date(data.get("date"), "date", _("发放日期"), errors)
    if day is not None and day > _today():
        errors["date"] = _("发放日期不能晚于今天。")
    try:
        copies = int(data.get("copies"))
    except (TypeError, ValueError):
        copies = None
    if copies is None or copies < 1:
        errors["copies"] = _("发放数量应为至少1册的整数。")
    elif copies > MAX_COPIES:
        errors["copies"] = _("发放数量过大,请核对。")
    session = data.get("session")
    if session is not None:
        if session.committee_id != material.committee_id:
            errors["session"] = _("请选择本会的学习培训活动。")
        elif session.state == SessionState.CANCELLED:
            errors["session"] = _("已取消的活动不能发放资料。")
    recipients = _text(data, "recipients", 255, _("发放对象"), errors)
    if errors:
        raise ValidationError(errors)
    row = Distribution.objects.create(
        committee=material.committee,
        material=material,
        date=day,
        copies=copies,
        session=session,
        recipients=recipients,
        created_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, after=snapshot(row))
    return row


@transaction.atomic
def distribution_remove(*, actor, distribution: Distribution) -> None:
    """Remove a distribution entered by mistake (the audit keeps what it was)."""
    _require(actor, "study.manage", distribution)
    audit_record(
        actor=actor, action=AuditAction.DELETE, obj=distribution, before=snapshot(distribution)
    )
    distribution.delete()


# Reading groups (书香政协) ----------------------------------------------------------------------


def _clean_group(committee, data, group=None):
    errors = {}
    name = _text(data, "name", 64, _("小组名称"), errors, required=True)
    if (
        name
        and ReadingGroup._base_manager.filter(committee=committee, name=name)
        .exclude(pk=group.pk if group else None)
        .exists()
    ):
        errors["name"] = _("已有同名的读书小组。")
    members = list(data.get("members") or [])
    leader = data.get("leader")
    try:
        members = _check_members(committee, members, name="members")
        if leader is not None:
            _check_members(committee, [leader], name="leader")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if leader is not None and leader not in members:
        members.append(leader)
    if not members and "members" not in errors:
        errors["members"] = _("请至少选择一位成员。")
    values = {
        "name": name,
        "leader": leader,
        "current_book": _text(data, "current_book", 200, _("在读书目"), errors),
        "description": (data.get("description") or "").strip(),
    }
    if errors:
        raise ValidationError(errors)
    return values, members


@transaction.atomic
def group_create(*, actor, committee, data: dict) -> ReadingGroup:
    _require(actor, "study.manage")
    values, members = _clean_group(committee, data)
    group = ReadingGroup.objects.create(committee=committee, created_by=actor, **values)
    group.members.set(members)
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=group,
        after={**snapshot(group), "members": [m.pk for m in members]},
    )
    return group


@transaction.atomic
def group_update(*, actor, group: ReadingGroup, data: dict) -> ReadingGroup:
    locked = ReadingGroup.objects.select_for_update().get(pk=group.pk)
    _require(actor, "study.manage", locked)
    values, members = _clean_group(locked.committee, data, group=locked)
    before = {**snapshot(locked), "members": sorted(locked.members.values_list("pk", flat=True))}
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    locked.members.set(members)
    audit_change(actor=actor, obj=locked, before=before)
    return locked


@transaction.atomic
def reading_session_create(
    *, actor, group: ReadingGroup, data: dict, plan_item=None
) -> ReadingSession:
    """A reading session of the group (optionally carrying out a 读书 plan item); every
    current member is expected (and told)."""
    locked = ReadingGroup.objects.select_for_update().get(pk=group.pk)
    _require(actor, "study.manage", locked)
    errors = {}
    if plan_item is not None and (
        plan_item.committee_id != locked.committee_id or plan_item.kind != StudyKind.READING
    ):
        errors["plan_item"] = _("请选择本会学习计划中的读书事项。")
    day = _date(data.get("date"), "date", _("日期"), errors)
    book = _text(data, "book_title", 200, _("书目"), errors) or locked.current_book
    if not book and "book_title" not in errors:
        errors["book_title"] = _("请填写书目。")
    half_days = _half_days(data.get("half_days"), errors)
    members = list(locked.members.in_office().select_related("person"))
    if not members:
        errors["date"] = _("读书小组没有在任成员。")
    if errors:
        raise ValidationError(errors)
    session = ReadingSession.objects.create(
        committee=locked.committee,
        group=locked,
        plan_item=plan_item,
        date=day,
        book_title=book,
        half_days=half_days,
        notes=(data.get("notes") or "").strip(),
        created_by=actor,
    )
    ReadingAttendance.objects.bulk_create(
        ReadingAttendance(committee=locked.committee, session=session, membership=m)
        for m in members
    )
    READING_WORKFLOW.history_model.objects.create(
        subject=session, from_state="", action="create", to_state=session.state, actor=actor,
        committee=locked.committee,
    )  # fmt: skip
    audit_record(actor=actor, action=AuditAction.CREATE, obj=session, after=snapshot(session))
    _tell(
        members,
        title=_("读书活动通知:%(g)s《%(b)s》") % {"g": locked.name, "b": book},
        body=_("定于 %(d)s 举行,请准时参加。") % {"d": day.isoformat()},
        url=reverse("study:reading_session_detail", args=[session.pk]),
        committee=locked.committee,
    )
    return session


@transaction.atomic
def reading_session_update(*, actor, session: ReadingSession, notes: str) -> ReadingSession:
    """The record of what was read and discussed (活动记录), kept after closing too."""
    locked = ReadingSession.objects.select_for_update().get(pk=session.pk)
    _require(actor, "study.manage", locked)
    if locked.state == ReadingState.CANCELLED:
        raise ValidationError(_("活动已取消。"))
    before = snapshot(locked, fields=["notes"])
    locked.notes = (notes or "").strip()
    locked.save(update_fields=["notes"])
    audit_change(actor=actor, obj=locked, before=before)
    return locked


@transaction.atomic
def reading_attendance_record(
    *, actor, session: ReadingSession, entries: dict
) -> list[ReadingAttendance]:
    locked = ReadingSession.objects.select_for_update().get(pk=session.pk)
    _require(actor, "study.manage", locked)
    if locked.state == ReadingState.CANCELLED:
        raise ValidationError(_("活动已取消。"))
    if locked.date > _today():
        allowed = (AttendanceState.INVITED, AttendanceState.LEAVE)
    elif locked.state == ReadingState.CLOSED:
        allowed = DECIDED
    else:
        allowed = AttendanceState.values
    changed = _apply_attendance(
        model=ReadingAttendance, actor=actor, parent=locked, entries=entries, allowed=allowed
    )
    if locked.state == ReadingState.CLOSED:
        for row in changed:
            _sync_reading_ledger(row, locked, actor)
    return changed


def _sync_reading_ledger(row, session, actor):
    _sync_ledger(
        membership=row.membership,
        attended=row.state == AttendanceState.ATTENDED,
        source=session,
        sub_kind="reading",
        occurred_on=session.date,
        half_days=session.half_days,
        title=_("读书活动:《%(b)s》") % {"b": session.book_title},
        actor=actor,
    )


def reading_session_act(
    *, actor, session: ReadingSession, action: str, note: str = ""
) -> ReadingSession:
    """close (ledger rows for the attended, the rest absent) or cancel."""
    note = (note or "").strip()
    if action == "cancel":
        if not note:
            raise ValidationError({"note": _("请填写取消的原因。")})
        return READING_WORKFLOW.apply(obj=session, action="cancel", actor=actor, note=note)

    def check(locked):
        if locked.date > _today():
            raise ValidationError(_("活动日期未到,不能结束。"))

    with transaction.atomic():
        closed = READING_WORKFLOW.apply(
            obj=session, action=action, actor=actor, note=note, check=check
        )
        rows = ReadingAttendance._base_manager.filter(session=closed)
        _mark_absent(rows, closed, actor)
        for row in rows.filter(state=AttendanceState.ATTENDED).select_related("membership"):
            _sync_reading_ledger(row, closed, actor)
    return closed
