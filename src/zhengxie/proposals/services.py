"""Every write on proposals: one keyword-only function per use case, atomic, permission-checked,
leaving history, audit, duty-ledger rows and notifications (on commit).

State changes go through ``workflow.PROPOSAL_WORKFLOW`` / ``ASSIGNMENT_WORKFLOW``; nothing else
assigns ``state``.
"""

import calendar
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core import calendar as workdays
from zhengxie.core.accounts import role_holders
from zhengxie.core.audit import audit_change, audit_record, snapshot
from zhengxie.core.config import get_setting
from zhengxie.core.ledger import record_duty
from zhengxie.core.models import AuditAction, DutyRole, Role, StaffOffice
from zhengxie.core.notifications import notify
from zhengxie.core.workflow import InvalidTransition
from zhengxie.organisation.models import HandlingUnit, Membership, MembershipStatus, Session
from zhengxie.proposals.models import (
    ANSWERING_ROLES,
    MEMBER_SUBMITTERS,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Award,
    AwardKind,
    CoSigner,
    ExtensionRequest,
    ExtensionState,
    KeyState,
    Proposal,
    ProposalState,
    Rating,
    Reply,
    Satisfaction,
    SignatureState,
    SubmitterType,
    SupervisionRecord,
)
from zhengxie.proposals.workflow import ASSIGNMENT_WORKFLOW, PROPOSAL_WORKFLOW

PROPOSAL_FIELDS = (
    "title",
    "category",
    "situation",
    "suggestions",
    "publish_consent",
    "no_publish_reason",
)


def _require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def _today():
    return timezone.localdate()


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def next_workday(day, committee):
    while not workdays.is_workday(day, committee=committee):
        day += datetime.timedelta(days=1)
    return day


def reply_deadline(committee, start):
    """Default answer deadline: N months from ``start`` (configured), moved to a working day."""
    months = get_setting(committee, "proposal_reply_deadline_months")
    return next_workday(add_months(start, months), committee)


def session_on(committee, day):
    """The session a proposal submitted on ``day`` belongs to, and whether it is a plenary one:
    from a session's opening day to its proposal deadline proposals are 大会提案; after it, up to
    the next session, 平时提案 of that session."""
    session = (
        Session.objects.filter(committee=committee, opens_on__lte=day).order_by("-opens_on").first()
    )
    if session is None:
        raise ValidationError(_("本会尚未召开全体会议,暂不能提交提案。"))
    deadline = session.proposal_deadline or session.closes_on
    return session, day <= deadline


# Notifications ---------------------------------------------------------------------------


def _proposal_url(proposal):
    return reverse("proposals:detail", args=[proposal.pk])


def _proposer_users(proposal, *, confirmed_only=True):
    users = []
    if proposal.lead_id and proposal.lead.person.user_id:
        users.append(proposal.lead.person.user)
    elif proposal.created_by_id:
        users.append(proposal.created_by)
    for cosigner in proposal.cosigners.select_related("membership__person__user"):
        if cosigner.membership.person.user_id and (
            not confirmed_only or cosigner.state == SignatureState.CONFIRMED
        ):
            users.append(cosigner.membership.person.user)
    for merged in proposal.merged.select_related("lead__person__user"):
        if merged.lead_id and merged.lead.person.user_id:
            users.append(merged.lead.person.user)
    return users


def _unit_users(unit):
    return role_holders(role=Role.UNIT, handling_unit=unit)


def _proposal_staff(committee):
    return role_holders(role=Role.STAFF, committee=committee, offices=[StaffOffice.PROPOSALS])


def _tell(users, proposal, title, body=""):
    url = _proposal_url(proposal)  # resolved now, so a broken route fails inside the transaction
    transaction.on_commit(
        lambda: notify(
            recipients=users,
            title=title,
            body=body,
            url=url,
            kind="proposal",
            committee=proposal.committee,
        )
    )


# Duty ledger -----------------------------------------------------------------------------


def _ledger_for_proposers(proposal, sub_kind, *, occurred_on, actor, lead_only=False):
    """One ledger row for the lead and, unless ``lead_only``, each confirmed co-signer."""
    if proposal.submitter_type not in MEMBER_SUBMITTERS or not proposal.lead_id:
        return
    confirmed = (
        []
        if lead_only
        else list(
            proposal.cosigners.filter(state=SignatureState.CONFIRMED).select_related("membership")
        )
    )
    total = 1 + len(confirmed)
    record_duty(
        membership=proposal.lead,
        kind="proposal",
        sub_kind=sub_kind,
        occurred_on=occurred_on,
        source=proposal,
        role=DutyRole.LEAD,
        order=1,
        participants=total,
        actor=actor,
    )
    for index, cosigner in enumerate(confirmed, start=2):
        record_duty(
            membership=cosigner.membership,
            kind="proposal",
            sub_kind="co_signed" if sub_kind == "submitted" else sub_kind,
            occurred_on=occurred_on,
            source=proposal,
            role=DutyRole.CO_SIGNER,
            order=index,
            participants=total,
            actor=actor,
        )


# 提 Submit ---------------------------------------------------------------------------------


