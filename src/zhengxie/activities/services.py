"""Every write on activities and plans: keyword-only, atomic, permission-checked, leaving
history, audit rows and duty-ledger rows.

Ledger rule: a participant whose attendance is ``attended`` on a ``held`` activity has exactly
one live ledger row for it (kind by the activity's category, see ``LEDGER_KIND``). The ledger is
brought to that state whenever the activity is marked held or attendance is saved: a missing row
is appended, a row no longer due is cancelled with ``core.ledger.correct_duty``; saving the same
attendance twice changes nothing. Rows go to the member's own committee (a joint activity's
participants from another committee are credited there).

Report rule: each author of a report gets one row, ``research``/``report`` for research and
``activity_report``/<category> for the other categories (registered in ``apps.py``).
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.activities.models import (
    Activity,
    ActivityReport,
    ActivityState,
    Attendance,
    Category,
    How,
    ParticipantRole,
    Participation,
    Plan,
    PlanItem,
    PlanKind,
)
from zhengxie.activities.workflow import ACTIVITY_WORKFLOW, NOT_YET_HELD
from zhengxie.core.audit import audit_change, audit_record, snapshot
from zhengxie.core.ledger import correct_duty, record_duty
from zhengxie.core.models import AuditAction, DutyRecord, DutyRole
from zhengxie.core.notifications import notify
from zhengxie.core.sharing import share_record
from zhengxie.organisation.models import (
    MemberGroup,
    MembershipStatus,
    Sector,
    SpecialCommittee,
)
from zhengxie.organisation.queries import own_seat

# category -> (ledger kind, sub_kind) of a participant
LEDGER_KIND = {
    Category.INSPECTION: ("inspection", ""),
    Category.RESEARCH: ("research", "participant"),
    Category.SUPERVISION: ("supervision", ""),
    Category.SECTOR: ("activity", ""),
    Category.OTHER: ("activity", ""),
}

ACTIVITY_FIELDS = (
    "title",
    "category",
    "kind",
    "starts_on",
    "ends_on",
    "half_days",
    "place",
    "organiser",
    "special_committee",
    "group",
    "sector",
    "description",
    "signup_deadline",
)
# Fields the ledger depends on: fixed once the activity is held.
LEDGER_FIELDS = ("category", "starts_on", "half_days")


def _require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def _require_own(actor, committee):
    """Records are created only in the committee the actor is acting for."""
    role = getattr(actor, "active_role", None)
    if role is None or role.committee_id != committee.pk:
        raise PermissionDenied(_("只能在本委员会登记。"))


def report_ledger_kind(category):
    if category == Category.RESEARCH:
        return "research", "report"
    return "activity_report", category


def default_half_days(starts_on, ends_on):
    """Two half-days per calendar day of the activity (used when staff leave it blank)."""
    days = ((ends_on or starts_on) - starts_on).days + 1
    return Decimal(max(days, 1) * 2)


def _tell(users, activity, title):
    """Notify ``users`` (accounts of members) once the transaction commits."""
    users = [u for u in users if u is not None]
    if not users:
        return
    url = reverse("activities:detail", args=[activity.pk])
    committee = activity.committee
    transaction.on_commit(
        lambda: notify(recipients=users, title=title, url=url, kind="activity", committee=committee)
    )


def _member_users(committee_id, membership_ids=None):
    from zhengxie.core.models import User

    users = User.objects.filter(
        person__memberships__committee_id=committee_id,
        person__memberships__status=MembershipStatus.IN_OFFICE,
    )
    if membership_ids is not None:
        users = users.filter(person__memberships__in=list(membership_ids))
    return list(users.distinct())


# Validation -----------------------------------------------------------------------------------


def _date(value, field, label, errors, required=False):
    if value in (None, ""):
        if required:
            errors[field] = _("请填写%(label)s。") % {"label": label}
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = _("%(label)s格式不正确。") % {"label": label}
        return None


def _half_days(value, field, errors):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        errors[field] = _("时长请填写数字(以半天计)。")
        return None
    if number <= 0 or number > 60 or number != number.quantize(Decimal("0.1")):
        errors[field] = _("时长应在0.1到60个半天之间,最多一位小数。")
        return None
    return number


def _own(model, value, committee, field, errors):
    """An organisation record of ``committee`` (given as object or id), or an error."""
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    obj = model._base_manager.filter(pk=pk, committee=committee).first()
    if obj is None:
        errors[field] = _("请选择本会的有效选项。")
    return obj


def _clean_activity(committee, data, *, partial_of=None):
    """Typed values of ``data`` for the activity fields, or ValidationError (all messages)."""
    errors = {}
    base = {f: getattr(partial_of, f) for f in ACTIVITY_FIELDS} if partial_of else {}
    merged = {**base, **{k: v for k, v in data.items() if k in ACTIVITY_FIELDS}}
    values = {}
    title = (merged.get("title") or "").strip()
    if not title:
        errors["title"] = _("请填写活动名称。")
    elif len(title) > 200:
        errors["title"] = _("活动名称不能超过200字。")
    values["title"] = title
    category = merged.get("category") or ""
    if category not in Category.values:
        errors["category"] = _("请选择活动类别。")
    values["category"] = category
    kind = (merged.get("kind") or "").strip()
    if len(kind) > 32:
        errors["kind"] = _("活动形式不能超过32字。")
    values["kind"] = kind
    values["starts_on"] = _date(merged.get("starts_on"), "starts_on", _("开始日期"), errors, True)
    values["ends_on"] = _date(merged.get("ends_on"), "ends_on", _("结束日期"), errors)
    if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
        errors["ends_on"] = _("结束日期不能早于开始日期。")
    values["signup_deadline"] = _date(
        merged.get("signup_deadline"), "signup_deadline", _("报名截止日期"), errors
    )
    if (
        values["signup_deadline"]
        and values["starts_on"]
        and values["signup_deadline"] > values["starts_on"]
    ):
        errors["signup_deadline"] = _("报名截止日期不能晚于活动开始日期。")
    values["half_days"] = _half_days(merged.get("half_days"), "half_days", errors)
    for name, limit, label in (
        ("place", 128, _("地点")),
        ("organiser", 128, _("组织单位")),
    ):
        text = (merged.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = _("%(label)s不能超过%(n)s字。") % {"label": label, "n": limit}
        values[name] = text
    values["description"] = (merged.get("description") or "").strip()
    values["special_committee"] = _own(
        SpecialCommittee, merged.get("special_committee"), committee, "special_committee", errors
    )
    values["group"] = _own(MemberGroup, merged.get("group"), committee, "group", errors)
    values["sector"] = _own(Sector, merged.get("sector"), committee, "sector", errors)
    if errors:
        raise ValidationError(errors)
    if values["half_days"] is None:
        values["half_days"] = default_half_days(values["starts_on"], values["ends_on"])
    if not values["organiser"]:
        for org in (values["special_committee"], values["group"], values["sector"]):
            if org is not None:
                values["organiser"] = str(org)[:128]
                break
    return values


# Activities -----------------------------------------------------------------------------------


@transaction.atomic
def activity_create(*, actor, committee, data: dict, context=None, plan_item=None) -> Activity:
    """A new activity of ``committee`` (state 筹备中).

    ``data`` keys are the model's field names (title, category, kind, starts_on, ends_on,
    half_days, place, organiser, special_committee, group, sector, description,
    signup_deadline); dates may be ``date`` objects or ISO strings, FKs objects or ids. An
    optional ``data["state"]`` of ``open`` or ``held`` moves it on at once (for records of
    activities already held). ``context`` is any committee-owned record this activity belongs
    to (e.g. a supervision group); ``plan_item`` the plan item it carries out.
    """
    _require(actor, "activities.create")
    _require_own(actor, committee)
    values = _clean_activity(committee, data)
    if context is not None and getattr(context, "committee_id", None) != committee.pk:
        raise ValidationError(_("关联记录不属于本委员会。"))
    if plan_item is not None and plan_item.committee_id != committee.pk:
        raise ValidationError({"plan_item": _("计划事项不属于本委员会。")})
    target = data.get("state") or ActivityState.PLANNED
    if target not in (ActivityState.PLANNED, ActivityState.OPEN, ActivityState.HELD):
        raise ValidationError({"state": _("新活动只能是筹备中、报名中或已开展。")})
    activity = Activity.objects.create(
        committee=committee,
        context_type=ContentType.objects.get_for_model(context) if context is not None else None,
        context_id=context.pk if context is not None else None,
        plan_item=plan_item,
        imported=bool(data.get("imported")),
        created_by=actor,
        **values,
    )
    ACTIVITY_WORKFLOW.history_model.objects.create(
        subject=activity,
        from_state="",
        action="create",
        to_state=activity.state,
        actor=actor,
        committee=committee,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=activity, after=snapshot(activity))
    if target != ActivityState.PLANNED:
        activity = activity_act(
            actor=actor, activity=activity, action="hold" if target == "held" else "open"
        )
    return activity


@transaction.atomic
def activity_update(*, actor, activity, data: dict) -> Activity:
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    _require(actor, "activities.edit", locked)
    if locked.state == ActivityState.CANCELLED:
        raise ValidationError(_("已取消的活动不能修改。"))
    values = _clean_activity(locked.committee, data, partial_of=locked)
    if locked.state == ActivityState.HELD:
        changed = [f for f in LEDGER_FIELDS if values[f] != getattr(locked, f)]
        if changed:
            raise ValidationError({changed[0]: _("活动已开展,类别、开始日期和时长不能再修改。")})
    before = snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    audit_change(actor=actor, obj=locked, before=before)
    return locked


def activity_act(*, actor, activity, action: str, note: str = "") -> Activity:
    """open / close / hold / cancel (the table in ``workflow.py``). Holding an activity writes
    the ledger rows of participants already recorded as attended."""
    with transaction.atomic():
        result = ACTIVITY_WORKFLOW.apply(obj=activity, action=action, actor=actor, note=note)
        if action == "open":
            _tell(
                _member_users(result.committee_id),
                result,
                _("活动开始报名:%(t)s") % {"t": result.title},
            )
        if action == "cancel":
            ids = Participation._base_manager.filter(activity=result).values_list(
                "membership_id", flat=True
            )
            _tell(
                _member_users(result.committee_id, ids),
                result,
                _("活动已取消:%(t)s") % {"t": result.title},
            )
        if action == "hold":
            for participation in Participation._base_manager.filter(activity=result).select_related(
                "membership"
            ):
                participation.activity = result
                sync_participation_ledger(participation, actor)
        return result


@transaction.atomic
def activity_share(*, actor, activity, committee):
    """Share as joint work (联动) with another committee: its insiders see the activity and its
    staff add and record their own members."""
    _require(actor, "activities.share", activity)
    if activity.state == ActivityState.CANCELLED:
        raise ValidationError(_("已取消的活动不能共享。"))
    return share_record(obj=activity, committee=committee, kind="joint", actor=actor)


# Participants ---------------------------------------------------------------------------------


@transaction.atomic
def participation_sign_up(*, actor, activity) -> Participation:
    """A member signs up while sign-up is open (for a joint activity, members of a
    participating committee too)."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.state != ActivityState.OPEN:
        raise ValidationError(_("该活动当前不在报名中。"))
    if locked.signup_deadline and timezone.localdate() > locked.signup_deadline:
        raise ValidationError(_("报名已截止。"))
    _require(actor, "activities.sign_up", locked)
    committee = actor.active_role.committee
    membership = own_seat(actor, committee)
    if membership is None:
        raise PermissionDenied(_("只有在任委员可以报名。"))
    if Participation._base_manager.filter(activity=locked, membership=membership).exists():
        raise ValidationError(_("您已报名参加该活动。"))
    participation = Participation.objects.create(
        committee_id=membership.committee_id,
        activity=locked,
        membership=membership,
        how=How.SIGNED_UP,
        created_by=actor,
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=participation, after=snapshot(participation)
    )
    return participation


