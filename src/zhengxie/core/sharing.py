"""Explicit sharing of a record with another committee — the only cross-committee access.

Kinds: a record forwarded to a higher committee (报送), and joint work (联合开展) where each
participating committee sees it. Ancestors get aggregate figures only (no Share, no rows);
the copy check gets similarity metadata only (see the search app). A model opts in with
``CommitteeScopedManager(shareable=True)``.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhengxie.core.audit import audit_record
from zhengxie.core.models import AuditAction, Share, ShareKind


def share_record(*, obj, committee, kind: str, actor) -> Share:
    if kind not in ShareKind.values:
        raise ValidationError(_("未知的共享方式。"))
    if committee.pk == obj.committee_id:
        raise ValidationError(_("不能共享给本委员会。"))
    manager = type(obj)._default_manager
    if not getattr(manager, "shareable", False):
        raise PermissionDenied(_("此类记录不能共享。"))
    if kind == ShareKind.FORWARDED and committee.pk not in {
        c.pk for c in obj.committee.ancestors()
    }:
        raise ValidationError(_("只能报送给上级政协。"))
    try:
        with transaction.atomic():
            share = Share.objects.create(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                committee=committee,
                kind=kind,
                created_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(_("该记录已共享给%(c)s。") % {"c": committee}) from exc
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=obj,
        after={"shared_with": committee.pk, "kind": kind},
        note=_("共享给%(c)s") % {"c": committee},
    )
    return share


@dataclass(frozen=True)
class SimilarityHit:
    """What the copy check may show about a similar record of another committee: who, when,
    which number and how much text is shared — its text only if the record is public."""

    committee_name: str
    year: int
    number: str
    shared_ratio: float
    text: str | None


def similarity_view(*, obj, viewer_committee, year, number, shared_ratio, is_public, text):
    same_committee = obj.committee_id == viewer_committee.pk
    return SimilarityHit(
        committee_name=str(obj.committee),
        year=year,
        number=number,
        shared_ratio=round(float(shared_ratio), 4),
        text=text if (same_committee or is_public) else None,
    )
