"""Login audit: the only receivers in the platform (Django's auth signals are the source).
A sign-in also starts the session's clocks (idle and absolute timeout, core.middleware)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils.translation import gettext as _

from zhengxie.core.audit import audit_record
from zhengxie.core.context import client_ip, current_ip
from zhengxie.core.middleware import start_session_clock
from zhengxie.core.models import AuditAction, User


def _with_ip(request):
    if request is not None:
        current_ip.set(client_ip(request))


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    _with_ip(request)
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user, committee=None)
    if request is not None and hasattr(request, "session"):
        start_session_clock(request.session)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        _with_ip(request)
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user, committee=None)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    _with_ip(request)
    username = str(credentials.get("username", ""))[:150]
    locked = request is not None and getattr(request, "login_locked", False)
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        # The account (when it exists) lets its committee's admins see the failure.
        obj=User.objects.filter(username=username).first(),
        object_type="core.User",
        object_label=username,
        note=_("已锁定") if locked else "",
    )
