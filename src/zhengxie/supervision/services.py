"""Every write of democratic supervision: one keyword-only function per use case, atomic,
permission-checked, leaving history, audit, duty-ledger rows and notifications (on commit)."""

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core.accounts import role_holders
from zhengxie.core.attachments import attachment_create
from zhengxie.core.audit import audit_change, audit_record, snapshot
from zhengxie.core.followup import recommendation_add
from zhengxie.core.ledger import record_duty
from zhengxie.core.models import AuditAction, DutyRole, Role, Share
from zhengxie.core.notifications import notify
from zhengxie.core.sharing import share_record
from zhengxie.organisation.models import HandlingUnit
from zhengxie.supervision.grades import grade_for, thresholds_of
from zhengxie.supervision.models import (
    Appraisal,
    AppraisalScore,
    Grade,
    GroupMember,
    GroupRole,
    LetterState,
    Recheck,
    RecheckRating,
    SupervisionGroup,
    SupervisionLetter,
    SupervisionTopic,
)
from zhengxie.supervision.workflow import LETTER_WORKFLOW

MIN_YEAR, MAX_YEAR = 1949, 2100


def _require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def _text(data, name):
    return (data.get(name) or "").strip()


def _check_year(errors, name, value, *, required=True):
    if value is None:
        if required:
            errors[name] = _("请填写年度。")
        return
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_YEAR <= value <= MAX_YEAR:
        errors[name] = _("年度应为四位数字。")


def _topic_usable(topic, committee):
    """The topic belongs to ``committee`` or is shared with it (joint supervision)."""
    if topic.committee_id == committee.pk:
        return True
    return Share.objects.filter(
        content_type=ContentType.objects.get_for_model(SupervisionTopic),
        object_id=topic.pk,
        committee=committee,
    ).exists()


# Special topics (专项民主监督) --------------------------------------------------------------


