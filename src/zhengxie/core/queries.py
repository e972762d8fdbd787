"""Reads of the core, scoped to the acting user's committee."""

from django.db.models import CharField, Q
from django.db.models.functions import Cast

from zhengxie.core.models import AuditEntry, RoleAssignment


def audit_entries(
    *, committee, action=None, actor=None, object_type=None, since=None, until=None, q=None
):
    """Audit rows of ``committee``: its records, plus sign-ins of people holding a role in it."""
    people = RoleAssignment.objects.filter(committee=committee).values("user_id")
    # Failed sign-ins and lockouts have no actor: they name the account as their object.
    accounts = (
        RoleAssignment.objects.filter(committee=committee)
        .annotate(uid=Cast("user_id", CharField()))
        .values("uid")
    )
    qs = AuditEntry.objects.filter(
        Q(committee=committee)
        | Q(committee__isnull=True, actor_id__in=people)
        | Q(committee__isnull=True, object_type="core.User", object_id__in=accounts)
    ).select_related("actor")
    if action:
        qs = qs.filter(action=action)
    if actor:
        qs = qs.filter(Q(actor__username=actor) | Q(actor_label__contains=actor))
    if object_type:
        qs = qs.filter(object_type=object_type)
    if since:
        qs = qs.filter(created__date__gte=since)
    if until:
        qs = qs.filter(created__date__lte=until)
    if q:
        qs = qs.filter(Q(object_label__contains=q) | Q(note__contains=q))
    return qs.order_by("-created", "-pk")
