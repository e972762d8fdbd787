"""Duty claims (履职补录): a member asks for a duty done outside the platform (e.g. a city-level
event) to be credited; staff approve it (one ledger row, with the claim as its source) or
decline it with a reason; the member may withdraw it while it waits.

Every write is here: keyword-only, atomic, permission-checked, with history, audit and
notifications on commit. A claim is all or nothing: a refused attachment leaves no claim.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengxie.core.accounts import role_holders
from zhengxie.core.attachments import attachment_create, check_upload
from zhengxie.core.audit import audit_record, snapshot
from zhengxie.core.duty import DUTY_KINDS
from zhengxie.core.ledger import record_duty
from zhengxie.core.models import AuditAction, Level, Role
from zhengxie.core.notifications import notify
from zhengxie.core.workflow import Transition, Workflow
from zhengxie.organisation.models import Membership, MembershipStatus
from zhengxie.performance.models import ClaimState, DutyClaim, DutyClaimHistory

C = ClaimState
EXCLUDED_KINDS = ("attendance",)  # meeting attendance comes from the meetings app only
MAX_FILES = 5
MAX_HALF_DAYS = Decimal("60")

CLAIM_WORKFLOW = Workflow(
    model=DutyClaim,
    history_model=DutyClaimHistory,
    transitions=[
        Transition(
            C.SUBMITTED, "approve", C.APPROVED, "performance.decide_claim",
            gettext_lazy("认定"), "success",
        ),
        Transition(
            C.SUBMITTED, "decline", C.DECLINED, "performance.decide_claim",
            gettext_lazy("不予认定"), "outline-danger",
        ),
        Transition(
            C.SUBMITTED, "withdraw", C.WITHDRAWN, "performance.withdraw_claim",
            gettext_lazy("撤回"), "outline-secondary",
        ),
    ],
)  # fmt: skip


def claim_kind_choices():
    """(kind, label) of the ledger kinds a member may claim."""
    return [(k.code, k.label) for k in DUTY_KINDS.values() if k.code not in EXCLUDED_KINDS]


def claim_sub_kind_choices():
    """("kind:sub_kind", "kind label·sub label") of every sub-kind of a claimable kind."""
    return [
        (f"{k.code}:{code}", f"{k.label}·{label}")
        for k in DUTY_KINDS.values()
        if k.code not in EXCLUDED_KINDS
        for code, label in k.sub_kinds.items()
    ]


def _today():
    return timezone.localdate()


def claim_url(claim):
    return reverse("performance:claim_detail", args=[claim.pk])


def _clean(membership, data):
    errors = {}
    kind = (data.get("kind") or "").strip()
    sub_kind = (data.get("sub_kind") or "").strip()
    level = (data.get("level") or "").strip()
    title = (data.get("title") or "").strip()
    description = (data.get("description") or "").strip()
    occurred_on = data.get("occurred_on")
    half_days = data.get("half_days")
    known = DUTY_KINDS.get(kind)
    if known is None or kind in EXCLUDED_KINDS:
        errors["kind"] = _("请选择有效的履职事项。")
    elif sub_kind and sub_kind not in known.sub_kinds:
        errors["sub_kind"] = _("“%(sub)s”不是“%(kind)s”的细项。") % {
            "sub": sub_kind,
            "kind": known.label,
        }
    if level and level not in Level.values:
        errors["level"] = _("请选择有效的级别。")
    if not isinstance(occurred_on, datetime.date):
        errors["occurred_on"] = _("请填写履职日期。")
    elif occurred_on > _today():
        errors["occurred_on"] = _("履职日期不能晚于今天。")
    elif occurred_on < membership.joined_on:
        errors["occurred_on"] = _("履职日期不能早于任职日期(%(d)s)。") % {
            "d": membership.joined_on.isoformat()
        }
    if half_days not in (None, ""):
        try:
            half_days = Decimal(str(half_days))
        except (InvalidOperation, ValueError):
            half_days = None
            errors["half_days"] = _("时长应为数字(半天数)。")
        else:
            if not half_days.is_finite() or not 0 < half_days <= MAX_HALF_DAYS:
                errors["half_days"] = _("时长应在 0.5 到 %(max)s 个半天之间。") % {
                    "max": MAX_HALF_DAYS
                }
            elif half_days * 2 != int(half_days * 2):
                errors["half_days"] = _("时长以半天为单位,如 1、1.5、2。")
    else:
        half_days = None
    if not title:
        errors["title"] = _("请填写事项名称。")
    elif len(title) > 200:
        errors["title"] = _("事项名称最多200个字。")
    if not description:
        errors["description"] = _("请填写情况说明。")
    if errors:
        raise ValidationError(errors)
    return {
        "kind": kind,
        "sub_kind": sub_kind,
        "level": level,
        "occurred_on": occurred_on,
        "half_days": half_days,
        "title": title,
        "description": description,
    }


def _check_files(committee, uploads):
    if not uploads:
        raise ValidationError({"files": _("请上传至少一个证明材料。")})
    if len(uploads) > MAX_FILES:
        raise ValidationError({"files": _("证明材料最多%(n)s个。") % {"n": MAX_FILES}})
    problems = []
    for upload in uploads:
        try:
            check_upload(committee=committee, upload=upload)
        except ValidationError as exc:
            problems.extend(exc.messages)
    if problems:
        raise ValidationError({"files": problems})


@transaction.atomic
def claim_create(*, actor, membership: Membership, data: dict, uploads) -> DutyClaim:
    """A member's claim for their own seat, with 1–5 evidence files; staff are told."""
    if not actor.has_perm("performance.create_claim") or membership.person.user_id != actor.pk:
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    if membership.status != MembershipStatus.IN_OFFICE:
        raise ValidationError(_("您当前不是在任委员,不能申请履职补录。"))
    uploads = list(uploads or ())
    errors = {}
    try:
        cleaned = _clean(membership, data)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        _check_files(membership.committee, uploads)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    claim = DutyClaim.objects.create(
        committee=membership.committee,
        membership=membership,
        created_by=actor,
        **cleaned,
    )
    DutyClaimHistory.objects.create(
        subject=claim,
        committee=claim.committee,
        from_state="",
        action="submit",
        to_state=claim.state,
        actor=actor,
    )
    for upload in uploads:
        attachment_create(committee=claim.committee, upload=upload, actor=actor, target=claim)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=claim, after=snapshot(claim))
    staff = role_holders(role=Role.STAFF, committee=claim.committee)
    _tell(
        staff,
        claim,
        _("%(name)s申请履职补录:%(title)s")
        % {"name": membership.person.name, "title": claim.title},
    )
    return claim


