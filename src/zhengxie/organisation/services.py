"""Writes of the organisation: people, memberships, status changes, positions and structure.

Every function is keyword-only, atomic, permission-checked and audited. ``Membership.status``
changes only in ``membership_change_status``.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengxie.core.audit import audit_change, audit_record, snapshot
from zhengxie.core.fields import digest
from zhengxie.core.models import AuditAction
from zhengxie.organisation.models import (
    STATUS_AFTER_CHANGE,
    HandlingUnit,
    MemberGroup,
    Membership,
    MembershipStatus,
    MembershipStatusChange,
    Person,
    Position,
    PositionEndReason,
    PositionKind,
    Sector,
    Session,
    SpecialCommittee,
    StatusChangeKind,
    Term,
)

PERSON_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_year",
    "party",
    "religion",
    "education",
    "id_number",
    "phone",
    "email",
)
MEMBERSHIP_FIELDS = ("sector", "group", "number", "work_unit", "job_title", "joined_on")

# Which status a change may start from.
CHANGE_SOURCES = {
    StatusChangeKind.ADDED: (
        MembershipStatus.RESIGNED,
        MembershipStatus.REMOVED,
        MembershipStatus.ENDED,
    ),
    StatusChangeKind.RESIGNED: (MembershipStatus.IN_OFFICE,),
    StatusChangeKind.REMOVED: (MembershipStatus.IN_OFFICE,),
    StatusChangeKind.ENDED: (MembershipStatus.IN_OFFICE,),
}
POSITION_END_REASON = {
    StatusChangeKind.RESIGNED: PositionEndReason.RESIGNED,
    StatusChangeKind.REMOVED: PositionEndReason.REMOVED,
    StatusChangeKind.ENDED: PositionEndReason.ENDED,
}


def require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(_("您没有权限执行此操作。"))


# People and memberships -------------------------------------------------------------------


def _apply_person_fields(person, data):
    changed = []
    for field in PERSON_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if value is None and field != "birth_year":
            value = ""
        if getattr(person, field) != value:
            setattr(person, field, value)
            changed.append(field)
    if "id_number" in changed:
        person.id_number_digest = digest(person.id_number) if person.id_number else ""
        changed.append("id_number_digest")
    return changed


def _check_id_number_free(person, committee):
    if not person.id_number:
        return
    taken = Person.objects.filter(id_number_digest=digest(person.id_number))
    if person.pk:
        taken = taken.exclude(pk=person.pk)
    if taken.exists():
        raise ValidationError({"id_number": _("该身份证号已登记在其他人员名下。")})


def create_person_row(*, committee, data):
    """Insert a person without permission check or audit (callers do both)."""
    person = Person(committee=committee)
    _apply_person_fields(person, data)
    person.save()
    return person


@transaction.atomic
def person_create(*, actor, committee, data: dict) -> Person:
    require(actor, "organisation.manage_roster")
    person = Person(committee=committee)
    _apply_person_fields(person, data)
    _check_id_number_free(person, committee)
    person.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=person, after=snapshot(person))
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict) -> Person:
    require(actor, "organisation.manage_roster")
    # The caller reached ``person`` through the scoped manager; its DISTINCT cannot be locked.
    person = Person._base_manager.select_for_update().get(pk=person.pk)
    before = snapshot(person)
    changed = _apply_person_fields(person, data)
    if not changed:
        return person
    _check_id_number_free(person, person.committee)
    person.save(update_fields=changed)
    audit_change(actor=actor, obj=person, before=before)
    return person


def create_membership_row(
    *, committee, term, person, data, kind=StatusChangeKind.ELECTED, decided_by="", actor=None
):
    """Insert a membership and its first history row (no permission check, no audit)."""
    membership = Membership(committee=committee, term=term, person=person)
    apply_membership_fields(membership, data)
    membership.status = MembershipStatus.IN_OFFICE
    membership.save()
    MembershipStatusChange.objects.create(
        subject=membership,
        committee=committee,
        from_state="",
        action=kind,
        to_state=MembershipStatus.IN_OFFICE,
        kind=kind,
        effective_on=membership.joined_on,
        decided_by=decided_by,
        actor=actor,
    )
    return membership


@transaction.atomic
def membership_create(
    *,
    actor,
    committee,
    term: Term,
    person: Person,
    data: dict,
    kind: str = StatusChangeKind.ELECTED,
    decided_by: str = "",
) -> Membership:
    require(actor, "organisation.manage_roster")
    if kind not in (StatusChangeKind.ELECTED, StatusChangeKind.ADDED):
        raise ValidationError(_("新委员只能通过“换届产生”或“增补”产生。"))
    if Membership.objects.filter(term=term, person=person).exists():
        raise ValidationError(_("该人员在本届已有委员身份。"))
    membership = create_membership_row(
        committee=committee,
        term=term,
        person=person,
        data=data,
        kind=kind,
        decided_by=decided_by,
        actor=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=membership, after=snapshot(membership))
    return membership


def apply_membership_fields(membership, data):
    changed = []
    for field in MEMBERSHIP_FIELDS:
        if field not in data:
            continue
        value = data[field]
        if value is None and field not in ("group", "joined_on"):
            value = ""
        if field in ("sector", "group"):
            if getattr(membership, f"{field}_id") == (value.pk if value else None):
                continue
        elif getattr(membership, field) == value:
            continue
        setattr(membership, field, value)
        changed.append(field)
    return changed


@transaction.atomic
def membership_update(*, actor, membership: Membership, data: dict) -> Membership:
    """Edit the seat's details. Never the status: see ``membership_change_status``."""
    require(actor, "organisation.manage_roster")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    before = snapshot(membership)
    changed = apply_membership_fields(membership, data)
    if changed:
        membership.save(update_fields=changed)
        audit_change(actor=actor, obj=membership, before=before)
    return membership


