"""Every write on public-opinion reports: one keyword-only function per use case, atomic,
permission-checked, leaving history, audit, duty-ledger rows and notifications (on commit)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core.accounts import role_holders
from zhengxie.core.audit import audit_change, audit_record, snapshot
from zhengxie.core.config import get_setting
from zhengxie.core.ledger import record_duty
from zhengxie.core.models import AuditAction, DutyRole, Level, Role
from zhengxie.core.notifications import notify
from zhengxie.core.workflow import InvalidTransition
from zhengxie.opinions.models import (
    BODY_SOURCES,
    Adoption,
    AdoptionKind,
    Bulletin,
    BulletinItem,
    BulletinState,
    CoSubmitter,
    Forwarding,
    HandlingState,
    ItemHandling,
    ItemKind,
    OpinionReport,
    ReportState,
    SourceKind,
)
from zhengxie.opinions.rules import OPINION_OFFICES
from zhengxie.opinions.workflow import REPORT_WORKFLOW
from zhengxie.organisation.models import Committee, Membership, MembershipStatus

CONTENT_FIELDS = ("title", "situation", "analysis", "suggestion")
LEVEL_SUB_KIND = {
    Level.CITY: "adopted_city",
    Level.PROVINCE: "adopted_province",
    Level.NATIONAL: "adopted_national",
}


def _require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def _today():
    return timezone.localdate()


# Notifications and ledger ---------------------------------------------------------------


def _report_url(report):
    return reverse("opinions:detail", args=[report.pk])


def _submitter_users(report):
    users = []
    if report.lead_id and report.lead.person.user_id:
        users.append(report.lead.person.user)
    if report.person_id and report.person.user_id:
        users.append(report.person.user)
    if not users and report.created_by_id:
        users.append(report.created_by)
    for c in report.cosubmitters.select_related("membership__person__user"):
        if c.membership.person.user_id:
            users.append(c.membership.person.user)
    return users


def _opinion_staff(committee):
    return role_holders(role=Role.STAFF, committee=committee, offices=OPINION_OFFICES)


def _tell(users, report, title, body=""):
    url = _report_url(report)
    transaction.on_commit(
        lambda: notify(
            recipients=users,
            title=title,
            body=body,
            url=url,
            kind="opinion",
            committee=report.committee,
        )
    )


def _credit(report, sub_kind, *, occurred_on, actor, level=""):
    """One ledger row per member credited on the report (lead first, then co-submitters)."""
    members = []
    if report.lead_id:
        members.append(report.lead)
    members += [c.membership for c in report.cosubmitters.select_related("membership")]
    for order, membership in enumerate(members, start=1):
        record_duty(
            membership=membership,
            kind="opinion",
            sub_kind=sub_kind,
            occurred_on=occurred_on,
            source=report,
            role=DutyRole.LEAD if order == 1 else DutyRole.CO_SIGNER,
            order=order,
            participants=len(members),
            level=level,
            actor=actor,
        )


# Submit ------------------------------------------------------------------------------------


def _validate(committee, data):
    errors = {}
    if not (data.get("title") or "").strip():
        errors["title"] = _("请填写标题。")
    elif len(data["title"].strip()) > 200:
        errors["title"] = _("标题不能超过200字。")
    for name, label in (("situation", _("基本情况")), ("suggestion", _("建议"))):
        if not (data.get(name) or "").strip():
            errors[name] = _("请填写%(label)s。") % {"label": label}
    limit = get_setting(committee, "opinion_max_length")
    length = sum(len((data.get(n) or "").strip()) for n in ("situation", "analysis", "suggestion"))
    if length > limit:
        errors["suggestion"] = _("正文共%(n)s字,超过%(limit)s字的限制。") % {
            "n": length,
            "limit": limit,
        }
    if errors:
        raise ValidationError(errors)


def _member_of(actor, committee):
    return (
        Membership.objects.filter(
            committee=committee, person__user=actor, status=MembershipStatus.IN_OFFICE
        )
        .order_by("-term__starts_on")
        .first()
    )


@transaction.atomic
def report_create(
    *,
    actor,
    committee,
    data: dict,
    source_kind=None,
    cosubmitters=(),
    submitting_body="",
    source_note="",
):
    """A draft report. Members write their own (alone or jointly); information officers theirs;
    staff enter those of groups, special committees, parties and residents (with the source)."""
    _require(actor, "opinions.create")
    _validate(committee, data)
    lead = _member_of(actor, committee)
    person = None
    staff_entry = actor.has_perm("opinions.review")
    if source_kind in BODY_SOURCES or source_kind == SourceKind.STAFF:
        if not staff_entry:
            raise PermissionDenied(_("党派团体、小组、专委会和群众反映的信息由机关工作人员录入。"))
        if not (submitting_body.strip() or source_note.strip()):
            raise ValidationError({"submitting_body": _("请填写报送单位或来源说明。")})
        lead, cosubmitters = None, ()
    elif lead is not None:
        source_kind = SourceKind.JOINT if cosubmitters else SourceKind.MEMBER
        submitting_body = ""
    elif getattr(actor, "person", None) is not None:
        person, source_kind, cosubmitters = actor.person, SourceKind.INFO_OFFICER, ()
    else:
        raise PermissionDenied(_("只有本会委员、信息员或机关工作人员可以报送社情民意信息。"))
    report = OpinionReport.objects.create(
        committee=committee,
        source_kind=source_kind,
        lead=lead,
        person=person,
        submitting_body=submitting_body.strip(),
        source_note=source_note.strip(),
        created_by=actor,
        **{f: (data.get(f) or "").strip() for f in CONTENT_FIELDS},
    )
    ids = [m.pk for m in cosubmitters]
    if len(ids) != len(set(ids)) or (lead is not None and lead.pk in ids):
        raise ValidationError({"cosubmitters": _("联名委员不能重复,也不能包括本人。")})
    CoSubmitter.objects.bulk_create(
        CoSubmitter(committee=committee, report=report, membership=m, order=i)
        for i, m in enumerate(cosubmitters, start=2)
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report, after=snapshot(report))
    return report


@transaction.atomic
def report_update(*, actor, report, data: dict):
    locked = OpinionReport.objects.select_for_update().get(pk=report.pk)
    _require(actor, "opinions.edit_draft", locked)
    if locked.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise ValidationError(_("只有草稿或退回修改的信息可以修改。"))
    _validate(locked.committee, data)
    before = snapshot(locked)
    for f in CONTENT_FIELDS:
        setattr(locked, f, (data.get(f) or "").strip())
    locked.save(update_fields=list(CONTENT_FIELDS))
    audit_change(actor=actor, obj=locked, before=before)
    return locked


def report_submit(*, actor, report):
    with transaction.atomic():
        locked = OpinionReport.objects.select_for_update().get(pk=report.pk)
        first_time = locked.submitted_at is None
        updates = {}
        if first_time:
            from zhengxie.proposals.services import session_on

            session, _plenary = session_on(locked.committee, _today())
            updates = {"submitted_at": timezone.now(), "session": session}
        result = REPORT_WORKFLOW.apply(obj=locked, action="submit", actor=actor, updates=updates)
        if first_time:
            _credit(result, "submitted", occurred_on=_today(), actor=actor)
        _tell(
            _opinion_staff(result.committee),
            result,
            _("新报送社情民意信息:%(t)s") % {"t": result.title},
        )
        return result


def report_from_proposal(*, actor, proposal):
    """A proposal turned into a public-opinion report arrives here, submitted, crediting the
    proposal's lead (the proposal's ledger row is written by the proposals app)."""
    from zhengxie.organisation.models import Session

    report = OpinionReport.objects.create(
        committee=proposal.committee,
        session=Session.objects.filter(pk=proposal.session_id).first(),
        source_kind=SourceKind.PROPOSAL,
        lead=proposal.lead,
        submitting_body=proposal.submitting_body,
        source_note=_("由提案《%(t)s》转来") % {"t": proposal.title},
        title=proposal.title,
        situation=proposal.situation,
        suggestion=proposal.suggestions,
        state=ReportState.SUBMITTED,
        submitted_at=timezone.now(),
        from_proposal=proposal,
        created_by=actor,
    )
    REPORT_WORKFLOW.history_model.objects.create(
        subject=report,
        from_state="",
        action="from_proposal",
        to_state=report.state,
        actor=actor,
        committee=report.committee,
        note=proposal.title,
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=report, after={"from_proposal": proposal.pk}
    )
    return report


# Review, edit, approve, sign off ---------------------------------------------------------


def report_act(*, actor, report, action: str, note: str = "", reason: str = ""):
    """The editorial actions of the table: start_review, return, use, not_use, approve, sign_off."""
    if action == "submit":
        return report_submit(actor=actor, report=report)
    with transaction.atomic():
        updates = {}
        if action == "return" and not note.strip():
            raise ValidationError({"note": _("退回修改时请写明修改意见。")})
        if action == "not_use":
            if not reason.strip():
                raise ValidationError({"reason": _("请填写未采用的理由。")})
            updates["not_used_reason"] = reason.strip()
        if note and action in ("return", "use", "not_use", "start_review"):  # editorial notes only
            updates["review_note"] = note.strip()
        result = REPORT_WORKFLOW.apply(
            obj=report, action=action, actor=actor, note=note or reason, updates=updates
        )
        if action == "use":
            _credit(result, "used", occurred_on=_today(), actor=actor, level=result.committee.level)
            if result.origin_id:
                _record_upstream(result, AdoptionKind.ADOPTED, actor)
        if action in ("return", "use", "not_use", "sign_off"):
            label = REPORT_WORKFLOW.state_label(result.state)
            _tell(
                _submitter_users(result),
                result,
                _("您报送的信息:%(s)s") % {"s": label},
                note or reason,
            )
        return result


@transaction.atomic
def report_edit(*, actor, report, data: dict, note: str = ""):
    """Staff edit a report; the submitted original is kept (``original``) for the comparison."""
    locked = OpinionReport.objects.select_for_update().get(pk=report.pk)
    _require(actor, "opinions.edit", locked)
    if locked.state not in (ReportState.UNDER_REVIEW, ReportState.USED, ReportState.APPROVED):
        raise InvalidTransition(_("当前状态不能编辑。"))
    _validate(locked.committee, data)
    if not locked.original:
        locked.original = {f: getattr(locked, f) for f in CONTENT_FIELDS}
    before = snapshot(locked, list(CONTENT_FIELDS))
    for f in CONTENT_FIELDS:
        setattr(locked, f, (data.get(f) or "").strip())
    locked.save(update_fields=[*CONTENT_FIELDS, "original"])
    REPORT_WORKFLOW.note(obj=locked, action="edit", actor=actor, note=note)
    audit_change(actor=actor, obj=locked, before=before)
    return locked


# Bulletins --------------------------------------------------------------------------------


def bulletin_create(*, actor, committee, issued_on, recipients="", title=""):
    """A new issue, numbered next in its year. Two staff composing at once get different
    numbers: the committee row is locked while the number is taken, and the unique
    constraint is the last word."""
    _require(actor, "opinions.compose_bulletin")
    if issued_on is None:
        raise ValidationError({"issued_on": _("请填写印发日期。")})
    for _attempt in range(3):
        try:
            with transaction.atomic():
                Committee.objects.select_for_update().filter(pk=committee.pk).first()
                year = issued_on.year
                last = Bulletin.objects.filter(committee=committee, year=year).aggregate(
                    n=Max("number")
                )["n"]
                bulletin = Bulletin.objects.create(
                    committee=committee,
                    year=year,
                    number=(last or 0) + 1,
                    title=title.strip() or get_setting(committee, "bulletin_title"),
                    issued_on=issued_on,
                    recipients=recipients.strip(),
                    created_by=actor,
                )
                audit_record(
                    actor=actor, action=AuditAction.CREATE, obj=bulletin, after=snapshot(bulletin)
                )
                return bulletin
        except IntegrityError:
            continue
    raise ValidationError(_("期号分配冲突,请重试。"))


@transaction.atomic
def bulletin_add_item(*, actor, bulletin, reports, title="", text=""):
    """Add one item: a single report, or a combined report made from several (all credited)."""
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    _require(actor, "opinions.compose_bulletin", locked)
    if locked.state != BulletinState.DRAFT:
        raise ValidationError(_("已印发的刊物不能再修改。"))
    reports = list(dict.fromkeys(reports))
    if not reports:
        raise ValidationError({"reports": _("请选择要编入的信息。")})
    if any(
        r.committee_id != locked.committee_id or r.state != ReportState.SIGNED_OFF for r in reports
    ):
        raise ValidationError({"reports": _("只能编入本会已签发、尚未刊发的信息。")})
    if BulletinItem.objects.filter(
        reports__in=reports, bulletin__state=BulletinState.DRAFT
    ).exists():
        raise ValidationError({"reports": _("所选信息已编入其他刊物。")})
    kind = ItemKind.SINGLE if len(reports) == 1 else ItemKind.COMBINED
    if kind == ItemKind.COMBINED and not (title.strip() and text.strip()):
        raise ValidationError({"title": _("综合信息请填写标题和正文。")})
    single = reports[0]
    item = BulletinItem.objects.create(
        committee=locked.committee,
        bulletin=locked,
        position=(locked.items.aggregate(n=Max("position"))["n"] or 0) + 1,
        kind=kind,
        title=title.strip() or single.title,
        text=text.strip()
        or "\n\n".join(p for p in (single.situation, single.analysis, single.suggestion) if p),
    )
    item.reports.set(reports)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=locked, after={"item": item.pk})
    return item


@transaction.atomic
def bulletin_remove_item(*, actor, item):
    locked = Bulletin.objects.select_for_update().get(pk=item.bulletin_id)
    _require(actor, "opinions.compose_bulletin", locked)
    if locked.state != BulletinState.DRAFT:
        raise ValidationError(_("已印发的刊物不能再修改。"))
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=locked,
        before={"item": item.pk, "title": item.title},
    )
    item.delete()


def bulletin_send(*, actor, bulletin):
    """Mark the issue as sent: its reports are published, credited and, where they came from
    a lower committee, reported back there."""
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        _require(actor, "opinions.compose_bulletin", locked)
        if locked.state != BulletinState.DRAFT:
            raise InvalidTransition(_("该期刊物已印发。"))
        items = list(locked.items.prefetch_related("reports"))
        if not items:
            raise ValidationError(_("刊物中还没有信息。"))
        locked.state, locked.sent_at = BulletinState.SENT, timezone.now()
        locked.save(update_fields=["state", "sent_at"])
        for item in items:
            for report in item.reports.all():
                report = REPORT_WORKFLOW.apply(
                    obj=report, action="publish", actor=actor, note=str(locked)
                )
                _credit(
                    report,
                    "published",
                    occurred_on=locked.issued_on,
                    actor=actor,
                    level=locked.committee.level,
                )
                if report.origin_id:
                    kind = (
                        AdoptionKind.COMBINED
                        if item.kind == ItemKind.COMBINED
                        else AdoptionKind.PUBLISHED
                    )
                    _record_upstream(report, kind, actor, evidence=str(locked))
                _tell(_submitter_users(report), report, _("您的信息已编入%(b)s") % {"b": locked})
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=locked, after={"state": locked.state}
        )
        return locked


@transaction.atomic
def item_transfer(*, actor, item, units):
    """Send an item of a sent bulletin to departments for handling (转办)."""
    bulletin = Bulletin.objects.select_for_update().get(pk=item.bulletin_id)
    _require(actor, "opinions.compose_bulletin", bulletin)
    if bulletin.state != BulletinState.SENT:
        raise InvalidTransition(_("刊物印发后才能转办。"))
    if not units:
        raise ValidationError({"units": _("请选择转办单位。")})
    if any(unit.committee_id != item.committee_id for unit in units):
        raise ValidationError({"units": _("请选择本会的单位。")})
    created = []
    for unit in units:
        handling, made = ItemHandling.objects.get_or_create(
            committee=item.committee, item=item, unit=unit
        )
        if made:
            created.append(handling)
            users = role_holders(role=Role.UNIT, handling_unit=unit)
            report = item.reports.first()
            if report is not None:
                _tell(users, report, _("社情民意信息转办:%(t)s") % {"t": item.title})
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=bulletin,
        after={"transfer": [h.pk for h in created]},
    )
    return created


@transaction.atomic
def handling_answer(*, actor, handling, answer):
    locked = ItemHandling.objects.select_for_update().get(pk=handling.pk)
    role = getattr(actor, "active_role", None)
    if not (
        actor.has_perm("opinions.compose_bulletin")
        or (role and role.handling_unit_id == locked.unit_id)
    ):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    if locked.state == HandlingState.DONE:
        raise InvalidTransition(_("该事项已办理完毕。"))
    if not answer.strip():
        raise ValidationError({"answer": _("请填写办理情况。")})
    locked.state, locked.answer, locked.answered_on = HandlingState.DONE, answer.strip(), _today()
    locked.save(update_fields=["state", "answer", "answered_on"])
    report = locked.item.reports.first()
    if report is not None:
        _tell(
            _opinion_staff(locked.committee),
            report,
            _("%(u)s已办理社情民意信息:%(t)s") % {"u": locked.unit.name, "t": locked.item.title},
        )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked.item.bulletin,
        after={"handling": locked.pk},
    )
    return locked


# Forward upward and adoption ----------------------------------------------------------------


def _root(report):
    return report.origin if report.origin_id else report


def report_forward(*, actor, report, to_committee=None, to_level="", to_name=""):
    """Send a report upward. To a committee on the platform (an ancestor) it arrives in that
    committee's inbox as a new report linked to the origin; otherwise it is recorded by name."""
    with transaction.atomic():
        locked = OpinionReport.objects.select_for_update().get(pk=report.pk)
        _require(actor, "opinions.forward", locked)
        if locked.state not in (
            ReportState.USED,
            ReportState.APPROVED,
            ReportState.SIGNED_OFF,
            ReportState.PUBLISHED,
        ):
            raise InvalidTransition(_("只有已采用的信息可以报送上级。"))
        if to_committee is not None:
            if to_committee.pk not in {c.pk for c in locked.committee.ancestors()}:
                raise ValidationError({"to_committee": _("只能报送给上级政协。")})
            if Forwarding.objects.filter(report=locked, to_committee=to_committee).exists():
                raise ValidationError(
                    {"to_committee": _("该信息已报送%(c)s。") % {"c": to_committee}}
                )
            to_level, to_name = to_committee.level, to_committee.name
        elif to_level not in (Level.CITY, Level.PROVINCE, Level.NATIONAL) or not to_name.strip():
            raise ValidationError({"to_name": _("请选择上级政协,或填写平台外的报送单位及其级别。")})
        root = _root(locked)
        received = None
        if to_committee is not None:
            received = OpinionReport.objects.create(
                committee=to_committee,
                source_kind=SourceKind.FORWARDED,
                submitting_body=locked.committee.name,
                source_note=_("%(c)s报送") % {"c": locked.committee.name},
                state=ReportState.SUBMITTED,
                submitted_at=timezone.now(),
                origin=root,
                created_by=actor,
                **{f: getattr(locked, f) for f in CONTENT_FIELDS},
            )
            REPORT_WORKFLOW.history_model.objects.create(
                subject=received,
                from_state="",
                action="received",
                to_state=received.state,
                actor=actor,
                committee=to_committee,
                note=locked.committee.name,
            )
            _tell(
                _opinion_staff(to_committee),
                received,
                _("收到下级报送的社情民意信息:%(t)s") % {"t": received.title},
            )
        forwarding = Forwarding.objects.create(
            committee=locked.committee,
            report=locked,
            to_committee=to_committee,
            to_level=to_level,
            to_name=to_name.strip(),
            forwarded_on=_today(),
            received=received,
            created_by=actor,
        )
        REPORT_WORKFLOW.note(obj=locked, action="forward", actor=actor, note=to_name)
        if locked.origin_id:
            _record_upstream(locked, AdoptionKind.FORWARDED, actor, evidence=to_name)
        else:
            _credit(locked, "forwarded", occurred_on=_today(), actor=actor)
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=locked, after={"forwarded_to": to_name}
        )
        return forwarding