def _validate_topic(data):
    errors = {}
    title = _text(data, "title")
    if not title:
        errors["title"] = _("请填写监督专题。")
    elif len(title) > 200:
        errors["title"] = _("监督专题不能超过200字。")
    _check_year(errors, "starts_year", data.get("starts_year"))
    _check_year(errors, "ends_year", data.get("ends_year"), required=False)
    if not errors and data.get("ends_year") is not None and data["ends_year"] < data["starts_year"]:
        errors["ends_year"] = _("结束年度不能早于开始年度。")
    if len(_text(data, "lead")) > 128:
        errors["lead"] = _("牵头领导或单位不能超过128字。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def topic_create(*, actor, committee, data: dict) -> SupervisionTopic:
    _require(actor, "supervision.manage")
    _validate_topic(data)
    topic = SupervisionTopic.objects.create(
        committee=committee,
        title=_text(data, "title"),
        starts_year=data["starts_year"],
        ends_year=data.get("ends_year"),
        description=_text(data, "description"),
        lead=_text(data, "lead"),
        created_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=topic, after=snapshot(topic))
    return topic


@transaction.atomic
def topic_update(*, actor, topic, data: dict) -> SupervisionTopic:
    locked = SupervisionTopic._base_manager.select_for_update().get(pk=topic.pk)
    _require(actor, "supervision.manage", locked)
    if locked.committee_id != actor.active_role.committee_id:
        raise PermissionDenied(_("联合开展的专题由发起的委员会维护。"))
    _validate_topic(data)
    before = snapshot(locked)
    fields = ["title", "starts_year", "ends_year", "description", "lead"]
    for name in fields:
        value = data.get(name)
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.save(update_fields=fields)
    audit_change(actor=actor, obj=locked, before=before)
    return locked


def topic_share(*, actor, topic, committee):
    """Run the topic jointly with ``committee`` (usually the city or province committee)."""
    _require(actor, "supervision.manage", topic)
    if topic.committee_id != actor.active_role.committee_id:
        raise PermissionDenied(_("联合开展的专题由发起的委员会邀请。"))
    return share_record(obj=topic, committee=committee, kind="joint", actor=actor)


# Groups (民主监督小组) ------------------------------------------------------------------------


def _group_members(committee, leader, members):
    """(membership, role) pairs, the leader first, and the errors found."""
    errors = {}
    members = list(members or ())
    if leader is None:
        errors["leader"] = _("请选择组长。")
    people = ([leader] if leader is not None else []) + members
    ids = [m.pk for m in people]
    if len(ids) != len(set(ids)):
        errors["members"] = _("小组成员不能重复,组长不必再列为成员。")
    if any(m.committee_id != committee.pk for m in people):
        errors["members"] = _("小组成员须为本会委员。")
    return [(leader, GroupRole.LEADER)] + [(m, GroupRole.MEMBER) for m in members], errors


def _validate_group(committee, data, leader, members):
    """The (membership, role) pairs of a valid group, or ValidationError with every message."""
    errors = {}
    name = _text(data, "name")
    if not name:
        errors["name"] = _("请填写小组名称。")
    elif len(name) > 64:
        errors["name"] = _("小组名称不能超过64字。")
    _check_year(errors, "year", data.get("year"))
    unit = data.get("unit")
    if unit is None:
        errors["unit"] = _("请选择监督单位。")
    elif unit.committee_id != committee.pk:
        errors["unit"] = _("监督单位无效。")
    topic = data.get("topic")
    if topic is not None and not _topic_usable(topic, committee):
        errors["topic"] = _("监督专题无效。")
    pairs, member_errors = _group_members(committee, leader, members)
    errors.update(member_errors)
    if errors:
        raise ValidationError(errors)
    return pairs


def _duplicate_group_error(unit, year):
    return ValidationError(
        {
            "unit": _("%(year)s年已有民主监督小组对口监督%(unit)s,同一单位每年只设一个小组。")
            % {"year": year, "unit": unit.name}
        }
    )


def group_create(*, actor, committee, data: dict, leader, members=()) -> SupervisionGroup:
    """A group delegated to ``data["unit"]`` for ``data["year"]``: one group per unit a year."""
    _require(actor, "supervision.manage")
    pairs = _validate_group(committee, data, leader, members)
    unit, year = data["unit"], data["year"]
    try:
        with transaction.atomic():
            # Lock the unit so two staff delegating it at once meet the check, not the database.
            HandlingUnit._base_manager.select_for_update().filter(pk=unit.pk).first()
            if SupervisionGroup._base_manager.filter(unit=unit, year=year).exists():
                raise _duplicate_group_error(unit, year)
            group = SupervisionGroup.objects.create(
                committee=committee,
                year=year,
                name=_text(data, "name"),
                unit=unit,
                topic=data.get("topic"),
                note=_text(data, "note"),
                created_by=actor,
            )
            GroupMember.objects.bulk_create(
                GroupMember(committee=committee, group=group, membership=m, role=role)
                for m, role in pairs
            )
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=group,
                after={**snapshot(group), "members": [m.pk for m, _role in pairs]},
            )
    except IntegrityError as exc:
        raise _duplicate_group_error(unit, year) from exc
    return group


@transaction.atomic
def group_update(*, actor, group, data: dict, leader, members=()) -> SupervisionGroup:
    locked = SupervisionGroup._base_manager.select_for_update().get(pk=group.pk)
    _require(actor, "supervision.manage", locked)
    committee = locked.committee
    pairs = _validate_group(committee, data, leader, members)
    unit, year = data["unit"], data["year"]
    if SupervisionGroup._base_manager.filter(unit=unit, year=year).exclude(pk=locked.pk).exists():
        raise _duplicate_group_error(unit, year)
    before = {**snapshot(locked), "members": list(locked.members.values_list("pk", flat=True))}
    fields = ["name", "year", "unit", "topic", "note"]
    for name in fields:
        value = data.get(name)
        setattr(locked, name, value.strip() if isinstance(value, str) else value)
    locked.save(update_fields=fields)
    GroupMember._base_manager.filter(group=locked).delete()
    GroupMember.objects.bulk_create(
        GroupMember(committee=committee, group=locked, membership=m, role=role) for m, role in pairs
    )
    audit_change(actor=actor, obj=locked, before=before)
    return locked