@transaction.atomic
def membership_change_status(
    *,
    membership: Membership,
    kind: str,
    effective_on: datetime.date,
    decided_by: str,
    note: str,
    actor,
) -> Membership:
    """增补 / 辞去 / 撤销 / 届满: the only place that changes ``Membership.status``.

    Locks the row and re-checks the state, so of two staff resigning the same member at once
    one succeeds and the other is told the state has already changed.
    """
    require(actor, "organisation.manage_roster")
    if kind not in CHANGE_SOURCES:
        raise ValidationError(_("无效的变动类型。"))
    membership = (
        Membership.objects.select_for_update().select_related("person").get(pk=membership.pk)
    )
    labels = dict(MembershipStatus.choices)
    if membership.status not in CHANGE_SOURCES[kind]:
        raise ValidationError(
            _("该委员当前状态为「%(status)s」,不能办理「%(kind)s」。")
            % {"status": labels[membership.status], "kind": StatusChangeKind(kind).label}
        )
    if effective_on < membership.joined_on:
        raise ValidationError(_("变动日期不能早于任职日期。"))
    before = snapshot(membership, fields=["status", "left_on"])
    from_state = membership.status
    membership.status = STATUS_AFTER_CHANGE[kind]
    membership.left_on = None if kind == StatusChangeKind.ADDED else effective_on
    membership.save(update_fields=["status", "left_on"])
    MembershipStatusChange.objects.create(
        subject=membership,
        committee=membership.committee,
        from_state=from_state,
        action=kind,
        to_state=membership.status,
        kind=kind,
        effective_on=effective_on,
        decided_by=decided_by,
        note=note,
        actor=actor,
    )
    if kind in POSITION_END_REASON:
        open_positions = Position.objects.select_for_update().filter(
            membership=membership, ends_on__isnull=True
        )
        for position in open_positions:
            position.ends_on = max(effective_on, position.starts_on)
            position.end_reason = POSITION_END_REASON[kind]
            position.end_decided_by = decided_by
            position.save(update_fields=["ends_on", "end_reason", "end_decided_by"])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=membership,
        before=before,
        after=snapshot(membership, fields=["status", "left_on"]),
        note=f"{StatusChangeKind(kind).label} {effective_on:%Y-%m-%d} {decided_by}".strip(),
    )
    return membership


# Positions ---------------------------------------------------------------------------------


def open_position_exists(membership, kind, office="", special_committee=None):
    qs = Position.objects.filter(membership=membership, kind=kind, ends_on__isnull=True)
    if kind == PositionKind.OFFICE:
        qs = qs.filter(office=office)
    if kind == PositionKind.SPECIAL_COMMITTEE:
        qs = qs.filter(special_committee=special_committee)
    return qs.exists()


@transaction.atomic
def position_start(
    *,
    actor,
    membership: Membership,
    kind: str,
    starts_on: datetime.date,
    decided_by: str = "",
    office: str = "",
    special_committee: SpecialCommittee | None = None,
    role_title: str = "",
) -> Position:
    """常委, 主席/副主席/秘书长, a special-committee seat …, from a date, decided by a meeting."""
    require(actor, "organisation.manage_roster")
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.status != MembershipStatus.IN_OFFICE:
        raise ValidationError(_("只有在任委员才能担任职务。"))
    if kind == PositionKind.OFFICE and not office:
        raise ValidationError({"office": _("请选择领导职务。")})
    if kind == PositionKind.SPECIAL_COMMITTEE and special_committee is None:
        raise ValidationError({"special_committee": _("请选择专门委员会。")})
    if kind != PositionKind.OFFICE:
        office = ""
    if kind != PositionKind.SPECIAL_COMMITTEE:
        special_committee = None
    if starts_on < membership.joined_on:
        raise ValidationError({"starts_on": _("开始日期不能早于任职日期。")})
    if open_position_exists(membership, kind, office, special_committee):
        raise ValidationError(_("该委员已担任此职务。"))
    position = Position.objects.create(
        committee=membership.committee,
        membership=membership,
        kind=kind,
        office=office,
        special_committee=special_committee,
        role_title=role_title,
        starts_on=starts_on,
        start_decided_by=decided_by,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=position, after=snapshot(position))
    return position


