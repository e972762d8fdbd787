"""Leader instructions (批示) and recommendations followed until closed (跟踪问效).

Both attach to any record of the committee (a consultation outcome, a report, an opinion letter)
through a generic relation. A recommendation moves through ``WORKFLOW`` below:

    open ──answer──▶ answered ──adopt──▶ adopted ──implement──▶ implemented
                         └──reject──▶ not_adopted
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengxie.core.audit import audit_record, snapshot
from zhengxie.core.models import (
    Attachment,
    AuditAction,
    Instruction,
    Level,
    Recommendation,
    RecommendationHistory,
)
from zhengxie.core.models import RecommendationState as S
from zhengxie.core.workflow import Transition, Workflow

WORKFLOW = Workflow(
    model=Recommendation,
    history_model=RecommendationHistory,
    transitions=[
        Transition(
            S.OPEN, "answer", S.ANSWERED, "core.answer_recommendation", gettext_lazy("登记答复")
        ),
        Transition(
            S.ANSWERED,
            "adopt",
            S.ADOPTED,
            "core.manage_recommendations",
            gettext_lazy("采纳"),
            "success",
        ),
        Transition(
            S.ANSWERED,
            "reject",
            S.NOT_ADOPTED,
            "core.manage_recommendations",
            gettext_lazy("未采纳"),
            "outline-secondary",
        ),
        Transition(
            S.ADOPTED,
            "implement",
            S.IMPLEMENTED,
            "core.manage_recommendations",
            gettext_lazy("登记落实"),
        ),
    ],
)
OPEN_STATES = (S.OPEN, S.ANSWERED, S.ADOPTED)
CLOSED_STATES = (S.NOT_ADOPTED, S.IMPLEMENTED)
# The text an action requires, saved into this field of the recommendation.
ACTION_TEXT_FIELD = {"answer": "answer", "implement": "evidence"}
ACTION_TEXT_REQUIRED = {
    "answer": gettext_lazy("请填写答复内容。"),
    "implement": gettext_lazy("请填写落实情况。"),
}


def _committee_of(record):
    committee_id = getattr(record, "committee_id", None)
    if committee_id is None:
        raise ValueError("a follow-up must attach to a committee-owned record")
    return committee_id


def _check_same_committee(actor, committee_id):
    role = getattr(actor, "active_role", None)
    if role is None or role.committee_id != committee_id:
        raise PermissionDenied(_("只能为本委员会的记录登记。"))


@transaction.atomic
def instruction_add(
    *,
    target,
    leader_name: str,
    leader_title: str,
    level: str,
    given_on: datetime.date,
    text: str,
    scan: Attachment | None = None,
    actor,
) -> Instruction:
    """Record a leader's instruction (批示) on ``target``."""
    if not actor.has_perm("core.add_instruction", target):
        raise PermissionDenied(_("您没有登记领导批示的权限。"))
    committee_id = _committee_of(target)
    _check_same_committee(actor, committee_id)
    errors = {}
    leader_name, leader_title, text = (
        (leader_name or "").strip(),
        (leader_title or "").strip(),
        (text or "").strip(),
    )
    if not leader_name:
        errors["leader_name"] = _("请填写批示领导。")
    elif len(leader_name) > 64:
        errors["leader_name"] = _("批示领导不能超过64个字。")
    if not leader_title:
        errors["leader_title"] = _("请填写领导职务。")
    elif len(leader_title) > 128:
        errors["leader_title"] = _("领导职务不能超过128个字。")
    if level not in Level.values:
        errors["level"] = _("请选择有效的级别。")
    if not isinstance(given_on, datetime.date):
        errors["given_on"] = _("请填写批示日期。")
    elif given_on > timezone.localdate():
        errors["given_on"] = _("批示日期不能晚于今天。")
    if not text:
        errors["text"] = _("请填写批示内容。")
    if scan is not None and scan.committee_id != committee_id:
        errors["scan"] = _("附件无效。")
    if errors:
        raise ValidationError(errors)
    instruction = Instruction.objects.create(
        committee_id=committee_id,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        leader_name=leader_name,
        leader_title=leader_title,
        level=level,
        given_on=given_on,
        text=text,
        scan=scan,
        created_by=actor,
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=instruction, after=snapshot(instruction)
    )
    return instruction