def group_memberships(group):
    """The group's memberships, leader first."""
    return [gm.membership for gm in group.group_members.select_related("membership__person")]


# Recommendation letters (民主监督建议书) ------------------------------------------------------


def _validate_letter(data):
    errors = {}
    title = _text(data, "title")
    if not title:
        errors["title"] = _("请填写建议书标题。")
    elif len(title) > 200:
        errors["title"] = _("标题不能超过200字。")
    if not _text(data, "text"):
        errors["text"] = _("请填写建议书正文。")
    due_on = data.get("due_on")
    if due_on is not None and not isinstance(due_on, datetime.date):
        errors["due_on"] = _("答复期限无效。")
    if errors:
        raise ValidationError(errors)


def _recommendation_lines(recommendations):
    if isinstance(recommendations, str):
        recommendations = recommendations.splitlines()
    return [line.strip() for line in recommendations or () if line and line.strip()]


@transaction.atomic
def letter_create(*, actor, group, data: dict, recommendations=(), topic=None) -> SupervisionLetter:
    """A draft letter of ``group``; each line of ``recommendations`` becomes one recommendation
    addressed to the group's department, followed up through ``core.followup``."""
    _require(actor, "supervision.manage", group)
    _validate_letter(data)
    letter = SupervisionLetter.objects.create(
        committee_id=group.committee_id,
        group=group,
        topic=topic if topic is not None else group.topic,
        title=_text(data, "title"),
        text=_text(data, "text"),
        due_on=data.get("due_on"),
        created_by=actor,
    )
    LETTER_WORKFLOW.history_model.objects.create(
        subject=letter,
        from_state="",
        action="create",
        to_state=letter.state,
        actor=actor,
        committee_id=letter.committee_id,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=letter, after=snapshot(letter))
    for line in _recommendation_lines(recommendations):
        letter_add_recommendation(actor=actor, letter=letter, text=line)
    return letter


@transaction.atomic
def letter_update(*, actor, letter, data: dict) -> SupervisionLetter:
    locked = SupervisionLetter._base_manager.select_for_update().get(pk=letter.pk)
    _require(actor, "supervision.manage", locked)
    if locked.state != LetterState.DRAFT:
        raise ValidationError(_("已送达的建议书不能再修改。"))
    _validate_letter(data)
    before = snapshot(locked)
    locked.title, locked.text, locked.due_on = (
        _text(data, "title"),
        _text(data, "text"),
        data.get("due_on"),
    )
    locked.save(update_fields=["title", "text", "due_on"])
    audit_change(actor=actor, obj=locked, before=before)
    return locked


@transaction.atomic
def letter_add_recommendation(*, actor, letter, text: str, aspect: str = ""):
    """One more recommendation of a draft letter, addressed to the group's department."""
    letter = (
        SupervisionLetter._base_manager.select_for_update()
        .select_related("group__unit")
        .get(pk=letter.pk)
    )
    _require(actor, "supervision.manage", letter)
    if letter.state != LetterState.DRAFT:
        raise ValidationError(_("已送达的建议书不能再增加建议。"))
    group = letter.group
    return recommendation_add(
        source=letter,
        text=text,
        aspect=aspect,
        addressee=group.unit.name,
        addressee_unit=group.unit,
        due_on=letter.due_on,
        actor=actor,
    )


def _letter_url(letter):
    return reverse("supervision:letter_detail", args=[letter.pk])


def _tell(users, letter, title, body=""):
    url = _letter_url(letter)
    committee = letter.committee
    transaction.on_commit(
        lambda: notify(
            recipients=users,
            title=title,
            body=body,
            url=url,
            kind="supervision",
            committee=committee,
        )
    )


