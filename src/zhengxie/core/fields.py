"""Encryption at rest for ID and phone numbers (PIPL): Fernet with rotatable keys."""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet():
    keys = [
        Fernet(base64.urlsafe_b64encode(hashlib.sha256(f"zhengxie-field:{key}".encode()).digest()))
        for key in settings.FIELD_ENCRYPTION_KEYS
    ]
    return MultiFernet(keys)


def digest(value: str) -> str:
    """A keyed digest for exact look-ups (e.g. phone sign-in) without storing the value."""
    key = settings.FIELD_ENCRYPTION_KEYS[0].encode()
    return hmac.new(key, value.strip().encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """Stores Fernet ciphertext; reads back plaintext. Not filterable by value (use a digest)."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        try:
            return _fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            return ""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return _fernet().encrypt(value.encode()).decode()


def mask_phone(value: str) -> str:
    return (
        f"{value[:3]}****{value[-4:]}" if value and len(value) >= 7 else ("****" if value else "")
    )


def mask_id_number(value: str) -> str:
    return (
        f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"
        if value and len(value) > 7
        else ("****" if value else "")
    )