@transaction.atomic
def recommendation_add(
    *,
    source,
    text: str,
    aspect: str = "",
    addressee: str,
    due_on: datetime.date | None = None,
    addressee_unit=None,
    actor,
) -> Recommendation:
    """Add one recommendation to ``source`` (numbered after the existing ones)."""
    if not actor.has_perm("core.manage_recommendations", source):
        raise PermissionDenied(_("您没有管理建议的权限。"))
    committee_id = _committee_of(source)
    _check_same_committee(actor, committee_id)
    text, aspect, addressee = (
        (text or "").strip(),
        (aspect or "").strip(),
        (addressee or "").strip(),
    )
    errors = {}
    if not text:
        errors["text"] = _("请填写建议内容。")
    if len(aspect) > 128:
        errors["aspect"] = _("方面不能超过128个字。")
    if addressee_unit is not None and addressee_unit.committee_id != committee_id:
        errors["addressee_unit"] = _("送达单位无效。")
    if not addressee and addressee_unit is not None:
        addressee = addressee_unit.name
    if not addressee:
        errors["addressee"] = _("请填写送达对象。")
    elif len(addressee) > 128:
        errors["addressee"] = _("送达对象不能超过128个字。")
    if due_on is not None and not isinstance(due_on, datetime.date):
        errors["due_on"] = _("反馈期限无效。")
    if errors:
        raise ValidationError(errors)
    source_type = ContentType.objects.get_for_model(source)
    # Lock the source row so two staff adding at once get distinct numbers.
    type(source)._base_manager.select_for_update().filter(pk=source.pk).exists()
    last = Recommendation.objects.filter(source_type=source_type, source_id=source.pk).aggregate(
        n=Max("position")
    )["n"]
    recommendation = Recommendation.objects.create(
        committee_id=committee_id,
        source_type=source_type,
        source_id=source.pk,
        position=(last or 0) + 1,
        aspect=aspect,
        text=text,
        addressee=addressee,
        addressee_unit=addressee_unit,
        due_on=due_on,
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=recommendation, after=snapshot(recommendation)
    )
    return recommendation


def recommendation_act(*, recommendation, action: str, actor, text: str = "", note: str = ""):
    """Apply a follow-up ``action`` ("answer", "adopt", "reject", "implement").

    "answer" needs the answer text, "implement" what was done; the others take an optional note.
    Raises InvalidTransition (wrong state, e.g. someone acted first), PermissionDenied or
    ValidationError.
    """
    text = (text or "").strip()
    updates = {}
    if action in ACTION_TEXT_FIELD:
        if not text:
            raise ValidationError({"text": str(ACTION_TEXT_REQUIRED[action])})
        updates[ACTION_TEXT_FIELD[action]] = text
    return WORKFLOW.apply(
        obj=recommendation,
        action=action,
        actor=actor,
        note=(note or "").strip(),
        data={"text": text} if text else {},
        updates=updates,
    )


# Reads -------------------------------------------------------------------------------------


def followup_for(record, user=None) -> dict:
    """The instructions and recommendations on ``record`` for the include
    ``templates/core/includes/followup.html`` (``{% include ... with followup=... %}``); with
    ``user``, each recommendation carries the actions they may take and the add forms show."""
    content_type = ContentType.objects.get_for_model(record)
    instructions = list(
        Instruction.objects.filter(target_type=content_type, target_id=record.pk).select_related(
            "scan"
        )
    )
    recommendations = list(
        Recommendation.objects.filter(source_type=content_type, source_id=record.pk)
    )
    for rec in recommendations:
        rec.actions = WORKFLOW.available(rec, user) if user is not None else []
    return {
        "target": f"{record._meta.label_lower}:{record.pk}",
        "instructions": instructions,
        "recommendations": recommendations,
        "open_count": sum(1 for r in recommendations if r.state in OPEN_STATES),
        "can_add_instruction": user is not None and user.has_perm("core.add_instruction", record),
        "can_add_recommendation": user is not None
        and user.has_perm("core.manage_recommendations", record),
        "levels": Level.choices,
    }