def _validate_content(committee, data):
    errors = {}
    title = (data.get("title") or "").strip()
    if not title:
        errors["title"] = _("请填写案由。")
    elif len(title) > 200:
        errors["title"] = _("案由不能超过200字。")
    for name, label in (("situation", _("情况与分析")), ("suggestions", _("具体建议"))):
        if not (data.get(name) or "").strip():
            errors[name] = _("请填写%(label)s。") % {"label": label}
    limit = get_setting(committee, "proposal_max_length")
    length = len((data.get("situation") or "").strip()) + len(
        (data.get("suggestions") or "").strip()
    )
    if length > limit:
        errors["suggestions"] = _("正文共%(n)s字,超过%(limit)s字的限制。") % {
            "n": length,
            "limit": limit,
        }
    category = data.get("category")
    if category is not None and category.committee_id != committee.pk:
        errors["category"] = _("请选择有效的类别。")
    if not data.get("publish_consent", True) and not (data.get("no_publish_reason") or "").strip():
        errors["no_publish_reason"] = _("不同意公开时请说明理由。")
    if errors:
        raise ValidationError(errors)


def _check_cosigners(proposal, memberships):
    ids = [m.pk for m in memberships]
    if len(ids) != len(set(ids)):
        raise ValidationError({"cosigners": _("联名委员不能重复。")})
    for m in memberships:
        if m.pk == proposal.lead_id:
            raise ValidationError({"cosigners": _("第一提案人不能同时作为联名委员。")})
        if m.committee_id != proposal.committee_id or m.status != MembershipStatus.IN_OFFICE:
            raise ValidationError(
                {"cosigners": _("%(name)s不是本会在任委员。") % {"name": m.person.name}}
            )


def _set_cosigners(proposal, memberships):
    proposal.cosigners.all().delete()
    CoSigner.objects.bulk_create(
        CoSigner(committee=proposal.committee, proposal=proposal, membership=m, order=i)
        for i, m in enumerate(memberships, start=2)
    )


def _lead_for(actor, committee):
    lead = (
        Membership.objects.filter(
            committee=committee, person__user=actor, status=MembershipStatus.IN_OFFICE
        )
        .order_by("-term__starts_on")
        .first()
    )
    if lead is None:
        raise PermissionDenied(_("只有本会在任委员可以提交提案。"))
    return lead


@transaction.atomic
def proposal_create(
    *,
    actor,
    committee,
    data: dict,
    cosigners=(),
    suggested_units=(),
    submitter_type=SubmitterType.MEMBER,
    submitting_body="",
):
    """A new draft. Members write their own (alone or jointly); proposal staff enter those of
    parties and organisations, special committees and sector groups."""
    _require(actor, "proposals.create")
    _validate_content(committee, data)
    session, _plenary = session_on(committee, _today())
    lead = None
    if submitter_type in MEMBER_SUBMITTERS:
        lead = _lead_for(actor, committee)
        submitter_type = SubmitterType.JOINT if cosigners else SubmitterType.MEMBER
        submitting_body = ""
    else:
        if not actor.has_perm("proposals.review"):
            raise PermissionDenied(_("党派团体、专门委员会和界别提案由提案委员会工作人员录入。"))
        if not submitting_body.strip():
            raise ValidationError({"submitting_body": _("请填写提案单位。")})
        cosigners = ()
    proposal = Proposal(
        committee=committee,
        session=session,
        submitter_type=submitter_type,
        lead=lead,
        submitting_body=submitting_body.strip(),
        created_by=actor,
        **{name: data.get(name) for name in PROPOSAL_FIELDS if name in data},
    )
    proposal.title = proposal.title.strip()
    proposal.save()
    _check_cosigners(proposal, list(cosigners))
    _set_cosigners(proposal, list(cosigners))
    proposal.suggested_units.set([u for u in suggested_units if u.committee_id == committee.pk])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=proposal, after=snapshot(proposal))
    return proposal


@transaction.atomic
def proposal_update(*, actor, proposal, data: dict, cosigners=None, suggested_units=None):
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _require(actor, "proposals.edit", locked)
    if locked.state not in (ProposalState.DRAFT, ProposalState.RETURNED):
        raise ValidationError(_("只有草稿或退回修改的提案可以修改。"))
    _validate_content(locked.committee, data)
    before = snapshot(locked)
    for name in PROPOSAL_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    fields = list(PROPOSAL_FIELDS)
    if cosigners is not None and locked.state == ProposalState.DRAFT and locked.lead_id:
        _check_cosigners(locked, list(cosigners))
        _set_cosigners(locked, list(cosigners))
        locked.submitter_type = SubmitterType.JOINT if cosigners else SubmitterType.MEMBER
        fields.append("submitter_type")
    locked.save(update_fields=fields)
    if suggested_units is not None:
        locked.suggested_units.set(
            [u for u in suggested_units if u.committee_id == locked.committee_id]
        )
    audit_change(actor=actor, obj=locked, before=before)
    return locked