def letter_send(*, actor, letter, sent_on: datetime.date | None = None) -> SupervisionLetter:
    """Send the letter to the department: its users are told, and each group member gets a
    ``supervision`` ledger row titled with the letter. Two staff sending at once: the second
    meets InvalidTransition."""
    _require(actor, "supervision.manage", letter)
    sent_on = sent_on or timezone.localdate()
    if not isinstance(sent_on, datetime.date):
        raise ValidationError({"sent_on": _("请填写送达日期。")})
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": _("送达日期不能晚于今天。")})
    with transaction.atomic():
        result = LETTER_WORKFLOW.apply(
            obj=letter, action="send", actor=actor, updates={"sent_on": sent_on}
        )
        group = result.group
        rows = list(group.group_members.select_related("membership"))
        for order, gm in enumerate(rows, start=1):
            record_duty(
                membership=gm.membership,
                kind="supervision",
                occurred_on=sent_on,
                source=result,
                title=result.title,
                role=DutyRole.LEAD if gm.role == GroupRole.LEADER else DutyRole.PARTICIPANT,
                order=order,
                participants=len(rows),
                level=result.committee.level,
                actor=actor,
            )
        _tell(
            role_holders(role=Role.UNIT, committee=result.committee, handling_unit=group.unit),
            result,
            _("收到民主监督建议书:%(t)s") % {"t": result.title},
            _("%(g)s向贵单位送达民主监督建议书,请按期答复。") % {"g": group},
        )
        return result


def _staff(committee):
    return role_holders(role=Role.STAFF, committee=committee)


def letter_answer(
    *, actor, letter, text: str, answered_on: datetime.date | None = None, upload=None
) -> SupervisionLetter:
    """The department's overall answer (text, optional attachment): the letter is answered."""
    # Checked on the current row: a unit may answer only once the letter has been sent to it.
    letter = SupervisionLetter._base_manager.select_related("group").get(pk=letter.pk)
    _require(actor, "supervision.answer_letter", letter)
    text = (text or "").strip()
    answered_on = answered_on or timezone.localdate()
    if not text:
        raise ValidationError({"text": _("请填写答复内容。")})
    if answered_on > timezone.localdate():
        raise ValidationError({"answered_on": _("答复日期不能晚于今天。")})
    with transaction.atomic():
        result = LETTER_WORKFLOW.apply(
            obj=letter,
            action="answer",
            actor=actor,
            updates={"answer": text, "answered_on": answered_on},
        )
        if upload:
            attachment_create(committee=result.committee, upload=upload, actor=actor, target=result)
        _tell(
            _staff(result.committee),
            result,
            _("民主监督建议书已答复:%(t)s") % {"t": result.title},
            _("%(u)s已答复。") % {"u": result.group.unit.name},
        )
        return result


def _validate_recheck(data):
    errors = {}
    checked_on = data.get("checked_on")
    if not isinstance(checked_on, datetime.date):
        errors["checked_on"] = _("请填写回头看日期。")
    elif checked_on > timezone.localdate():
        errors["checked_on"] = _("回头看日期不能晚于今天。")
    participants = _text(data, "participants")
    if not participants:
        errors["participants"] = _("请填写参加人员。")
    elif len(participants) > 255:
        errors["participants"] = _("参加人员不能超过255字。")
    if not _text(data, "findings"):
        errors["findings"] = _("请填写检查情况。")
    if data.get("rating") not in RecheckRating.values:
        errors["rating"] = _("请选择落实评价。")
    if errors:
        raise ValidationError(errors)


def letter_recheck(*, actor, letter, data: dict) -> Recheck:
    """The re-check (回头看) of an answered letter."""
    _require(actor, "supervision.manage", letter)
    _validate_recheck(data)
    with transaction.atomic():
        result = LETTER_WORKFLOW.apply(
            obj=letter, action="recheck", actor=actor, note=data["rating"]
        )
        recheck = Recheck.objects.create(
            committee_id=result.committee_id,
            letter=result,
            checked_on=data["checked_on"],
            participants=_text(data, "participants"),
            with_inspection_office=bool(data.get("with_inspection_office")),
            findings=_text(data, "findings"),
            rating=data["rating"],
            created_by=actor,
        )
        audit_record(actor=actor, action=AuditAction.CREATE, obj=result, after=snapshot(recheck))
        return recheck


