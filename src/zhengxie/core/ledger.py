"""Writing the duty ledger (履职记录). Every app's services call ``record_duty``; nothing else
writes DutyRecord rows. Points, dossiers and statistics only read them."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengxie.core.duty import DUTY_KINDS, is_valid_duty
from zhengxie.core.models import DutyRecord, DutyRole, Level


def record_duty(
    *,
    membership,
    kind: str,
    occurred_on,
    sub_kind: str = "",
    source=None,
    title: str = "",
    role: str = "",
    order: int | None = None,
    participants: int | None = None,
    half_days=None,
    level: str = "",
    actor=None,
) -> DutyRecord:
    if not is_valid_duty(kind, sub_kind):
        raise ValidationError(
            _("未知的履职事项:%(kind)s %(sub)s") % {"kind": kind, "sub": sub_kind}
        )
    if role and role not in DutyRole.values:
        raise ValidationError(_("未知的履职角色:%(role)s") % {"role": role})
    if level and level not in Level.values:
        raise ValidationError(_("未知的级别:%(level)s") % {"level": level})
    if order is not None and participants is not None and not 1 <= order <= participants:
        raise ValidationError(_("排序应在 1 到参与人数之间。"))
    source_type = ContentType.objects.get_for_model(source) if source is not None else None
    return DutyRecord.objects.create(
        committee_id=membership.committee_id,
        membership=membership,
        kind=kind,
        sub_kind=sub_kind,
        occurred_on=occurred_on,
        half_days=half_days,
        level=level,
        role=role,
        order=order,
        participants=participants,
        source_type=source_type,
        source_id=source.pk if source is not None else None,
        title=(title or (str(source) if source is not None else DUTY_KINDS[kind].label))[:255],
        created_by=actor,
    )


@transaction.atomic
def correct_duty(*, record: DutyRecord, actor, note: str = "") -> DutyRecord:
    """Cancel a ledger row by appending its negative (rows are never edited)."""
    if record.weight < 0:
        raise ValidationError(_("更正记录不能再次更正。"))
    same = DutyRecord.objects.filter(
        membership=record.membership,
        kind=record.kind,
        sub_kind=record.sub_kind,
        source_type=record.source_type,
        source_id=record.source_id,
        occurred_on=record.occurred_on,
    )
    # A record can come back after a correction (e.g. absent → attended → absent): each positive
    # row may be cancelled once, so there can never be more corrections than rows.
    if same.filter(weight__lt=0).count() >= same.filter(weight__gt=0).count():
        raise ValidationError(_("该履职记录已被更正。"))
    return DutyRecord.objects.create(
        committee_id=record.committee_id,
        membership=record.membership,
        kind=record.kind,
        sub_kind=record.sub_kind,
        occurred_on=record.occurred_on,
        half_days=record.half_days,
        level=record.level,
        role=record.role,
        order=record.order,
        participants=record.participants,
        weight=-1,
        source_type=record.source_type,
        source_id=record.source_id,
        title=(note or record.title)[:255],
        created_by=actor,
    )