def proposal_submit(*, actor, proposal):
    """Submit a draft (or a returned proposal). A joint draft first collects signatures: the
    co-signers confirm online until the deadline; the lead (or the daily job at the deadline)
    then submits, and only confirmed co-signers count."""
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _require(actor, "proposals.submit", locked)
        invited = locked.cosigners.filter(state=SignatureState.INVITED)
        if locked.state == ProposalState.DRAFT and invited.exists():
            days = get_setting(locked.committee, "signature_days")
            deadline = workdays.add_working_days(_today(), days, committee=locked.committee)
            result = PROPOSAL_WORKFLOW.apply(
                obj=locked,
                action="collect_signatures",
                actor=actor,
                updates={"signature_deadline": deadline},
            )
            users = [
                c.membership.person.user
                for c in invited.select_related("membership__person__user")
                if c.membership.person.user_id
            ]
            _tell(
                users,
                result,
                _("请确认联名提案:%(t)s") % {"t": result.title},
                _("请在%(d)s前确认是否联名。") % {"d": deadline},
            )
            return result
        today = _today()
        session, plenary = session_on(locked.committee, today)
        if locked.submitter_type == SubmitterType.SECTOR_GROUP and not plenary:
            raise ValidationError(_("界别、小组提案只能在全体会议期间提交。"))
        first_time = locked.submitted_at is None
        result = PROPOSAL_WORKFLOW.apply(
            obj=locked,
            action="submit",
            actor=actor,
            updates={"submitted_at": timezone.now(), "session": session, "is_plenary": plenary}
            if first_time
            else {},
        )
        if first_time:
            _ledger_for_proposers(result, "submitted", occurred_on=today, actor=actor)
        _tell(
            _proposal_staff(result.committee), result, _("新提交提案:%(t)s") % {"t": result.title}
        )
        return result


@transaction.atomic
def cosign_answer(*, actor, cosigner, confirm: bool):
    locked = (
        CoSigner.objects.select_for_update()
        .select_related("proposal", "membership__person")
        .get(pk=cosigner.pk)
    )
    if locked.membership.person.user_id != actor.pk:
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    proposal = locked.proposal
    if proposal.state != ProposalState.COLLECTING_SIGNATURES:
        raise InvalidTransition(_("该提案已结束联名征集。"))
    if proposal.signature_deadline and _today() > proposal.signature_deadline:
        raise ValidationError(_("联名确认已过截止日期。"))
    if locked.state != SignatureState.INVITED:
        raise InvalidTransition(_("您已答复过该联名邀请。"))
    locked.state = SignatureState.CONFIRMED if confirm else SignatureState.DECLINED
    locked.answered_at = timezone.now()
    locked.save(update_fields=["state", "answered_at"])
    PROPOSAL_WORKFLOW.note(
        obj=proposal,
        action="cosign_confirmed" if confirm else "cosign_declined",
        actor=actor,
        note=locked.membership.person.name,
    )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=proposal,
        after={"cosigner": locked.pk, "state": locked.state},
    )
    return locked


def finish_expired_signatures(on=None):
    """Daily job: submit joint proposals whose signature deadline has passed, for their lead."""
    on = on or _today()
    done = 0
    for proposal in Proposal.objects.filter(
        state=ProposalState.COLLECTING_SIGNATURES, signature_deadline__lt=on
    ).select_related("lead__person__user"):
        user = proposal.lead.person.user if proposal.lead_id else proposal.created_by
        if user is None:
            continue
        from zhengxie.core.middleware import current_roles

        role = next(
            (r for r in current_roles(user) if r.committee_id == proposal.committee_id), None
        )
        if role is None:
            continue
        user.active_role = role
        proposal_submit(actor=user, proposal=proposal)
        done += 1
    return done


def proposal_withdraw(*, actor, proposal, note=""):
    result = PROPOSAL_WORKFLOW.apply(obj=proposal, action="withdraw", actor=actor, note=note)
    return result


# 立 Review --------------------------------------------------------------------------------


def _next_number(session):
    Session.objects.select_for_update().filter(pk=session.pk).first()
    current = Proposal.objects.filter(session=session).aggregate(n=Max("number"))["n"] or 0
    return current + 1


def proposal_review(
    *,
    actor,
    proposal,
    action: str,
    note: str = "",
    ground: str = "",
    merge_into=None,
    letter_unit=None,
    number: int | None = None,
):
    """审查: start, return for revision, register (numbered per session), not register (with a
    standard ground), turn into an opinion letter (answered by a unit) or a public-opinion
    draft, or merge into a main proposal. The proposer is told every time."""
    today = _today()
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        _require(actor, "proposals.review", locked)
        updates, data = {}, {}
        if action == "return" and not note.strip():
            raise ValidationError({"note": _("退回修改时请写明修改意见。")})
        if action == "not_register":
            grounds = get_setting(locked.committee, "not_registered_grounds")
            if ground not in grounds:
                raise ValidationError({"ground": _("请选择不予立案的理由。")})
            updates = {"not_registered_ground": ground, "review_note": note}
        if action == "register":
            if (
                number is not None
                and Proposal.objects.filter(session=locked.session, number=number).exists()
            ):
                raise ValidationError({"number": _("案号%(n)s已被使用。") % {"n": number}})
            updates = {
                "number": number or _next_number(locked.session),
                "registered_on": today,
                "review_note": note,
            }
        if action == "merge":
            if merge_into is None or merge_into.pk == locked.pk:
                raise ValidationError({"merge_into": _("请选择并入的主提案。")})
            if (
                merge_into.committee_id != locked.committee_id
                or merge_into.state
                not in (
                    ProposalState.REGISTERED,
                    ProposalState.ASSIGNED,
                    ProposalState.REPLIED,
                    ProposalState.UNDER_REVIEW,
                    ProposalState.SUBMITTED,
                )
                or merge_into.merged_into_id
            ):
                raise ValidationError({"merge_into": _("主提案须为本会尚在办理中的提案。")})
            updates = {"merged_into": merge_into, "review_note": note}
            data = {"merge_into": merge_into.pk}
        if action == "to_opinion_letter":
            if letter_unit is None or letter_unit.committee_id != locked.committee_id:
                raise ValidationError({"letter_unit": _("请选择转交的承办单位。")})
            updates = {"review_note": note}
        if action in ("to_public_opinion", "start_review"):
            updates = {"review_note": note} if note else {}
        result = PROPOSAL_WORKFLOW.apply(
            obj=locked, action=action, actor=actor, note=note, updates=updates, data=data
        )
        if action == "register":
            _ledger_for_proposers(result, "registered", occurred_on=today, actor=actor)
        elif action == "merge":
            _ledger_for_proposers(result, "merged", occurred_on=today, actor=actor)
        elif action in ("to_opinion_letter", "to_public_opinion"):
            _ledger_for_proposers(result, action, occurred_on=today, actor=actor)
        if action == "to_opinion_letter":
            _create_assignment(result, letter_unit, AssignmentRole.LETTER, actor, today)
        if action == "to_public_opinion":
            from zhengxie.opinions.services import report_from_proposal

            report_from_proposal(actor=actor, proposal=result)
        label = dict(ProposalState.choices)[result.state]
        message = {
            "register": _("您的提案已立案,案号:%(n)s") % {"n": result.number_label},
            "return": _("您的提案被退回修改:%(t)s") % {"t": result.title},
        }.get(action, _("您的提案审查结果:%(s)s") % {"s": label})
        if action != "start_review":
            _tell(_proposer_users(result, confirmed_only=False), result, message, note)
        return result


