"""Sign-in lockout: repeated failed sign-ins lock the account, and the address they came from,
for a while (settings ``LOGIN_FAILURES_PER_ACCOUNT``, ``LOGIN_FAILURES_PER_IP``,
``LOGIN_LOCKOUT_MINUTES``).

The counts live in Django's cache, so every web worker shares them (Redis in production). A lock
ends ``LOGIN_LOCKOUT_MINUTES`` after the failure that set it, or when an admin lifts it (the
account page, or ``zhengxie unlock <username>``). Attempts refused while locked are not counted,
so a locked-out attacker cannot keep the lock going for ever.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from zhengxie.core.audit import audit_record
from zhengxie.core.context import client_ip
from zhengxie.core.models import AuditAction, User


def _key(kind, value):
    digest = hashlib.sha256(value.strip().casefold().encode()).hexdigest()[:32]
    return f"zx:lockout:{kind}:{digest}"


def _keys(*, username, ip):
    keys = []
    if username:
        keys.append((_key("user", username), settings.LOGIN_FAILURES_PER_ACCOUNT))
    if ip:
        keys.append((_key("ip", ip), settings.LOGIN_FAILURES_PER_IP))
    return keys


def _timeout():
    return settings.LOGIN_LOCKOUT_MINUTES * 60


def is_locked(*, username=None, ip=None) -> bool:
    """Whether sign-in is refused for this account name or this address."""
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(username=username, ip=ip))


def record_failure(*, username, ip) -> bool:
    """Count one failed sign-in; True when it locks the account or the address."""
    locked = False
    for key, limit in _keys(username=username, ip=ip):
        cache.add(key, 0, timeout=_timeout())
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=_timeout())
            count = 1
        cache.touch(key, timeout=_timeout())
        if count == limit:
            locked = True
    if locked:
        audit_record(
            actor=None,
            action=AuditAction.LOCKOUT,
            obj=User.objects.filter(username=username).first(),
            object_type="core.User",
            object_label=str(username or "")[:150],
            note=_("连续登录失败,锁定 %(minutes)s 分钟(地址 %(ip)s)")
            % {"minutes": settings.LOGIN_LOCKOUT_MINUTES, "ip": ip or "—"},
        )
    return locked


def clear_account(username):
    """A successful sign-in forgets the account's earlier failures (not the address's)."""
    cache.delete(_key("user", username))


def unlock(*, actor, username=None, ip=None, committee=None) -> bool:
    """Lift the lock of an account and/or an address; audited. True when one was locked."""
    was_locked = is_locked(username=username, ip=ip)
    for key, _limit in _keys(username=username, ip=ip):
        cache.delete(key)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="core.User",
        object_label=str(username or ip or "")[:150],
        committee=committee,
        note=_("解除登录锁定"),
        after={"username": username or "", "ip": ip or ""},
    )
    return was_locked


def locked_message():
    return _("登录失败次数过多,已临时锁定,请 %(minutes)s 分钟后再试,或联系管理员解锁。") % {
        "minutes": settings.LOGIN_LOCKOUT_MINUTES
    }


class LockoutModelBackend(ModelBackend):
    """Django's password backend behind the lockout: a locked account or address is refused
    before its password is checked; a wrong password counts a failure. Raising PermissionDenied
    makes ``authenticate`` stop and send ``user_login_failed`` (audited in core.signals).
    ``request.login_locked`` tells the sign-in page and the token endpoint why."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        ip = client_ip(request) if request is not None else None
        if is_locked(username=username, ip=ip):
            if request is not None:
                request.login_locked = True
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None:
            clear_account(username)
        elif username is not None:
            locked_now = record_failure(username=username, ip=ip)
            if locked_now and request is not None:
                request.login_locked = True
        return user

    @staticmethod
    def _username_field():
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
