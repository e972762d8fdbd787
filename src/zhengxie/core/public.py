"""Public accounts: sign-in by mainland mobile number and an SMS verification code.

A code is six digits, kept only as a keyed digest, valid for ``CODE_MINUTES`` and for at most
``MAX_ATTEMPTS`` wrong tries; asking for a new one retires the old ones. Requests for codes are
rate-limited per phone and per IP (the committee's settings), verification per IP. The phone
number itself is never stored: the account is found by ``core.fields.digest(phone)``.
"""

import hmac
import re
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core import ratelimit, sms
from zhengxie.core.audit import audit_record
from zhengxie.core.config import get_settings
from zhengxie.core.fields import digest, mask_phone
from zhengxie.core.models import AuditAction, PhoneCode, Role, RoleAssignment, User

PHONE_RE = re.compile(r"1[3-9]\d{9}")
CODE_MINUTES = 10
MAX_ATTEMPTS = 5
VERIFY_PER_IP_PER_HOUR = 60


class TooManyRequests(ValidationError):
    """Rate limit hit (the page answers 429)."""


def normalise_phone(phone: str) -> str:
    """The 11-digit number, or ValidationError. Accepts spaces, dashes and a +86 prefix."""
    value = re.sub(r"[\s-]", "", phone or "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    if not PHONE_RE.fullmatch(value):
        raise ValidationError(_("请输入正确的11位手机号码。"), code="phone")
    return value


def _code_digest(phone_digest: str, code: str) -> str:
    return digest(f"code:{phone_digest}:{code}")


def request_code(*, phone: str, ip: str | None, committee) -> PhoneCode:
    """Send a new code to ``phone``. Raises ValidationError (bad number) or TooManyRequests."""
    phone = normalise_phone(phone)
    phone_digest = digest(phone)
    limits = get_settings(committee)
    if ip and not ratelimit.hit(f"code-ip:{ip}", limit=limits["codes_per_ip_per_hour"]):
        raise TooManyRequests(_("该网络获取验证码过于频繁,请一小时后再试。"), code="rate")
    if not ratelimit.hit(f"code-phone:{phone_digest}", limit=limits["codes_per_phone_per_hour"]):
        raise TooManyRequests(_("该手机号获取验证码过于频繁,请一小时后再试。"), code="rate")
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    with transaction.atomic():
        PhoneCode.objects.filter(phone_digest=phone_digest, used=False).update(used=True)
        row = PhoneCode.objects.create(
            phone_digest=phone_digest,
            code_digest=_code_digest(phone_digest, code),
            expires=now + timedelta(minutes=CODE_MINUTES),
        )
    sms.send_code(phone=phone, code=code)
    return row


def verify_code(*, phone: str, code: str, ip: str | None, committee) -> User:
    """Check ``code`` for ``phone``; return the public account (created on first sign-in) holding
    a current public role in ``committee``. Raises ValidationError (Chinese) otherwise; a wrong
    code counts against the code's attempts even though the call fails."""
    phone = normalise_phone(phone)
    code = (code or "").strip()
    if ip and not ratelimit.hit(f"verify-ip:{ip}", limit=VERIFY_PER_IP_PER_HOUR):
        raise TooManyRequests(_("验证过于频繁,请一小时后再试。"), code="rate")
    if not re.fullmatch(r"\d{6}", code):
        raise ValidationError(_("请输入6位数字验证码。"), code="code")
    phone_digest = digest(phone)
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(phone_digest=phone_digest, used=False)
            .order_by("-created", "-pk")
            .first()
        )
        if row is None or row.expires <= timezone.now():
            error = ValidationError(_("验证码已失效,请重新获取。"), code="expired")
        elif row.attempts >= MAX_ATTEMPTS:
            error = ValidationError(_("验证码错误次数过多,请重新获取。"), code="attempts")
        elif not hmac.compare_digest(row.code_digest, _code_digest(phone_digest, code)):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = MAX_ATTEMPTS - row.attempts
            error = ValidationError(
                _("验证码不正确,还可尝试 %(left)s 次。") % {"left": left}
                if left
                else _("验证码错误次数过多,请重新获取。"),
                code="wrong",
            )
        else:
            error = None
            row.used = True
            row.save(update_fields=["used"])
            user = _public_user(phone=phone, phone_digest=phone_digest, committee=committee)
    if error is not None:
        raise error
    return user


def _public_user(*, phone, phone_digest, committee) -> User:
    user, created = User.objects.get_or_create(
        username=f"p_{phone_digest[:12]}",
        defaults={
            "phone_digest": phone_digest,
            "display_name": _("公众%(phone)s") % {"phone": mask_phone(phone)},
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        audit_record(
            actor=user,
            action=AuditAction.CREATE,
            obj=user,
            committee=committee,
            note="public sign-up by phone",
        )
    if (
        not RoleAssignment.objects.current()
        .filter(user=user, committee=committee, role=Role.PUBLIC)
        .exists()
    ):
        assignment = RoleAssignment.objects.create(
            user=user, committee=committee, role=Role.PUBLIC, starts_on=timezone.localdate()
        )
        audit_record(actor=user, action=AuditAction.CREATE, obj=assignment, committee=committee)
    return user


def public_role(user, committee):
    return (
        RoleAssignment.objects.current()
        .filter(user=user, committee=committee, role=Role.PUBLIC)
        .order_by("pk")
        .first()
    )