@transaction.atomic
def bulk_register(*, actor, proposals):
    """Register many proposals at once (the plenary rush): all or none."""
    results = []
    for proposal in sorted(proposals, key=lambda p: (p.submitted_at or timezone.now(), p.pk)):
        results.append(proposal_review(actor=actor, proposal=proposal, action="register"))
    return results


# 办 Assign and handle --------------------------------------------------------------------


def _create_assignment(proposal, unit, role, actor, today, *, replaces=None):
    assignment = Assignment.objects.create(
        committee=proposal.committee,
        proposal=proposal,
        unit=unit,
        role=role,
        assigned_on=today,
        deadline=reply_deadline(proposal.committee, today),
        replaces=replaces,
    )
    ASSIGNMENT_WORKFLOW.history_model.objects.create(
        subject=assignment,
        from_state="",
        action="assign",
        to_state=assignment.state,
        actor=actor,
        committee=proposal.committee,
    )
    _tell(
        _unit_users(unit),
        proposal,
        _("新交办提案:%(t)s") % {"t": proposal.title},
        _("请于%(d)s前答复。") % {"d": assignment.deadline},
    )
    return assignment


def proposal_assign(*, actor, proposal, mode: str, units, main_unit=None):
    """交办: single (单办), split (分办: each unit answers) or joint (会办: the main unit answers,
    co-units send it their view)."""
    units = list(dict.fromkeys(units))
    if not units:
        raise ValidationError({"units": _("请选择承办单位。")})
    if any(u.committee_id != proposal.committee_id or not u.is_active for u in units):
        raise ValidationError({"units": _("请选择本会在用的承办单位。")})
    if mode == "single" and len(units) != 1:
        raise ValidationError({"units": _("单办只能选择一个承办单位。")})
    if mode == "split" and len(units) < 2:
        raise ValidationError({"units": _("分办须选择两个以上承办单位。")})
    if mode == "joint":
        if main_unit is None or main_unit not in units:
            raise ValidationError({"main_unit": _("会办须指定主办单位(且在所选单位之中)。")})
        if len(units) < 2:
            raise ValidationError({"units": _("会办须选择主办单位和至少一个会办单位。")})
    if mode not in ("single", "split", "joint"):
        raise ValidationError({"mode": _("请选择办理方式。")})
    today = _today()
    with transaction.atomic():
        result = PROPOSAL_WORKFLOW.apply(
            obj=proposal,
            action="assign",
            actor=actor,
            data={"mode": mode, "units": [u.pk for u in units]},
        )
        for unit in units:
            if mode == "single":
                role = AssignmentRole.SINGLE
            elif mode == "split":
                role = AssignmentRole.SPLIT
            else:
                role = AssignmentRole.MAIN if unit == main_unit else AssignmentRole.CO
            _create_assignment(result, unit, role, actor, today)
        _tell(
            _proposer_users(result),
            result,
            _("您的提案已交办:%(u)s") % {"u": "、".join(u.name for u in units)},
        )
        return result