@transaction.atomic
def participation_withdraw(*, actor, activity):
    """A member withdraws their own sign-up while sign-up is still open."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    if locked.state != ActivityState.OPEN:
        raise ValidationError(_("报名已结束,如不能参加请向机关请假。"))
    participation = (
        Participation.objects.filter(activity=locked, membership__person__user=actor)
        .select_related("membership")
        .first()
    )
    if participation is None:
        raise ValidationError(_("您没有报名该活动。"))
    audit_record(
        actor=actor, action=AuditAction.DELETE, obj=participation, before=snapshot(participation)
    )
    participation.delete()


@transaction.atomic
def participants_assign(
    *, actor, activity, memberships, role: str = ParticipantRole.PARTICIPANT
) -> list[Participation]:
    """Staff add members (their own committee's, in office); members already in are skipped."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    _require(actor, "activities.manage_participants", locked)
    if locked.state == ActivityState.CANCELLED:
        raise ValidationError(_("已取消的活动不能安排委员。"))
    if role not in ParticipantRole.values:
        raise ValidationError({"role": _("请选择有效的角色。")})
    committee_id = actor.active_role.committee_id
    memberships = list(memberships)
    if not memberships:
        raise ValidationError({"memberships": _("请至少选择一位委员。")})
    for m in memberships:
        if m.committee_id != committee_id or m.status != MembershipStatus.IN_OFFICE:
            raise ValidationError({"memberships": _("只能安排本会在任委员。")})
    existing = set(
        Participation._base_manager.filter(activity=locked).values_list("membership_id", flat=True)
    )
    created = []
    for m in dict.fromkeys(memberships):
        if m.pk in existing:
            continue
        participation = Participation.objects.create(
            committee_id=m.committee_id,
            activity=locked,
            membership=m,
            how=How.ASSIGNED,
            role=role,
            created_by=actor,
        )
        created.append(participation)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        after={"assigned": [p.membership_id for p in created]},
        note=_("安排参加委员"),
    )
    if created and locked.state in NOT_YET_HELD:
        _tell(
            _member_users(committee_id, [p.membership_id for p in created]),
            locked,
            _("请参加活动:%(t)s(%(d)s)") % {"t": locked.title, "d": locked.starts_on},
        )
    return created