def _record_upstream(copy, kind, actor, evidence=""):
    """A higher committee's decision on its received copy flows back to the origin report."""
    root = OpinionReport._base_manager.select_related("committee").get(pk=copy.origin_id)
    level = copy.committee.level
    adoption = Adoption.objects.create(
        committee_id=root.committee_id,
        report=root,
        level=level,
        by_committee=copy.committee,
        by_name=copy.committee.name,
        kind=kind,
        decided_on=_today(),
        evidence=evidence,
        recorded_by=actor,
    )
    if (
        kind in (AdoptionKind.ADOPTED, AdoptionKind.COMBINED, AdoptionKind.PUBLISHED)
        and level in LEVEL_SUB_KIND
    ):
        already = Adoption.objects.filter(
            report=root,
            level=level,
            kind__in=(AdoptionKind.ADOPTED, AdoptionKind.COMBINED, AdoptionKind.PUBLISHED),
        ).exclude(pk=adoption.pk)
        if not already.exists():
            _credit(root, LEVEL_SUB_KIND[level], occurred_on=_today(), actor=actor, level=level)
    users = _submitter_users(root) + _opinion_staff(root.committee)
    _tell(
        users,
        root,
        _("%(c)s:%(k)s《%(t)s》")
        % {"c": copy.committee.name, "k": adoption.get_kind_display(), "t": root.title},
    )
    return adoption


