"""Plenary speeches (大会发言): every write (keyword-only, atomic, permission-checked, with
history, audit and duty-ledger rows) and the reads the pages share.

Members write speeches for a session that has not closed yet, alone or in the name of a body
(党派团体、界别); staff enter those of bodies. Once submitted, staff choose each one as an oral
speech at the plenary (大会口头发言, in an order they set), a written one (书面发言) or not used.
States change only through ``SPEECH_WORKFLOW.apply``; a decision made on a speech someone else
has just decided is refused with a conflict message.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core.audit import audit_change, audit_record, snapshot
from zhengxie.core.ledger import correct_duty, record_duty
from zhengxie.core.models import AuditAction, DutyRecord, Role
from zhengxie.core.notifications import notify
from zhengxie.core.rules import active_role
from zhengxie.core.workflow import InvalidTransition
from zhengxie.meetings.models import Speech, SpeechState
from zhengxie.meetings.workflow import SPEECH_WORKFLOW
from zhengxie.organisation.models import Membership, MembershipStatus, Session
from zhengxie.proposals.models import ProposalCategory

BODY_MAX_LENGTH = 6000
TITLE_MAX_LENGTH = 200
SPEAKER_BODY_MAX_LENGTH = 128
CHOICE_ACTIONS = ("choose_oral", "choose_written", "not_use")
# The ledger's sub-kind for each chosen state (not used has none).
CHOICE_SUB_KIND = {SpeechState.ORAL: "oral", SpeechState.WRITTEN: "written"}
DECIDED_STATES = (SpeechState.ORAL, SpeechState.WRITTEN, SpeechState.NOT_USED)
CONTENT_FIELDS = ("title", "body", "category", "speaker_body")


def _require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def _today():
    return timezone.localdate()


# Sessions ------------------------------------------------------------------------------------


def open_sessions(committee, today=None):
    """Sessions of the committee still taking speeches (not closed yet), latest first."""
    return Session.objects.filter(committee=committee, closes_on__gte=today or _today()).order_by(
        "-opens_on"
    )


def current_session(committee, today=None):
    """The default session of a new speech: the latest whose plenary has not closed yet."""
    return open_sessions(committee, today).first()


def _member_of(actor, committee):
    return (
        Membership.objects.filter(
            committee=committee, person__user=actor, status=MembershipStatus.IN_OFFICE
        )
        .order_by("-term__starts_on")
        .first()
    )


def _is_reviewer(actor):
    return actor.has_perm("meetings.review_speech")


# Validation ----------------------------------------------------------------------------------


def _clean(committee, data, *, session, check_session=True, body_entry=False):
    """The cleaned content fields, or a ValidationError naming every bad field (in Chinese)."""
    errors = {}
    title = (data.get("title") or "").strip()
    body = (data.get("body") or "").strip()
    speaker_body = (data.get("speaker_body") or "").strip()
    category = data.get("category")
    if not title:
        errors["title"] = _("请填写发言题目。")
    elif len(title) > TITLE_MAX_LENGTH:
        errors["title"] = _("题目不能超过%(limit)s字。") % {"limit": TITLE_MAX_LENGTH}
    if not body:
        errors["body"] = _("请填写发言内容。")
    elif len(body) > BODY_MAX_LENGTH:
        errors["body"] = _("发言内容共%(n)s字,超过%(limit)s字的限制。") % {
            "n": len(body),
            "limit": BODY_MAX_LENGTH,
        }
    if len(speaker_body) > SPEAKER_BODY_MAX_LENGTH:
        errors["speaker_body"] = _("发言单位不能超过%(limit)s字。") % {
            "limit": SPEAKER_BODY_MAX_LENGTH
        }
    elif body_entry and not speaker_body:
        errors["speaker_body"] = _("机关工作人员录入的大会发言须填写发言单位(党派团体、界别等)。")
    if isinstance(category, int | str) and str(category).isdigit():
        category = ProposalCategory.objects.filter(pk=int(category)).first()
    if (
        not isinstance(category, ProposalCategory)
        or category.committee_id != committee.pk
        or not category.is_active
    ):
        errors["category"] = _("请选择本会在用的发言类别。")
    if session is None:
        errors["session"] = _("本会暂无可提交大会发言的会议。")
    elif session.committee_id != committee.pk:
        errors["session"] = _("请选择本会的届次会议。")
    elif check_session and session.closes_on < _today():
        errors["session"] = _("%(s)s已闭幕,不能再提交大会发言。") % {"s": session.name}
    if errors:
        raise ValidationError(errors)
    return {"title": title, "body": body, "speaker_body": speaker_body, "category": category}


# Create and edit -----------------------------------------------------------------------------


@transaction.atomic
def speech_create(*, actor, committee, data: dict) -> Speech:
    """A draft speech. A member writes their own (optionally in the name of a body they speak
    for); staff enter the speeches of bodies (``speaker_body`` required, no member)."""
    _require(actor, "meetings.create_speech")
    session = data.get("session") or current_session(committee)
    body_entry = _is_reviewer(actor)
    membership = None
    if not body_entry:
        membership = _member_of(actor, committee)
        if membership is None:
            raise PermissionDenied(_("只有本会在职委员可以提交大会发言。"))
    content = _clean(committee, data, session=session, body_entry=body_entry)
    speech = Speech.objects.create(
        committee=committee,
        session=session,
        membership=membership,
        created_by=actor,
        **content,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=speech, after=snapshot(speech))
    return speech


@transaction.atomic
def speech_update(*, actor, speech, data: dict) -> Speech:
    """Edit the content. The speaker edits a draft; staff may also correct a submitted or
    chosen speech (its session stays)."""
    locked = Speech.objects.select_for_update().get(pk=speech.pk)
    _require(actor, "meetings.edit_speech", locked)
    reviewer = _is_reviewer(actor)
    if locked.state == SpeechState.DRAFT:
        session = data.get("session") or locked.session
    elif reviewer and locked.state != SpeechState.WITHDRAWN:
        session = locked.session
    else:
        raise InvalidTransition(_("已提交的大会发言不能再修改,如需修改请先撤回。"))
    content = _clean(
        locked.committee,
        data,
        session=session,
        check_session=locked.state == SpeechState.DRAFT,
        body_entry=reviewer and locked.membership_id is None,
    )
    before = snapshot(locked)
    for name, value in content.items():
        setattr(locked, name, value)
    locked.session = session
    locked.save(update_fields=[*CONTENT_FIELDS, "session"])
    audit_change(actor=actor, obj=locked, before=before)
    return locked


# Ledger and notifications -------------------------------------------------------------------


def _ledger_rows(speech, sub_kind):
    return DutyRecord.objects.filter(
        membership_id=speech.membership_id,
        kind="speech",
        sub_kind=sub_kind,
        source_type=ContentType.objects.get_for_model(Speech),
        source_id=speech.pk,
    )


def _credit(speech, sub_kind, *, actor, occurred_on):
    if speech.membership_id is None:  # a body's speech credits nobody
        return
    record_duty(
        membership=speech.membership,
        kind="speech",
        sub_kind=sub_kind,
        occurred_on=occurred_on,
        source=speech,
        actor=actor,
    )


def _uncredit(speech, sub_kind, *, actor, note):
    """Correct the standing row of ``sub_kind`` for the speech (if it has one)."""
    if speech.membership_id is None:
        return
    rows = _ledger_rows(speech, sub_kind)
    if sum(rows.values_list("weight", flat=True)) <= 0:
        return
    last = rows.filter(weight__gt=0).order_by("-pk").first()
    correct_duty(record=last, actor=actor, note=note)


def _speaker_users(speech):
    if speech.membership_id and speech.membership.person.user_id:
        return [speech.membership.person.user]
    return [speech.created_by] if speech.created_by_id else []


def _tell(speech, title, body=""):
    users = _speaker_users(speech)
    if not users:
        return
    url = reverse("meetings:speech_detail", args=[speech.pk])
    transaction.on_commit(
        lambda: notify(
            recipients=users,
            title=title,
            body=body,
            url=url,
            kind="speech",
            committee=speech.committee,
        )
    )


# Transitions ---------------------------------------------------------------------------------


def _unchanged_since_read(seen_state):
    """A check for ``apply``: the locked row must still be in the state the actor saw, so two
    staff deciding at once cannot silently overwrite each other."""

    def check(locked):
        if locked.state != seen_state:
            raise InvalidTransition(
                _("该发言已被他人处理(当前状态:%(s)s),请刷新后重试。")
                % {"s": SPEECH_WORKFLOW.state_label(locked.state)}
            )

    return check


def _next_order(session_id):
    last = Speech.objects.filter(session_id=session_id, state=SpeechState.ORAL).aggregate(
        n=Max("order")
    )["n"]
    return (last or 0) + 1


def speech_act(*, actor, speech, action: str, note: str = "", seen_state: str = "") -> Speech:
    """One action of the workflow table: submit, withdraw, choose_oral, choose_written, not_use.
    ``seen_state`` (default: ``speech.state``) is the state the actor saw: if someone changed it
    meanwhile, the action is refused (InvalidTransition)."""
    note = (note or "").strip()
    if action not in SPEECH_WORKFLOW.actions:
        raise InvalidTransition(_("未知操作:%(action)s") % {"action": action})
    if action == "not_use" and not note:
        raise ValidationError({"note": _("不采用时请填写说明。")})
    if len(note) > 255:
        raise ValidationError({"note": _("说明不能超过255字。")})
    seen = _unchanged_since_read(seen_state or speech.state)
    today = _today()
    with transaction.atomic():
        if action == "submit":

            def check(locked):
                seen(locked)
                _clean(
                    locked.committee,
                    {f: getattr(locked, f) for f in CONTENT_FIELDS},
                    session=locked.session,
                )

            result = SPEECH_WORKFLOW.apply(
                obj=speech,
                action=action,
                actor=actor,
                note=note,
                check=check,
                updates={"submitted_at": timezone.now()},
            )
            _credit(result, "submitted", actor=actor, occurred_on=today)
            return result
        if action == "withdraw":
            result = SPEECH_WORKFLOW.apply(
                obj=speech, action=action, actor=actor, note=note, check=seen
            )
            _uncredit(result, "submitted", actor=actor, note=_("撤回大会发言"))
            return result
        # A staff decision: oral, written or not used.
        previous = seen_state or speech.state
        updates = {"review_note": note, "order": None}
        if action == "choose_oral":
            updates["order"] = _next_order(speech.session_id)
        result = SPEECH_WORKFLOW.apply(
            obj=speech, action=action, actor=actor, note=note, check=seen, updates=updates
        )
        if previous in CHOICE_SUB_KIND:
            _uncredit(
                result,
                CHOICE_SUB_KIND[previous],
                actor=actor,
                note=_("大会发言改为%(s)s") % {"s": SPEECH_WORKFLOW.state_label(result.state)},
            )
        if result.state in CHOICE_SUB_KIND:
            _credit(result, CHOICE_SUB_KIND[result.state], actor=actor, occurred_on=today)
        _tell(
            result,
            _("您的大会发言《%(t)s》:%(s)s")
            % {"t": result.title, "s": SPEECH_WORKFLOW.state_label(result.state)},
            note,
        )
        return result


@transaction.atomic
def speech_reorder(*, actor, session, speech_ids) -> list[Speech]:
    """Set the order of the session's oral speeches: ``speech_ids`` lists every one of them,
    each once, first speaker first."""
    _require(actor, "meetings.review_speech")
    oral = list(
        Speech.objects.select_for_update()
        .filter(session=session, state=SpeechState.ORAL)
        .order_by("pk")
    )
    ids = [int(i) for i in speech_ids]
    if len(ids) != len(set(ids)) or set(ids) != {s.pk for s in oral}:
        raise ValidationError(
            _("编排顺序须包含本次会议全部大会口头发言,每篇一次;可能已被他人修改,请刷新后重试。")
        )
    by_id = {s.pk: s for s in oral}
    changed = []
    for position, pk in enumerate(ids, start=1):
        speech = by_id[pk]
        if speech.order != position:
            speech.order = position
            speech.save(update_fields=["order"])
            SPEECH_WORKFLOW.note(
                obj=speech,
                action="reorder",
                actor=actor,
                note=_("口头发言顺序:第%(n)s位") % {"n": position},
            )
            changed.append(speech)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=session,
        after={"oral_speech_order": ids},
        note=_("编排大会口头发言顺序"),
    )
    return [by_id[pk] for pk in ids]


# Reads ---------------------------------------------------------------------------------------


def visible_speeches(user):
    """Speakers see their own speeches; staff, admins, chairs and leaders all but others'
    drafts; units and the public none."""
    role = active_role(user)
    qs = Speech.objects.all()
    if role is None:
        return qs.none()
    own = Q(membership__person__user=user) | Q(membership__isnull=True, created_by=user)
    if role.role in (Role.STAFF, Role.ADMIN, Role.CHAIR, Role.LEADER):
        return qs.filter(~Q(state=SpeechState.DRAFT) | own)
    if role.role == Role.MEMBER:
        return qs.filter(own)
    return qs.none()


def speech_list(
    user, *, session=None, state=None, category=None, livelihood=None, q=None, mine=False
):
    qs = visible_speeches(user).select_related(
        "session", "category", "membership__person", "membership__sector"
    )
    if mine:
        qs = qs.filter(Q(membership__person__user=user) | Q(created_by=user))
    if session is not None:
        qs = qs.filter(session=session)
    if state:
        qs = qs.filter(state=state)
    if category is not None:
        qs = qs.filter(category=category)
    if livelihood is not None:
        qs = qs.filter(category__is_livelihood=livelihood)
    if q:
        q = q.strip()
        qs = qs.filter(
            Q(title__contains=q) | Q(membership__person__name=q) | Q(speaker_body__contains=q)
        )
    return qs.order_by("-submitted_at", "-pk")


def oral_speeches(session):
    return (
        Speech.objects.filter(session=session, state=SpeechState.ORAL)
        .select_related("category", "membership__person", "membership__sector")
        .order_by("order", "pk")
    )


def written_speeches(session):
    """Written speeches grouped as the proposal taxonomy groups them: by category group, then
    category, then submission."""
    return (
        Speech.objects.filter(session=session, state=SpeechState.WRITTEN)
        .select_related("category", "membership__person", "membership__sector")
        .order_by("category__group", "category__position", "category__pk", "submitted_at", "pk")
    )


def speaker_label(speech):
    """「李明(教育界)」, 「民盟县委会 李明」 or 「民盟县委会」."""
    if speech.membership_id is None:
        return speech.speaker_body
    name = speech.membership.person.name
    if speech.speaker_body:
        return f"{speech.speaker_body} {name}"
    sector = speech.membership.sector.name if speech.membership.sector_id else ""
    return f"{name}({sector})" if sector else name
