"""Login audit: the only receivers in the platform (Django's auth signals are the source)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from zhengxie.core.audit import audit_record
from zhengxie.core.context import client_ip, current_ip
from zhengxie.core.models import AuditAction


def _with_ip(request):
    if request is not None:
        current_ip.set(client_ip(request))


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    _with_ip(request)
    audit_record(actor=user, action=AuditAction.LOGIN, obj=user, committee=None)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        _with_ip(request)
        audit_record(actor=user, action=AuditAction.LOGOUT, obj=user, committee=None)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    _with_ip(request)
    audit_record(
        actor=None,
        action=AuditAction.LOGIN_FAILED,
        object_type="core.User",
        object_label=str(credentials.get("username", ""))[:150],
    )
