"""Changing the vault's secret or its keys without downtime (docs/security.md, "Rotation").

- `rewrap`: k current shares open the seal; the same keys are wrapped under a new secret,
  split into a new threshold of shares. The data keys stay, so the site stays unlocked and
  nothing is re-encrypted; the old shares stop working (the new wrapping replaces the old).
  This is also the recovery for a lost or untrusted keyholder: k remaining holders re-wrap.
- `rotate_field_keys`: a new field-encryption key is put first (the same secret and shares,
  a new wrapping), every encrypted column of every model is re-encrypted under it in batches,
  then the old keys are dropped. Every step can be run again: a bundle holding more than one
  field key is a rotation not finished, and a row already readable with the first key alone
  is left as it is. Values stay readable throughout: the old key decrypts until the last
  row was moved.

The keyed-hash key is not rotated here: see docs/security.md ("Why not the hash key").
"""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import connection, transaction

from tadamun.vault import holder, keyring, store
from tadamun.vault.models import Seal

BATCH = 500
SEALED = b"box1:"  # tadamun.vault.sealing.PREFIX (importing it here would load the models)

Progress = Callable[[str, int, int], None]  # (column, rows done, rows in all)


class SealChanged(Exception):
    """The seal was replaced by someone else while this change was being made: nothing done."""


def _replace(old: keyring.Wrapped, new: keyring.Wrapped) -> None:
    """Store `new` in place of `old`, only if the seal still holds `old` (two keyholders
    re-wrapping at once must not each believe their shares are the ones that work)."""
    with transaction.atomic():
        seal = Seal.objects.select_for_update().order_by("pk").first()
        if seal is None or bytes(seal.wrapped) != old.wrapped or seal.destroyed_at:
            raise SealChanged
        Seal.objects.filter(pk=seal.pk).update(**store.columns(new))


def _cost() -> dict:
    return {
        "time_cost": settings.VAULT_ARGON2_TIME_COST,
        "memory_kib": settings.VAULT_ARGON2_MEMORY_KIB,
    }


def rewrap(mnemonics: list[str], *, threshold: int, shares: int) -> list[str]:
    """Wrap the keys under a new secret; returns the new shares (shown once, stored nowhere).
    Raises keyring.WrongSecret for shares that do not open the vault, ValueError for an
    impossible split."""
    old = store.wrapped()
    bundle = keyring.unwrap(old, mnemonics)
    new, new_mnemonics = keyring.wrap(bundle, threshold=threshold, shares=shares, **_cost())
    _replace(old, new)
    return new_mnemonics


def _store_bundle(mnemonics: list[str], bundle: keyring.KeyBundle) -> None:
    """Wrap `bundle` under the same secret (the keyholders' shares keep working), then have
    this machine's holder (its agent) read it, so new values are written with its first key.

    Every other machine's agent still holds the bundle before: it could not read what is
    written with a new key, and would write with a key about to be dropped (lost once it is).
    So they are ordered to lock (tadamun.vault.everywhere), and keyholders unlock them again."""
    from tadamun.vault.everywhere import order_lock

    old = store.wrapped()
    keyring.unwrap(old, mnemonics)  # the shares open the seal as it is now
    secret = keyring.combine(mnemonics)
    new = keyring.rewrap(bundle, secret, threshold=old.threshold, shares=old.shares, **_cost())
    _replace(old, new)
    order_lock()
    holder.unlock(mnemonics)  # this machine's agent: the new bundle, and the new epoch
    if holder.current() is holder._agent:
        holder._agent._cached = None  # this process asks the agent again
        # Every other agent obeys the lock order within VAULT_LOCK_POLL_SECONDS, and every
        # process keeps the bundle before at most VAULT_CACHE_SECONDS: past both, nothing is
        # written with a key about to be dropped (nor missed by the pass that follows).
        time.sleep(settings.VAULT_LOCK_POLL_SECONDS + settings.VAULT_CACHE_SECONDS)