def _tell(users, claim, title, body=""):
    url = claim_url(claim)
    committee = claim.committee
    transaction.on_commit(
        lambda: notify(
            recipients=users, title=title, body=body, url=url, kind="performance",
            committee=committee,
        )
    )  # fmt: skip


def _member_user(claim):
    return claim.membership.person.user if claim.membership.person.user_id else None


def claim_act(*, actor, claim: DutyClaim, action: str, note: str = "") -> DutyClaim:
    """认定 (appends the ledger row), 不予认定 (reason required) or 撤回 (the member)."""
    note = (note or "").strip()
    if action == "decline" and not note:
        raise ValidationError({"note": _("请填写不予认定的理由。")})
    if len(note) > 255:
        raise ValidationError({"note": _("审核意见最多255个字。")})
    updates = {"decision_note": note} if action in ("approve", "decline") else None
    with transaction.atomic():
        claim = CLAIM_WORKFLOW.apply(
            obj=claim, action=action, actor=actor, note=note, updates=updates
        )
        if action == "approve":
            record = record_duty(
                membership=claim.membership,
                kind=claim.kind,
                sub_kind=claim.sub_kind,
                occurred_on=claim.occurred_on,
                source=claim,
                title=claim.title,
                half_days=claim.half_days,
                level=claim.level,
                actor=actor,
            )
            claim.record = record
            claim.save(update_fields=["record"])
        if action in ("approve", "decline"):
            title = (
                _("您的履职补录“%(title)s”已认定")
                if action == "approve"
                else _("您的履职补录“%(title)s”未认定")
            ) % {"title": claim.title}
            _tell([_member_user(claim)], claim, title, note)
    return claim