@transaction.atomic
def participation_remove(*, actor, participation):
    """Staff take a member off an activity not yet held."""
    activity = Activity.objects.select_for_update().get(pk=participation.activity_id)
    _require(actor, "activities.manage_participants", activity)
    if activity.state not in NOT_YET_HELD:
        raise ValidationError(_("活动已开展,请登记出勤情况而不是移除委员。"))
    audit_record(
        actor=actor, action=AuditAction.DELETE, obj=participation, before=snapshot(participation)
    )
    participation.delete()


@transaction.atomic
def attendance_record(*, actor, activity, entries: dict) -> list[Participation]:
    """Record attendance of a held activity: ``entries`` maps participation id to a dict with
    ``attendance`` and optionally ``half_days`` (override, None to use the activity's) and
    ``role``. Only the actor's own committee's participants can be recorded. Ledger rows follow
    (see the module docstring)."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    _require(actor, "activities.record_attendance", locked)
    if locked.state != ActivityState.HELD:
        raise ValidationError(_("活动开展后才能登记出勤。"))
    committee_id = actor.active_role.committee_id
    rows = {
        p.pk: p
        for p in Participation.objects.select_for_update()
        .filter(activity=locked, committee_id=committee_id, pk__in=list(entries))
        .select_related("membership")
    }
    errors = {}
    for pk in entries:
        if int(pk) not in rows:
            errors["entries"] = _("参加委员记录无效,请刷新后重试。")
    changed = []
    for pk, entry in entries.items():
        p = rows.get(int(pk))
        if p is None:
            continue
        attendance = entry.get("attendance")
        if attendance not in Attendance.values:
            errors[f"attendance_{pk}"] = _("请选择出勤情况。")
            continue
        half = _half_days(entry.get("half_days"), f"half_days_{pk}", errors)
        role = entry.get("role") or p.role
        if role not in ParticipantRole.values:
            errors[f"role_{pk}"] = _("请选择有效的角色。")
            continue
        if (p.attendance, p.half_days, p.role) != (attendance, half, role):
            before = snapshot(p)
            p.attendance, p.half_days, p.role = attendance, half, role
            p.save(update_fields=["attendance", "half_days", "role"])
            audit_change(actor=actor, obj=p, before=before)
        changed.append(p)
    if errors:
        raise ValidationError(errors)
    for p in changed:
        p.activity = locked
        sync_participation_ledger(p, actor)
    return changed


def sync_participation_ledger(participation, actor):
    """Bring the ledger to one live row per attended participant of a held activity."""
    activity = participation.activity
    kind, sub_kind = LEDGER_KIND[activity.category]
    source_type = ContentType.objects.get_for_model(Activity)
    rows = DutyRecord._base_manager.filter(
        membership_id=participation.membership_id,
        kind=kind,
        sub_kind=sub_kind,
        source_type=source_type,
        source_id=activity.pk,
    )
    live = rows.aggregate(n=Sum("weight"))["n"] or 0
    due = activity.state == ActivityState.HELD and participation.attendance == Attendance.ATTENDED
    half_days = participation.effective_half_days
    role = DutyRole.LEAD if participation.role == ParticipantRole.LEAD else DutyRole.PARTICIPANT
    if live > 0:
        current = rows.filter(weight__gt=0).order_by("-pk").first()
        if due and (current.half_days, current.role) == (half_days, role):
            return
        correct_duty(record=current, actor=actor, note=_("出勤更正:%(t)s") % {"t": activity})
    if due:
        record_duty(
            membership=participation.membership,
            kind=kind,
            sub_kind=sub_kind,
            occurred_on=activity.starts_on,
            source=activity,
            title=activity.title,
            role=role,
            half_days=half_days,
            actor=actor,
        )


# Reports --------------------------------------------------------------------------------------


@transaction.atomic
def report_create(*, actor, activity, data: dict, authors=(), attachment=None) -> ActivityReport:
    """The report of a held activity; each author gets a ledger row (see module docstring).
    Recommendations are then added with ``core.followup.recommendation_add`` on the report."""
    locked = Activity.objects.select_for_update().get(pk=activity.pk)
    _require(actor, "activities.write_report", locked)
    if locked.state != ActivityState.HELD:
        raise ValidationError(_("活动开展后才能登记报告。"))
    errors = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("请填写报告标题。")
    elif len(title) > 200:
        errors["title"] = _("报告标题不能超过200字。")
    written_on = _date(data.get("written_on"), "written_on", _("成文日期"), errors, True)
    adopted_on = _date(data.get("adopted_on"), "adopted_on", _("采纳日期"), errors)
    if written_on and written_on < locked.starts_on:
        errors["written_on"] = _("成文日期不能早于活动开始日期。")
    if written_on and adopted_on and adopted_on < written_on:
        errors["adopted_on"] = _("采纳日期不能早于成文日期。")
    authors = list(dict.fromkeys(authors))
    if any(m.committee_id != locked.committee_id for m in authors):
        errors["authors"] = _("执笔委员须为本会委员。")
    if attachment is not None and attachment.committee_id != locked.committee_id:
        errors["attachment"] = _("附件无效。")
    if errors:
        raise ValidationError(errors)
    report = ActivityReport.objects.create(
        committee=locked.committee,
        activity=locked,
        title=title,
        text=(data.get("text") or "").strip(),
        written_on=written_on,
        adopted_on=adopted_on,
        attachment=attachment,
        created_by=actor,
    )
    report.authors.set(authors)
    kind, sub_kind = report_ledger_kind(locked.category)
    for order, membership in enumerate(authors, start=1):
        record_duty(
            membership=membership,
            kind=kind,
            sub_kind=sub_kind,
            occurred_on=written_on,
            source=report,
            title=title,
            role=DutyRole.LEAD if order == 1 else DutyRole.CO_SIGNER,
            order=order,
            participants=len(authors),
            actor=actor,
        )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report, after=snapshot(report))
    return report


@transaction.atomic
def report_update(*, actor, report, data: dict) -> ActivityReport:
    """Edit title, text and adoption date (authors and date written stay, they are in the
    ledger)."""
    locked = ActivityReport.objects.select_for_update().get(pk=report.pk)
    _require(actor, "activities.write_report", locked.activity)
    errors = {}
    title = (data.get("title", locked.title) or "").strip()
    if not title:
        errors["title"] = _("请填写报告标题。")
    elif len(title) > 200:
        errors["title"] = _("报告标题不能超过200字。")
    adopted_on = _date(data.get("adopted_on"), "adopted_on", _("采纳日期"), errors)
    if adopted_on and adopted_on < locked.written_on:
        errors["adopted_on"] = _("采纳日期不能早于成文日期。")
    if errors:
        raise ValidationError(errors)
    before = snapshot(locked)
    locked.title = title
    locked.text = (data.get("text", locked.text) or "").strip()
    locked.adopted_on = adopted_on
    locked.save(update_fields=["title", "text", "adopted_on"])
    audit_change(actor=actor, obj=locked, before=before)
    return locked


# Plans ----------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, committee, data: dict) -> Plan:
    _require(actor, "activities.manage_plans")
    _require_own(actor, committee)
    errors = {}
    try:
        year = int(data.get("year") or 0)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        errors["year"] = _("请填写有效的年度。")
    kind = data.get("kind") or ""
    if kind not in PlanKind.values:
        errors["kind"] = _("请选择计划类型。")
    sc = _own(
        SpecialCommittee, data.get("special_committee"), committee, "special_committee", errors
    )
    if kind == PlanKind.SPECIAL_COMMITTEE and sc is None and "special_committee" not in errors:
        errors["special_committee"] = _("专委会工作计划请选择专门委员会。")
    if kind == PlanKind.TOPICS:
        sc = None
    title = (data.get("title") or "").strip()
    if not title and not errors:
        title = (
            _("%(y)s年度视察调研监督议题计划") % {"y": year}
            if kind == PlanKind.TOPICS
            else _("%(sc)s%(y)s年度工作计划") % {"sc": sc, "y": year}
        )
    if len(title) > 128:
        errors["title"] = _("名称不能超过128字。")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            plan = Plan.objects.create(
                committee=committee,
                year=year,
                kind=kind,
                special_committee=sc,
                title=title,
                note=(data.get("note") or "").strip(),
                created_by=actor,
            )
    except IntegrityError:
        raise ValidationError({"year": _("该年度的此类计划已存在。")}) from None
    audit_record(actor=actor, action=AuditAction.CREATE, obj=plan, after=snapshot(plan))
    return plan


def _clean_item(committee, data, errors):
    values = {}
    topic = (data.get("topic") or "").strip()
    if not topic:
        errors["topic"] = _("请填写议题。")
    elif len(topic) > 200:
        errors["topic"] = _("议题不能超过200字。")
    values["topic"] = topic
    category = data.get("category") or ""
    if category not in Category.values:
        errors["category"] = _("请选择活动类别。")
    values["category"] = category
    values["lead_special_committee"] = _own(
        SpecialCommittee,
        data.get("lead_special_committee"),
        committee,
        "lead_special_committee",
        errors,
    )
    for name, limit in (("lead_office", 64), ("lead_chair", 32), ("note", 255)):
        text = (data.get(name) or "").strip()
        if len(text) > limit:
            errors[name] = _("不能超过%(n)s字。") % {"n": limit}
        values[name] = text
    for name, top in (("planned_month", 12), ("planned_quarter", 4)):
        raw = data.get(name)
        if raw in (None, ""):
            values[name] = None
            continue
        try:
            number = int(raw)
        except (TypeError, ValueError):
            number = 0
        if not 1 <= number <= top:
            errors[name] = _("请填写1到%(n)s之间的数字。") % {"n": top}
        values[name] = number
    return values


@transaction.atomic
def plan_item_add(*, actor, plan, data: dict) -> PlanItem:
    _require(actor, "activities.manage_plans", plan)
    errors = {}
    values = _clean_item(plan.committee, data, errors)
    if errors:
        raise ValidationError(errors)
    position = plan.items.count() + 1
    item = PlanItem.objects.create(committee=plan.committee, plan=plan, position=position, **values)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=item, after=snapshot(item))
    return item


@transaction.atomic
def plan_item_update(*, actor, item, data: dict) -> PlanItem:
    locked = PlanItem.objects.select_for_update().get(pk=item.pk)
    _require(actor, "activities.manage_plans", locked)
    errors = {}
    values = _clean_item(locked.committee, data, errors)
    if errors:
        raise ValidationError(errors)
    before = snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    audit_change(actor=actor, obj=locked, before=before)
    return locked


@transaction.atomic
def plan_item_delete(*, actor, item):
    _require(actor, "activities.manage_plans", item)
    if Activity._base_manager.filter(plan_item=item).exists():
        raise ValidationError(_("该事项已有活动,不能删除。"))
    audit_record(actor=actor, action=AuditAction.DELETE, obj=item, before=snapshot(item))
    item.delete()


def activity_data_from_item(item) -> dict:
    """Initial activity fields for carrying out a plan item (开展活动)."""
    return {
        "title": item.topic,
        "category": item.category,
        "special_committee": item.lead_special_committee,
        "organiser": str(item.lead_special_committee or item.lead_office or "")[:128],
    }