@dataclass(frozen=True)
class Column:
    table: str
    pk: str
    column: str
    label: str
    binary: bool


def columns() -> Iterator[Column]:
    """Every encrypted column of every model (core.crypto.encrypted_fields: the one list)."""
    from tadamun.core.crypto import EncryptedBinaryField, encrypted_fields

    for model, name in encrypted_fields():
        field = model._meta.get_field(name)
        yield Column(
            table=model._meta.db_table,
            pk=model._meta.pk.column,
            column=field.column,
            label=f"{model._meta.label}.{name}",
            binary=isinstance(field, EncryptedBinaryField),
        )


def _rows(column: Column, after, size: int) -> list[tuple]:
    quote = connection.ops.quote_name
    table, pk, value = quote(column.table), quote(column.pk), quote(column.column)
    where = f"{value} IS NOT NULL" + (f" AND {pk} > %s" if after is not None else "")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {pk}, {value} FROM {table} WHERE {where} ORDER BY {pk} LIMIT %s",  # noqa: S608 - names from the models
            ([after] if after is not None else []) + [size],
        )
        return cursor.fetchall()


def _count(column: Column) -> int:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {quote(column.table)} WHERE {quote(column.column)} IS NOT NULL"  # noqa: S608
        )
        return cursor.fetchone()[0]


def _moved(token: bytes, bundle: keyring.KeyBundle, newest: Fernet) -> bytes | None:
    """The value re-encrypted under the newest key, or None when it already is (or is sealed
    to the intake's public key, tadamun.vault.sealing: no field key involved)."""
    if token.startswith(SEALED):
        return None
    try:
        newest.decrypt(token)
        return None
    except InvalidToken:
        return bundle.fernet.rotate(token)


def reencrypt(column: Column, bundle: keyring.KeyBundle, progress: Progress | None = None) -> int:
    """Re-encrypt one column under the bundle's first key, a batch a transaction; returns how
    many values were moved. A value changed meanwhile by the site is left as the site wrote it
    (with the first key too, once its process has the new bundle)."""
    newest = Fernet(bundle.field_keys[0])
    total, done, moved, after = _count(column), 0, 0, None
    quote = connection.ops.quote_name
    update = (
        f"UPDATE {quote(column.table)} SET {quote(column.column)} = %s "  # noqa: S608
        f"WHERE {quote(column.pk)} = %s AND {quote(column.column)} = %s"
    )
    while rows := _rows(column, after, BATCH):
        changes = []
        for pk, stored in rows:
            raw = bytes(stored) if column.binary else str(stored).encode("ascii")
            if raw and (token := _moved(raw, bundle, newest)) is not None:
                new = token if column.binary else token.decode("ascii")
                changes.append((new, pk, raw if column.binary else stored))
        if changes:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(update, changes)
        moved += len(changes)
        done += len(rows)
        after = rows[-1][0]
        if progress:
            progress(column.label, min(done, total), total)
    if progress and not done:
        progress(column.label, 0, 0)
    return moved


def rotate_field_keys(
    mnemonics: list[str], *, progress: Progress | None = None, keep_old_key: bool = False
) -> dict:
    """The whole rotation, or what is left of one interrupted. Returns counts for the report."""
    bundle = keyring.unwrap(store.wrapped(), mnemonics)
    started = len(bundle.field_keys) == 1
    if started:
        bundle = replace(bundle, field_keys=(Fernet.generate_key().decode(), *bundle.field_keys))
        _store_bundle(mnemonics, bundle)
    moved = {column.label: reencrypt(column, bundle, progress) for column in columns()}
    dropped = 0
    if not keep_old_key:
        dropped = len(bundle.field_keys) - 1
        _store_bundle(mnemonics, replace(bundle, field_keys=bundle.field_keys[:1]))
    return {"started": started, "moved": moved, "dropped": dropped}
