"""Bearer tokens for the API: issued once, stored only as a SHA-256 digest, valid for 30 days."""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core.audit import audit_record
from zhengxie.core.models import ApiToken, AuditAction

TOKEN_LIFETIME = datetime.timedelta(days=30)
# ``last_used`` is written at most this often, so reads do not each cost a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def issue_token(*, user, role_assignment) -> tuple[str, ApiToken]:
    """Create a token acting in ``role_assignment``; return the raw token (shown once) and row."""
    if role_assignment.user_id != user.pk:
        raise ValueError("role_assignment belongs to another user")
    raw = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        role_assignment=role_assignment,
        digest=token_digest(raw),
        created=now,
        expires=now + TOKEN_LIFETIME,
    )
    audit_record(
        actor=user,
        action=AuditAction.LOGIN,
        obj=user,
        committee=role_assignment.committee,
        after={"role_assignment": role_assignment.pk, "token": token.pk},
        note=_("接口令牌登录"),
    )
    return raw, token


def _role_is_current(role, today):
    return (role.starts_on is None or role.starts_on <= today) and (
        role.ends_on is None or role.ends_on >= today
    )


def user_for_token(raw: str):
    """The active user of a valid token, with ``user.active_role`` set; else None.

    A token is valid while it has not expired, its user is active and its role assignment is
    still current.
    """
    if not raw:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related(
            "user",
            "role_assignment__committee",
            "role_assignment__handling_unit",
            "role_assignment__special_committee",
        )
        .filter(digest=token_digest(raw), expires__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    role = token.role_assignment
    if role.user_id != token.user_id or not _role_is_current(role, timezone.localdate()):
        return None
    if token.last_used is None or now - token.last_used >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
    user = token.user
    user.active_role = role
    user.api_token = token
    return user