def _sync_proposal(proposal_id, actor):
    """Move the proposal along once its answering assignments allow it (automatic actions)."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    answering = list(
        proposal.assignments.filter(role__in=ANSWERING_ROLES).exclude(
            state=AssignmentState.RETURNED
        )
    )
    if not answering or proposal.state not in (ProposalState.ASSIGNED, ProposalState.REPLIED):
        return proposal
    states = {a.state for a in answering}
    answered = states <= {AssignmentState.REPLIED, AssignmentState.RATED, AssignmentState.DONE}
    if proposal.state == ProposalState.ASSIGNED and answered:
        proposal = PROPOSAL_WORKFLOW.apply(obj=proposal, action="mark_replied", actor=actor)
    if proposal.state == ProposalState.REPLIED and AssignmentState.REHANDLING in states:
        proposal = PROPOSAL_WORKFLOW.apply(obj=proposal, action="reopen", actor=actor)
    elif proposal.state == ProposalState.REPLIED and states == {AssignmentState.DONE}:
        proposal = PROPOSAL_WORKFLOW.apply(obj=proposal, action="finish", actor=actor)
    return proposal


def _within_return_window(assignment):
    days = get_setting(assignment.committee, "return_request_working_days")
    used = workdays.working_days_between(
        assignment.assigned_on, _today(), committee=assignment.committee
    )
    if used > days:
        raise ValidationError(_("交办之日起%(n)s个工作日内才能申请退回,已超过期限。") % {"n": days})


def assignment_act(*, actor, assignment, action: str, **payload):
    """Every action on an assignment (the unit's part, the staff's decisions, the rating)."""
    handler = ASSIGNMENT_ACTIONS.get(action)
    if handler is None:
        raise ValidationError(_("未知操作:%(a)s") % {"a": action})
    with transaction.atomic():
        result = handler(actor=actor, assignment=assignment, **payload)
        _sync_proposal(result.proposal_id, actor)
        return result


def _accept(*, actor, assignment):
    return ASSIGNMENT_WORKFLOW.apply(
        obj=assignment, action="accept", actor=actor, updates={"accepted_on": _today()}
    )


def _request_return(*, actor, assignment, reason=""):
    if not reason.strip():
        raise ValidationError({"reason": _("请说明申请退回的理由。")})
    result = ASSIGNMENT_WORKFLOW.apply(
        obj=assignment,
        action="request_return",
        actor=actor,
        note=reason,
        updates={"return_reason": reason.strip()},
        check=_within_return_window,
    )
    _tell(
        _proposal_staff(result.committee),
        result.proposal,
        _("%(u)s申请退回提案:%(t)s") % {"u": result.unit.name, "t": result.proposal.title},
        reason,
    )
    return result


def _approve_return(*, actor, assignment, new_unit=None, note=""):
    """Approve the return; staff name the unit that takes the case over (units never pass a
    case on themselves)."""
    if (
        new_unit is None
        or new_unit.committee_id != assignment.committee_id
        or not new_unit.is_active
    ):
        raise ValidationError({"new_unit": _("请选择改交的承办单位。")})
    if new_unit.pk == assignment.unit_id:
        raise ValidationError({"new_unit": _("改交单位不能是申请退回的单位。")})
    if (
        assignment.proposal.assignments.filter(unit=new_unit)
        .exclude(state=AssignmentState.RETURNED)
        .exists()
    ):
        raise ValidationError({"new_unit": _("该单位已在承办此提案。")})
    result = ASSIGNMENT_WORKFLOW.apply(
        obj=assignment, action="approve_return", actor=actor, note=note
    )
    _create_assignment(result.proposal, new_unit, result.role, actor, _today(), replaces=result)
    _tell(
        _unit_users(result.unit),
        result.proposal,
        _("退回申请已同意:%(t)s") % {"t": result.proposal.title},
    )
    return result


def _deny_return(*, actor, assignment, note=""):
    if not note.strip():
        raise ValidationError({"note": _("请说明不同意退回的理由。")})
    result = ASSIGNMENT_WORKFLOW.apply(obj=assignment, action="deny_return", actor=actor, note=note)
    _tell(
        _unit_users(result.unit),
        result.proposal,
        _("退回申请未同意:%(t)s") % {"t": result.proposal.title},
        note,
    )
    return result


def _contact(*, actor, assignment, way="", contact_on=None, summary=""):
    errors = {}
    from zhengxie.proposals.models import ContactWay

    if way not in ContactWay.values:
        errors["way"] = _("请选择沟通方式。")
    if contact_on is None:
        errors["contact_on"] = _("请填写沟通日期。")
    elif contact_on > _today():
        errors["contact_on"] = _("沟通日期不能晚于今天。")
    if not summary.strip():
        errors["summary"] = _("请填写沟通情况。")
    if errors:
        raise ValidationError(errors)
    return ASSIGNMENT_WORKFLOW.apply(
        obj=assignment,
        action="contact",
        actor=actor,
        note=summary,
        updates={"contact_way": way, "contact_on": contact_on, "contact_summary": summary.strip()},
    )


def _store_reply(*, actor, assignment, text, category="", is_public=True, document=None):
    reply = Reply.objects.create(
        committee=assignment.committee,
        assignment=assignment,
        round=assignment.round,
        text=text.strip(),
        category=category,
        is_public=is_public,
        document=document,
        replied_on=_today(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=reply.assignment,
        after={"reply": reply.pk, "category": category},
    )
    return reply


def _reply(*, actor, assignment, text="", category="", is_public=True, document=None):
    categories = get_setting(assignment.committee, "reply_categories")
    errors = {}
    if not text.strip():
        errors["text"] = _("请填写答复内容。")
    if assignment.role != AssignmentRole.LETTER and category not in categories:
        errors["category"] = _("请选择答复类别。")
    if errors:
        raise ValidationError(errors)
    if assignment.replies.filter(round=assignment.round).exists():
        raise ValidationError(_("本轮已经答复。"))
    result = ASSIGNMENT_WORKFLOW.apply(obj=assignment, action="reply", actor=actor)
    _store_reply(
        actor=actor,
        assignment=result,
        text=text,
        category=category,
        is_public=is_public,
        document=document,
    )
    if result.role == AssignmentRole.LETTER:
        result = ASSIGNMENT_WORKFLOW.apply(obj=result, action="finish", actor=actor)
    _tell(
        _proposer_users(result.proposal),
        result.proposal,
        _("%(u)s已答复您的提案:%(t)s") % {"u": result.unit.name, "t": result.proposal.title},
        _("请在“我的提案”中查看并评价。") if result.role != AssignmentRole.LETTER else "",
    )
    return result


def _send_view(*, actor, assignment, text=""):
    if not text.strip():
        raise ValidationError({"text": _("请填写会办意见。")})
    result = ASSIGNMENT_WORKFLOW.apply(obj=assignment, action="send_view", actor=actor, note=text)
    _store_reply(actor=actor, assignment=result, text=text)
    main = (
        result.proposal.assignments.filter(role=AssignmentRole.MAIN)
        .exclude(state=AssignmentState.RETURNED)
        .first()
    )
    if main is not None:
        _tell(
            _unit_users(main.unit),
            result.proposal,
            _("%(u)s已提交会办意见:%(t)s") % {"u": result.unit.name, "t": result.proposal.title},
        )
    return result


def _rate(*, actor, assignment, attitude="", result="", on_point=True, comment=""):
    values = Satisfaction.values
    errors = {}
    if attitude not in values:
        errors["attitude"] = _("请评价办理态度。")
    if result not in values:
        errors["result"] = _("请评价办理结果。")
    if errors:
        raise ValidationError(errors)
    locked = ASSIGNMENT_WORKFLOW.apply(obj=assignment, action="rate", actor=actor, note=comment)
    reply = locked.replies.get(round=locked.round)
    rating = Rating.objects.create(
        committee=locked.committee,
        reply=reply,
        attitude=attitude,
        result=result,
        on_point=on_point,
        comment=comment.strip(),
        rated_by=actor,
        rated_on=_today(),
    )
    if rating.satisfied:
        return ASSIGNMENT_WORKFLOW.apply(obj=locked, action="finish", actor=actor)
    if locked.round == 1:
        deadline = reply_deadline(locked.committee, _today())
        locked = ASSIGNMENT_WORKFLOW.apply(
            obj=locked,
            action="rehandle",
            actor=actor,
            note=comment,
            updates={"round": 2, "deadline": deadline},
        )
        _tell(
            _unit_users(locked.unit),
            locked.proposal,
            _("提案人对答复不满意,请重新办理:%(t)s") % {"t": locked.proposal.title},
            _("请于%(d)s前再次答复。") % {"d": deadline},
        )
        return locked
    _tell(
        _proposal_staff(locked.committee),
        locked.proposal,
        _("提案人第二次不满意,请安排面商或书面说明后办结:%(t)s") % {"t": locked.proposal.title},
    )
    return locked


def _close(*, actor, assignment, note=""):
    if not note.strip():
        raise ValidationError({"note": _("请写明面商或书面说明情况。")})
    return ASSIGNMENT_WORKFLOW.apply(obj=assignment, action="close", actor=actor, note=note)


ASSIGNMENT_ACTIONS = {
    "accept": _accept,
    "request_return": _request_return,
    "approve_return": _approve_return,
    "deny_return": _deny_return,
    "contact": _contact,
    "reply": _reply,
    "send_view": _send_view,
    "rate": _rate,
    "close": _close,
}


@transaction.atomic
def reply_correct_category(*, actor, reply, category: str, note=""):
    """Staff correct a reply's category; the unit's own category is kept beside it."""
    locked = Reply.objects.select_for_update().select_related("assignment").get(pk=reply.pk)
    _require(actor, "proposals.correct_category", locked.assignment.proposal)
    if category not in get_setting(locked.committee, "reply_categories"):
        raise ValidationError({"category": _("请选择有效的答复类别。")})
    before = snapshot(locked, ["corrected_category"])
    locked.corrected_category = "" if category == locked.category else category
    locked.corrected_by = actor
    locked.save(update_fields=["corrected_category", "corrected_by"])
    ASSIGNMENT_WORKFLOW.note(
        obj=locked.assignment,
        action="correct_category",
        actor=actor,
        note=note,
        data={"from": locked.category, "to": category},
    )
    audit_change(actor=actor, obj=locked.assignment, before=before)
    return locked


@transaction.atomic
def extension_request(*, actor, assignment, until, reason):
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    _require(actor, "proposals.request_extension", locked)
    if locked.state not in (
        AssignmentState.ACCEPTED,
        AssignmentState.CONTACTED,
        AssignmentState.REHANDLING,
    ):
        raise ValidationError(_("当前状态不能申请延期。"))
    limit = add_months(locked.assigned_on, get_setting(locked.committee, "extension_max_months"))
    if until is None or until <= locked.deadline:
        raise ValidationError(
            {"until": _("延期日期须晚于现有答复期限(%(d)s)。") % {"d": locked.deadline}}
        )
    if until > limit:
        raise ValidationError(
            {
                "until": _("延期后不能超过交办之日起%(n)s个月(%(d)s)。")
                % {"n": get_setting(locked.committee, "extension_max_months"), "d": limit}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("请说明延期理由。")})
    if locked.extensions.filter(state=ExtensionState.REQUESTED).exists():
        raise ValidationError(_("已有待审批的延期申请。"))
    extension = ExtensionRequest.objects.create(
        committee=locked.committee, assignment=locked, requested_until=until, reason=reason.strip()
    )
    ASSIGNMENT_WORKFLOW.note(
        obj=locked, action="request_extension", actor=actor, note=reason, data={"until": str(until)}
    )
    _tell(
        _proposal_staff(locked.committee),
        locked.proposal,
        _("%(u)s申请延期办理:%(t)s") % {"u": locked.unit.name, "t": locked.proposal.title},
        reason,
    )
    return extension


@transaction.atomic
def extension_decide(*, actor, extension, approve: bool, note=""):
    locked = (
        ExtensionRequest.objects.select_for_update()
        .select_related("assignment")
        .get(pk=extension.pk)
    )
    _require(actor, "proposals.decide_extension", locked.assignment.proposal)
    if locked.state != ExtensionState.REQUESTED:
        raise ValidationError(_("该延期申请已处理,请刷新后查看。"))
    locked.state = ExtensionState.APPROVED if approve else ExtensionState.DENIED
    locked.decided_by, locked.decided_at = actor, timezone.now()
    locked.save(update_fields=["state", "decided_by", "decided_at"])
    assignment = Assignment.objects.select_for_update().get(pk=locked.assignment_id)
    if approve:
        before = snapshot(assignment, ["deadline"])
        assignment.deadline = locked.requested_until
        assignment.save(update_fields=["deadline"])
        audit_change(actor=actor, obj=assignment, before=before)
    ASSIGNMENT_WORKFLOW.note(
        obj=assignment,
        action="approve_extension" if approve else "deny_extension",
        actor=actor,
        note=note,
        data={"until": str(locked.requested_until)},
    )
    _tell(
        _unit_users(assignment.unit),
        assignment.proposal,
        (_("延期申请已批准,新的答复期限:%(d)s") % {"d": assignment.deadline})
        if approve
        else _("延期申请未批准"),
        note,
    )
    return locked


# 督 Supervise ----------------------------------------------------------------------------


@transaction.atomic
def key_propose(*, actor, proposal):
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _require(actor, "proposals.manage_key", locked)
    if locked.state not in (
        ProposalState.REGISTERED,
        ProposalState.ASSIGNED,
        ProposalState.REPLIED,
    ):
        raise ValidationError(_("只有已立案、尚未办结的提案可以列为重点提案。"))
    if locked.key_state:
        raise ValidationError(_("该提案已列入重点提案。"))
    locked.key_state = KeyState.PROPOSED
    locked.save(update_fields=["key_state"])
    PROPOSAL_WORKFLOW.note(obj=locked, action="key_propose", actor=actor)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=locked, after={"key_state": locked.key_state}
    )
    return locked


@transaction.atomic
def key_decide(
    *, actor, proposal, decided_on, decided_by, leader="", supervisor="", leader_user=None
):
    """The chairs' meeting decides a proposed key proposal, naming who leads it (领办) or
    supervises it (领衔督办)."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    _require(actor, "proposals.manage_key", locked)
    errors = {}
    if locked.key_state != KeyState.PROPOSED:
        raise ValidationError(_("只有拟定的重点提案可以由主席会议决定。"))
    if decided_on is None or decided_on > _today():
        errors["decided_on"] = _("请填写主席会议决定日期(不晚于今天)。")
    if not decided_by.strip():
        errors["decided_by"] = _("请填写决定的会议。")
    if not (leader.strip() or supervisor.strip()):
        errors["leader"] = _("请填写领办领导或领衔督办的政协领导。")
    if errors:
        raise ValidationError(errors)
    before = snapshot(
        locked, ["key_state", "key_decided_on", "key_decided_by", "key_leader", "key_supervisor"]
    )
    locked.key_state = KeyState.DECIDED
    locked.key_decided_on, locked.key_decided_by = decided_on, decided_by.strip()
    locked.key_leader, locked.key_supervisor = leader.strip(), supervisor.strip()
    locked.key_leader_user = leader_user
    locked.save(
        update_fields=[
            "key_state",
            "key_decided_on",
            "key_decided_by",
            "key_leader",
            "key_supervisor",
            "key_leader_user",
        ]
    )
    PROPOSAL_WORKFLOW.note(obj=locked, action="key_decide", actor=actor, note=decided_by)
    audit_change(actor=actor, obj=locked, before=before)
    _ledger_for_proposers(locked, "key", occurred_on=decided_on, actor=actor)
    users = _proposer_users(locked) + ([leader_user] if leader_user else [])
    users += [
        u
        for a in locked.assignments.exclude(state=AssignmentState.RETURNED)
        for u in _unit_users(a.unit)
    ]
    _tell(users, locked, _("列为重点提案:%(t)s") % {"t": locked.title})
    return locked


