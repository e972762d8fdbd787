"""Personal data at rest: ID and phone numbers are stored encrypted; the keys rotate
(FIELD_ENCRYPTION_KEYS, newest first, then `zhengxie rotate-field-keys`) without losing a value
or a look-up digest (FIELD_DIGEST_KEY stays)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.factories import PersonFactory
from zhengxie.core.fields import _fernet, digest
from zhengxie.core.models import AuditEntry
from zhengxie.organisation.models import Person

ID_NUMBER = "330102197501011234"
PHONE = "13912345678"


@pytest.fixture
def keys(settings):
    def use(*encryption, digest_key="old-key"):
        settings.FIELD_ENCRYPTION_KEYS = list(encryption)
        settings.FIELD_DIGEST_KEY = digest_key
        _fernet.cache_clear()

    yield use
    _fernet.cache_clear()  # recomputed from the keys the settings fixture puts back


def _stored(person):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone FROM organisation_person WHERE id = %s", [person.pk]
        )
        return cursor.fetchone()


def _person(committee):
    return PersonFactory(committee=committee, id_number=ID_NUMBER, phone=PHONE)


def test_id_and_phone_numbers_are_stored_encrypted(committee, unscoped):
    person = _person(committee)
    stored_id, stored_phone = _stored(person)
    assert ID_NUMBER not in stored_id and PHONE not in stored_phone
    assert _fernet().decrypt(stored_id.encode()).decode() == ID_NUMBER
    assert Person.objects.get(pk=person.pk).phone == PHONE


def test_keys_rotate_without_losing_values_or_digests(committee, unscoped, keys):
    keys("old-key")
    person = _person(committee)
    before = digest(ID_NUMBER)

    keys("new-key", "old-key")  # step 1: the new key in front, the old one still there
    assert Person.objects.get(pk=person.pk).id_number == ID_NUMBER
    out = io.StringIO()
    call_command("rotate-field-keys", stdout=out)
    assert "organisation.Person: 1 条" in out.getvalue().splitlines()

    keys("new-key")  # step 2: the old key removed; FIELD_DIGEST_KEY kept as it was
    again = Person.objects.get(pk=person.pk)
    assert (again.id_number, again.phone) == (ID_NUMBER, PHONE)
    assert digest(ID_NUMBER) == before
    stored_id, _phone = _stored(person)
    assert _fernet().decrypt(stored_id.encode()).decode() == ID_NUMBER  # the new key alone
    row = AuditEntry.objects.get(note="加密字段密钥轮换:全部改用最新密钥")
    assert row.after["organisation.Person"] == 1


def test_rotation_stops_before_writing_when_a_key_is_missing(committee, unscoped, keys):
    keys("old-key")
    person = _person(committee)
    stored = _stored(person)
    keys("new-key")  # the old key already gone: its values cannot be re-encrypted
    with pytest.raises(CommandError, match="无法用现有任何密钥解密"):
        call_command("rotate-field-keys")
    assert _stored(person) == stored
    assert not AuditEntry.objects.filter(object_type="core.EncryptedCharField").exists()
    keys("old-key")
    assert Person.objects.get(pk=person.pk).id_number == ID_NUMBER