@transaction.atomic
def adoption_record(*, actor, report, level, by_name, kind, decided_on, evidence):
    """Adoption by a committee that is not on the platform, recorded by hand with evidence."""
    _require(actor, "opinions.record_adoption", report)
    errors = {}
    if level not in LEVEL_SUB_KIND:
        errors["level"] = _("请选择采用单位的级别。")
    if not by_name.strip():
        errors["by_name"] = _("请填写采用单位。")
    if kind not in AdoptionKind.values:
        errors["kind"] = _("请选择采用方式。")
    if decided_on is None or decided_on > _today():
        errors["decided_on"] = _("请填写采用日期(不晚于今天)。")
    if not evidence.strip():
        errors["evidence"] = _("请填写采用依据(如刊物期号、采用通知)。")
    if errors:
        raise ValidationError(errors)
    if report.state not in (
        ReportState.USED,
        ReportState.APPROVED,
        ReportState.SIGNED_OFF,
        ReportState.PUBLISHED,
    ):
        raise InvalidTransition(_("只有已采用的信息可以登记上级采用情况。"))
    adoption = Adoption.objects.create(
        committee=report.committee,
        report=report,
        level=level,
        by_name=by_name.strip(),
        kind=kind,
        decided_on=decided_on,
        evidence=evidence.strip(),
        recorded_by=actor,
    )
    if kind != AdoptionKind.FORWARDED:
        _credit(report, LEVEL_SUB_KIND[level], occurred_on=decided_on, actor=actor, level=level)
    REPORT_WORKFLOW.note(
        obj=report, action="adoption", actor=actor, note=f"{by_name} {adoption.get_kind_display()}"
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=report, after={"adoption": adoption.pk}
    )
    _tell(_submitter_users(report), report, _("您的信息被%(c)s采用") % {"c": by_name})
    return adoption


def instruction_add(*, actor, report, **fields):
    """A leader's instruction on a report: the shared model, plus the ledger credit."""
    from zhengxie.core.followup import instruction_add as add

    with transaction.atomic():
        instruction = add(target=report, actor=actor, **fields)
        _credit(
            report,
            "instructed",
            occurred_on=instruction.given_on,
            actor=actor,
            level=instruction.level,
        )
        _tell(_submitter_users(report), report, _("您的信息获领导批示:%(t)s") % {"t": report.title})
        return instruction