@transaction.atomic
def supervision_add(*, actor, proposal, held_on, form, participants, notes):
    _require(actor, "proposals.supervise", proposal)
    errors = {}
    if held_on is None or held_on > _today():
        errors["held_on"] = _("请填写督办日期(不晚于今天)。")
    for name, value, label in (
        ("form", form, _("督办形式")),
        ("participants", participants, _("参加人员")),
        ("notes", notes, _("督办情况")),
    ):
        if not (value or "").strip():
            errors[name] = _("请填写%(label)s。") % {"label": label}
    if errors:
        raise ValidationError(errors)
    record = SupervisionRecord.objects.create(
        committee=proposal.committee,
        proposal=proposal,
        held_on=held_on,
        form=form.strip(),
        participants=participants.strip(),
        notes=notes.strip(),
        created_by=actor,
    )
    PROPOSAL_WORKFLOW.note(obj=proposal, action="supervise", actor=actor, note=form)
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=proposal, after={"supervision": record.pk}
    )
    return record


def follow_up_b_class(*, actor, reply, due_on, text=""):
    """回头看: a B-class (planned) answer is followed up on a set date, as a recommendation."""
    from zhengxie.core.followup import recommendation_add

    if reply.final_category != "B":
        raise ValidationError(_("只有B类答复需要回头看。"))
    if due_on is None or due_on <= _today():
        raise ValidationError({"due_on": _("回头看日期须晚于今天。")})
    proposal = reply.assignment.proposal
    return recommendation_add(
        source=proposal,
        text=text.strip() or reply.text[:500],
        aspect=_("B类答复回头看"),
        addressee=reply.assignment.unit.name,
        addressee_unit=reply.assignment.unit,
        due_on=due_on,
        actor=actor,
    )


