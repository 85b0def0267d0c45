"""Personal data encrypted at rest.

Values are encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under the field-encryption keys,
newest key first, which come from the vault (tadamun.vault: raises vault.Locked while it is
locked). Older keys keep decrypting, so a key is rotated by putting a new one in front and
re-encrypting: `manage.py vault_rotate_keys` once the vault is sealed, `rotate_encryption_keys`
before (docs/security.md).
"""

from cryptography.fernet import InvalidToken, MultiFernet
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from tadamun import vault


def fernet() -> MultiFernet:
    """The keys of the moment; kept with the vault's answer, so dropped with it on lock."""
    try:
        return vault.keys().fernet
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must hold Fernet keys (32 url-safe base64-encoded bytes)."
        ) from error


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "Encrypted data could not be read with any key in FIELD_ENCRYPTION_KEYS."
        ) from error


class EncryptedTextField(models.TextField):
    """A text column stored encrypted. It cannot be searched or filtered on by value."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return None if value is None else encrypt(str(value))


class EncryptedBinaryField(models.BinaryField):
    """Bytes stored encrypted (an uploaded file waiting for a worker). Empty stays empty, so
    a file that was forgotten after use costs nothing to read."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return b""
        try:
            return fernet().decrypt(bytes(value))
        except InvalidToken as error:
            raise ImproperlyConfigured(
                "Encrypted data could not be read with any key in FIELD_ENCRYPTION_KEYS."
            ) from error

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if not value else fernet().encrypt(bytes(value))


def encrypted_fields():
    """Every (model, field name) pair stored encrypted, for key rotation."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, EncryptedTextField | EncryptedBinaryField):
                yield model, field.name
