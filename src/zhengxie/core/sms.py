"""Sending SMS verification codes: the sender is pluggable (setting ``ZHENGXIE_SMS_SENDER``).

A sender is a class with ``send_code(*, phone, code)``. Production plugs in the provider's
client; ``LogSender`` (development) writes the code to the log at INFO.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

from zhengxie.core.fields import mask_phone

log = logging.getLogger(__name__)


class LogSender:
    """Development sender: logs the code instead of sending it."""

    def send_code(self, *, phone: str, code: str) -> None:
        log.info("SMS verification code for %s: %s", mask_phone(phone), code)


def get_sender():
    return import_string(settings.ZHENGXIE_SMS_SENDER)()


def send_code(*, phone: str, code: str) -> None:
    get_sender().send_code(phone=phone, code=code)