# 评 Awards ------------------------------------------------------------------------------


@transaction.atomic
def award_add(*, actor, committee, kind, year, awarded_on, proposal=None, unit=None, note=""):
    _require(actor, "proposals.award")
    if kind == AwardKind.OUTSTANDING_PROPOSAL:
        if (
            proposal is None
            or proposal.committee_id != committee.pk
            or proposal.state
            not in (
                ProposalState.REGISTERED,
                ProposalState.ASSIGNED,
                ProposalState.REPLIED,
                ProposalState.CLOSED,
            )
        ):
            raise ValidationError({"proposal": _("优秀提案须为本会已立案的提案。")})
        unit = None
    elif kind == AwardKind.OUTSTANDING_UNIT:
        if not isinstance(unit, HandlingUnit) or unit.committee_id != committee.pk:
            raise ValidationError({"unit": _("请选择本会的承办单位。")})
        proposal = None
    else:
        raise ValidationError({"kind": _("请选择表彰类型。")})
    if Award.objects.filter(kind=kind, year=year, proposal=proposal, unit=unit).exists():
        raise ValidationError(_("该项表彰已登记。"))
    try:
        with transaction.atomic():  # the unique constraints decide when two record it at once
            award = Award.objects.create(
                committee=committee,
                kind=kind,
                year=year,
                awarded_on=awarded_on,
                proposal=proposal,
                unit=unit,
                note=note.strip(),
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(_("该项表彰已登记。")) from exc
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=award,
        committee=committee,
        after=snapshot(award),
    )
    if proposal is not None:
        _ledger_for_proposers(proposal, "outstanding", occurred_on=awarded_on, actor=actor)
        _tell(
            _proposer_users(proposal), proposal, _("您的提案被评为%(y)s年度优秀提案") % {"y": year}
        )
    return award