@transaction.atomic
def position_end(
    *,
    actor,
    position: Position,
    ends_on: datetime.date,
    reason: str,
    decided_by: str = "",
) -> Position:
    require(actor, "organisation.manage_roster")
    position = Position.objects.select_for_update().get(pk=position.pk)
    if position.ends_on is not None:
        raise ValidationError(_("该职务已于 %(date)s 结束。") % {"date": position.ends_on})
    if ends_on < position.starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    if reason not in PositionEndReason.values:
        raise ValidationError({"reason": _("请选择结束原因。")})
    before = snapshot(position)
    position.ends_on = ends_on
    position.end_reason = reason
    position.end_decided_by = decided_by
    position.save(update_fields=["ends_on", "end_reason", "end_decided_by"])
    audit_change(actor=actor, obj=position, before=before)
    return position


# Sensitive data ----------------------------------------------------------------------------


def sensitive_access(*, actor, person: Person, committee, channel: str = "") -> bool:
    """Whether ``actor`` sees ``person``'s ID, phone and religion in clear; when they do and
    it is someone else's record holding such data, the viewing is audited. Pages and API
    both ask here."""
    clear = actor.has_perm("organisation.view_sensitive") or actor.has_perm(
        "organisation.view_own_sensitive", person
    )
    own = person.user_id is not None and person.user_id == actor.pk
    if clear and not own and (person.id_number or person.phone or person.religion):
        sensitive_view_record(actor=actor, person=person, committee=committee, channel=channel)
    return clear


def sensitive_view_record(*, actor, person: Person, committee, channel: str = "") -> None:
    """Log that unmasked ID/phone/religion data of ``person`` was shown to ``actor``."""
    audit_record(
        actor=actor,
        action=AuditAction.VIEW_SENSITIVE,
        obj=person,
        committee=committee,
        note=f"{_('查看委员敏感信息')} {channel}".strip(),
    )


# Structure ---------------------------------------------------------------------------------

STRUCTURE_MODELS = {
    "term": Term,
    "session": Session,
    "sector": Sector,
    "special-committee": SpecialCommittee,
    "group": MemberGroup,
    "unit": HandlingUnit,
}
UNIQUE_TOGETHER = {
    Term: (("number",), ("name",)),
    Session: (("term", "number"), ("name",)),
    Sector: (("name",),),
    SpecialCommittee: (("name",),),
    MemberGroup: (("name",),),
    HandlingUnit: (("name",),),
}


def _check_unique(obj):
    model = type(obj)
    for fields in UNIQUE_TOGETHER[model]:
        lookup = {field: getattr(obj, field) for field in fields}
        clash = model.objects.filter(committee=obj.committee, **lookup)
        if obj.pk:
            clash = clash.exclude(pk=obj.pk)
        if clash.exists():
            field = fields[-1]
            label = model._meta.get_field(field).verbose_name
            message = _("%(label)s「%(value)s」已存在。") % {"label": label, "value": lookup[field]}
            raise ValidationError({field: message})


def _check_dates(obj):
    if isinstance(obj, Term) and obj.ends_on and obj.ends_on < obj.starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
    if isinstance(obj, Session):
        if obj.closes_on < obj.opens_on:
            raise ValidationError({"closes_on": _("闭幕日期不能早于开幕日期。")})
        if obj.term.committee_id != obj.committee_id:
            raise ValidationError({"term": _("请选择本委员会的届次。")})


@transaction.atomic
def structure_create(*, actor, committee, model: type, data: dict):
    """Create a term, session, sector, special committee, member group or handling unit."""
    require(actor, "organisation.manage_structure")
    if model not in UNIQUE_TOGETHER:
        raise ValidationError(_("不支持的类型。"))
    obj = model(committee=committee, **data)
    _check_dates(obj)
    _check_unique(obj)
    obj.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, after=snapshot(obj))
    return obj


@transaction.atomic
def structure_update(*, actor, obj, data: dict):
    require(actor, "organisation.manage_structure")
    model = type(obj)
    if model not in UNIQUE_TOGETHER:
        raise ValidationError(_("不支持的类型。"))
    obj = model.objects.select_for_update().get(pk=obj.pk)
    before = snapshot(obj)
    changed = []
    for field, value in data.items():
        if getattr(obj, field) != value:
            setattr(obj, field, value)
            changed.append(model._meta.get_field(field).attname)
    if not changed:
        return obj
    _check_dates(obj)
    _check_unique(obj)
    obj.save(update_fields=changed)
    audit_change(actor=actor, obj=obj, before=before)
    return obj
