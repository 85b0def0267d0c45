"""The wrapped keys in the database (one `Seal` row), so every machine's agent sees them."""

import secrets

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from tadamun.vault import keyring
from tadamun.vault.models import Seal


class NotSealed(Exception):
    """No wrapped keys in the database: `manage.py vault_init` makes them."""


def _seal() -> Seal:
    seal = Seal.objects.order_by("pk").first()
    if seal is None:
        raise NotSealed
    return seal


def exists() -> bool:
    return Seal.objects.exists()


def destroyed() -> bool:
    return Seal.objects.filter(destroyed_at__isnull=False).exists()


def wrapped() -> keyring.Wrapped:
    seal = _seal()
    if seal.destroyed_at:
        from tadamun.vault.holder import Destroyed

        raise Destroyed
    return keyring.Wrapped(
        public_key=bytes(seal.public_key),
        salt=bytes(seal.salt),
        wrapped=bytes(seal.wrapped),
        threshold=seal.threshold,
        shares=seal.shares,
        time_cost=seal.argon2_time_cost,
        memory_kib=seal.argon2_memory_kib,
    )


def public_key() -> bytes:
    """The intake's public key, readable while locked (the seam for sealed forms)."""
    return bytes(_seal().public_key)


def seal(bundle: keyring.KeyBundle, *, threshold: int, shares: int) -> list[str]:
    """Store `bundle` wrapped; returns the mnemonics, which are stored nowhere."""
    stored, mnemonics = keyring.wrap(
        bundle,
        threshold=threshold,
        shares=shares,
        time_cost=settings.VAULT_ARGON2_TIME_COST,
        memory_kib=settings.VAULT_ARGON2_MEMORY_KIB,
    )
    with transaction.atomic():
        if Seal.objects.exists():
            raise ValueError("The vault already holds keys.")
        Seal.objects.create(**columns(stored))
    return mnemonics


def columns(stored: keyring.Wrapped) -> dict:
    """The `Seal` row's columns for a wrapping (the reverse of `wrapped()`)."""
    return {
        "public_key": stored.public_key,
        "salt": stored.salt,
        "wrapped": stored.wrapped,
        "threshold": stored.threshold,
        "shares": stored.shares,
        "argon2_time_cost": stored.time_cost,
        "argon2_memory_kib": stored.memory_kib,
    }


def seal_the_keys_in_use(*, threshold: int, shares: int) -> list[str]:
    """Seal the keys this installation uses (its settings' FIELD_ENCRYPTION_KEYS and HASH_KEY,
    so data written before still reads; new ones where it has none)."""
    bundle = keyring.KeyBundle.generate(
        field_keys=settings.FIELD_ENCRYPTION_KEYS, hash_key=settings.HASH_KEY
    )
    return seal(bundle, threshold=threshold, shares=shares)


def destroy(mnemonics: list[str]) -> None:
    """Overwrite, then empty the wrapped keys, once the shares prove they open them.

    The row stays, emptied, so the site knows the keys were destroyed (not merely missing).
    SQLite: `secure_delete` zeroes freed pages and a WAL checkpoint rewrites the database
    file; PostgreSQL keeps the old row version until VACUUM (docs/security.md).
    """
    keyring.unwrap(wrapped(), mnemonics)  # raises WrongSecret
    seal = _seal()
    size = len(bytes(seal.wrapped))
    with transaction.atomic():
        Seal.objects.filter(pk=seal.pk).update(
            wrapped=secrets.token_bytes(size), salt=secrets.token_bytes(keyring.SALT_BYTES)
        )
        Seal.objects.filter(pk=seal.pk).update(wrapped=b"", salt=b"", destroyed_at=timezone.now())
    if connection.in_atomic_block:  # a test's transaction: VACUUM cannot run inside one
        return
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete = ON")
            cursor.execute("VACUUM")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM FULL {Seal._meta.db_table}")