@transaction.atomic
def proposal_close(*, actor, proposal, note=""):
    """Staff close an answered proposal (e.g. one of a party or organisation, whose replies
    nobody rates): its answered assignments are finished with it."""
    _require(actor, "proposals.close", proposal)
    answered = proposal.assignments.filter(
        role__in=ANSWERING_ROLES, state__in=(AssignmentState.REPLIED, AssignmentState.RATED)
    )
    if proposal.state == ProposalState.REPLIED:
        for assignment in answered:
            ASSIGNMENT_WORKFLOW.apply(obj=assignment, action="finish", actor=actor, note=note)
    return PROPOSAL_WORKFLOW.apply(obj=proposal, action="close", actor=actor, note=note)


def proposal_act(*, actor, proposal, action: str, **payload):
    """One entry for the proposal-level actions of the transition table (pages and API)."""
    if action == "submit" or action == "collect_signatures":
        return proposal_submit(actor=actor, proposal=proposal)
    if action == "withdraw":
        return proposal_withdraw(actor=actor, proposal=proposal, note=payload.get("note", ""))
    if action == "assign":
        return proposal_assign(
            actor=actor,
            proposal=proposal,
            mode=payload.get("mode", ""),
            units=payload.get("units", ()),
            main_unit=payload.get("main_unit"),
        )
    if action in (
        "start_review",
        "return",
        "register",
        "not_register",
        "to_opinion_letter",
        "to_public_opinion",
        "merge",
    ):
        return proposal_review(actor=actor, proposal=proposal, action=action, **payload)
    if action == "close":
        return proposal_close(actor=actor, proposal=proposal, note=payload.get("note", ""))
    raise ValidationError(_("未知操作:%(a)s") % {"a": action})


# Categories ------------------------------------------------------------------------------


@transaction.atomic
def category_save(*, actor, committee, data: dict, category=None):
    """Create or change one of the committee's proposal categories (and its 民生 flag)."""
    from zhengxie.proposals.models import CategoryGroup, ProposalCategory

    _require(actor, "proposals.manage_categories")
    name = (data.get("name") or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("请填写类别名称。")
    elif (
        ProposalCategory.objects.filter(committee=committee, name=name)
        .exclude(pk=getattr(category, "pk", None))
        .exists()
    ):
        errors["name"] = _("类别“%(n)s”已存在。") % {"n": name}
    if data.get("group") not in CategoryGroup.values:
        errors["group"] = _("请选择大类。")
    if errors:
        raise ValidationError(errors)
    before = snapshot(category) if category else {}
    category = category or ProposalCategory(committee=committee)
    category.name = name
    category.group = data["group"]
    category.is_livelihood = bool(data.get("is_livelihood"))
    category.position = data.get("position") or 0
    category.is_active = bool(data.get("is_active", True))
    category.save()
    if before:
        audit_change(actor=actor, obj=category, before=before)
    else:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=category, after=snapshot(category))
    return category