# Democratic appraisal (民主评议) -------------------------------------------------------------


@transaction.atomic
def appraisal_create(*, actor, committee, data: dict) -> Appraisal:
    _require(actor, "supervision.manage")
    errors = {}
    title = _text(data, "title")
    if not title:
        errors["title"] = _("请填写评议名称。")
    elif len(title) > 200:
        errors["title"] = _("评议名称不能超过200字。")
    _check_year(errors, "year", data.get("year"))
    if errors:
        raise ValidationError(errors)
    appraisal = Appraisal.objects.create(
        committee=committee,
        year=data["year"],
        title=title,
        method=_text(data, "method"),
        created_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=appraisal, after=snapshot(appraisal))
    return appraisal


def _score(value, unit):
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            _("%(u)s:得分须为数字。") % {"u": unit.name}, code=f"unit-{unit.pk}"
        ) from None
    if not score.is_finite() or not Decimal(0) <= score <= Decimal(100):
        raise ValidationError(
            _("%(u)s:得分须在0到100之间。") % {"u": unit.name}, code=f"unit-{unit.pk}"
        )
    if score != score.quantize(Decimal("0.01")):
        raise ValidationError(
            _("%(u)s:得分最多保留两位小数。") % {"u": unit.name}, code=f"unit-{unit.pk}"
        )
    return score


@transaction.atomic
def appraisal_set_scores(*, actor, appraisal, rows) -> list[AppraisalScore]:
    """Enter or correct the scores of many units at once, all or nothing. ``rows``: dicts with
    ``unit``, ``score`` (blank: the unit's score is removed), optional ``grade`` (blank: derived
    from the committee's thresholds) and ``comments``."""
    locked = Appraisal._base_manager.select_for_update().get(pk=appraisal.pk)
    _require(actor, "supervision.manage", locked)
    thresholds = thresholds_of(locked.committee)
    errors, cleaned, seen = [], [], set()
    for row in rows:
        unit = row["unit"]
        if unit.committee_id != locked.committee_id:
            errors.append(ValidationError(_("被评议单位无效。")))
            continue
        if unit.pk in seen:
            errors.append(ValidationError(_("%(u)s重复。") % {"u": unit.name}))
            continue
        seen.add(unit.pk)
        raw = row.get("score")
        if raw is None or str(raw).strip() == "":
            cleaned.append((unit, None, "", ""))
            continue
        try:
            score = _score(raw, unit)
        except ValidationError as exc:
            errors.append(exc)
            continue
        grade = (row.get("grade") or "").strip()
        if grade and grade not in Grade.values:
            errors.append(ValidationError(_("%(u)s:等次无效。") % {"u": unit.name}))
            continue
        cleaned.append((unit, score, grade or grade_for(score, thresholds), _text(row, "comments")))
    if errors:
        raise ValidationError(errors)
    existing = {s.unit_id: s for s in AppraisalScore._base_manager.filter(appraisal=locked)}
    before = {str(uid): [str(s.score), s.grade, s.comments] for uid, s in sorted(existing.items())}
    for unit, score, grade, comments in cleaned:
        current = existing.get(unit.pk)
        if score is None:
            if current is not None:
                current.delete()
            continue
        if current is None:
            AppraisalScore.objects.create(
                committee_id=locked.committee_id,
                appraisal=locked,
                unit=unit,
                score=score,
                grade=grade,
                comments=comments,
            )
        elif (current.score, current.grade, current.comments) != (score, grade, comments):
            current.score, current.grade, current.comments = score, grade, comments
            current.save(update_fields=["score", "grade", "comments"])
    scores = list(AppraisalScore._base_manager.filter(appraisal=locked).select_related("unit"))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        before={"scores": before},
        after={"scores": {str(s.unit_id): [str(s.score), s.grade, s.comments] for s in scores}},
    )
    return scores
