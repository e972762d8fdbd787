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
    key = settings.FIELD_DIGEST_KEY.encode()
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


def encrypted_fields():
    """(model, [field names]) for every model with encrypted fields."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
        if names:
            found.append((model, names))
    return found


class KeyRotationError(Exception):
    pass


def reencrypt_all() -> dict:
    """Rewrite every encrypted value under the newest key (FIELD_ENCRYPTION_KEYS[0]), so older
    keys can then be removed. All or nothing: a value no configured key opens stops the run
    before anything is written. Returns {model label: rows rewritten}."""
    from django.db import transaction
    from django.db.models.functions import Cast
    from django_scopes import scopes_disabled

    from zhengxie.core.audit import audit_record
    from zhengxie.core.models import AuditAction

    fernet = _fernet()
    counts = {}
    with scopes_disabled(), transaction.atomic():
        for model, names in encrypted_fields():
            # The stored ciphertext as text, not decrypted by the field.
            raw = {f"raw_{n}": Cast(n, output_field=models.TextField()) for n in names}
            rows = list(model._base_manager.annotate(**raw).values_list("pk", *raw))
            done = 0
            for pk, *tokens in rows:
                values = {}
                for name, token in zip(names, tokens, strict=True):
                    if not token:
                        continue
                    try:
                        rotated = fernet.rotate(token.encode()).decode()
                    except InvalidToken as exc:
                        raise KeyRotationError(
                            f"{model._meta.label} #{pk} 的 {name} 无法用现有任何密钥解密:"
                            "请把加密它的旧密钥保留在 FIELD_ENCRYPTION_KEYS 中。"
                        ) from exc
                    values[name] = models.Value(rotated, output_field=models.TextField())
                if values:
                    model._base_manager.filter(pk=pk).update(**values)
                    done += 1
            counts[model._meta.label] = done
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="core.EncryptedCharField",
            object_label="FIELD_ENCRYPTION_KEYS",
            note="加密字段密钥轮换:全部改用最新密钥",
            after=counts,
        )
    return counts
