"""One sealing for every submission kept for a worker: to the vault's public key.

A form's submission is sealed with an X25519 sealed box (PyNaCl) to the public key stored in
the clear beside the wrapped keys (store.public_key), so the web process needs no private key
to accept it: signing keeps working while the vault is locked, and nothing accepted is lost.
Only a process holding the unlocked keys (a worker, after unlock) opens it; while locked,
opening raises vault.Locked and the task waits (health/management/commands/db_worker.py).

An installation not sealed yet (keys in settings) seals to the public half of its settings'
bundle (its private key derived from HASH_KEY): the same path, with no more protection than
its settings' keys give. (Before, that private key was all zeros: rows so sealed still open.)

`SealedTextField` is the column every intake keeps a submission in: it seals on write and
opens on read. A value written before (a Fernet token) still reads.
"""

import base64
import contextlib
import time

from django.conf import settings
from django.db.models.signals import post_delete, post_save
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from tadamun import vault
from tadamun.core.crypto import EncryptedTextField, decrypt
from tadamun.vault.holder import intake_secret
from tadamun.vault.models import Seal

PREFIX = "box1:"
# The key an installation not sealed sealed to before its key was derived from its settings:
# only read (rows waiting across the upgrade), never sealed to again.
LEGACY_SETTINGS_SECRET = bytes(32)

_public = {"key": None, "until": 0.0, "mode": None}


def public_key() -> PublicKey:
    """The key submissions are sealed to; kept a few seconds (one read of the seal at most)."""
    now = time.monotonic()
    if _public["key"] is None or now >= _public["until"] or _public["mode"] != settings.VAULT_MODE:
        from tadamun.vault import holder, store

        if holder.current() is holder._settings or not store.exists():
            raw = holder.keys().public_key
        else:
            raw = store.public_key()
        _public.update(
            key=PublicKey(raw), until=now + settings.VAULT_CACHE_SECONDS, mode=settings.VAULT_MODE
        )
    return _public["key"]


def _forget_public_key(**kwargs) -> None:
    _public["key"] = None


post_save.connect(_forget_public_key, sender=Seal, dispatch_uid="vault-sealing-public")
post_delete.connect(_forget_public_key, sender=Seal, dispatch_uid="vault-sealing-public")


def is_sealed(value: str) -> bool:
    return value.startswith(PREFIX)


def seal(text: str) -> str:
    """`text` sealed to the public key: works locked or unlocked."""
    boxed = SealedBox(public_key()).encrypt(text.encode())
    return PREFIX + base64.b64encode(boxed).decode("ascii")


def unseal(value: str) -> str:
    """The text of a sealed value; raises vault.Locked while the vault is locked."""
    if not is_sealed(value):
        return decrypt(value)  # sealed with the field keys, before this sealing
    boxed = base64.b64decode(value[len(PREFIX) :])
    keys = vault.keys()
    # Then the key an installation used before it was sealed (derived from its hash key,
    # which the vault keeps): what was waiting when `vault_init` ran still opens.
    secrets = [keys.box_secret, intake_secret(keys.hash_key)]
    if settings.VAULT_MODE == "settings":
        secrets.append(LEGACY_SETTINGS_SECRET)
    for secret in secrets:
        with contextlib.suppress(CryptoError):
            return SealedBox(PrivateKey(secret)).decrypt(boxed).decode()
    raise CryptoError("This value was sealed to another key.")


class SealedTextField(EncryptedTextField):
    """A submission kept for a worker: sealed to the vault's public key, so it is written
    while locked; read only with the unlocked keys. Never searched or filtered on."""

    def from_db_value(self, value, expression, connection):
        return None if value is None else unseal(value)

    def get_prep_value(self, value):
        value = super(EncryptedTextField, self).get_prep_value(value)
        return None if value is None else seal(str(value))
