"""Encrypted backups of the database and the uploaded files, taken while the site runs, and
their restoration (`manage.py backup`, `manage.py restore`; docs/operations.md).

A backup is one file: a tar archive holding the database (SQLite's online backup API, which
copies a consistent snapshot while others write; `pg_dump --format=custom` for PostgreSQL),
the uploaded files and a manifest, encrypted in chunks with Fernet under a key of its own.

- A **sealed** installation (the vault holds its keys: tadamun.vault) makes a random key for
  each backup and seals it to the vault's public key (an X25519 sealed box, as the intake's
  forms): a backup is made while the vault is locked too, and only the unlocked keys open it.
  The wrapped keys (the `Seal` row, useless without k shares) travel in the backup's header,
  so a restore on a new machine needs the shares and nothing else (`restore` asks for them).
  Neither the backup nor the machine's disk holds a key that opens it.
- An installation **not sealed yet** (keys in settings) encrypts under BACKUP_KEY, kept apart
  from the backups, as before the vault.

Each chunk carries, inside its encryption, the backup's random identity (and a digest of its
header), its number and whether it is the last: chunks moved, dropped, repeated, cut off at
the end or taken from another backup make the restore fail instead of bringing back a quietly
different site.
"""

import base64
import hashlib
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tarfile
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import connection
from django.utils import timezone
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox

from tadamun import vault
from tadamun.vault import keyring, store

MAGIC = b"TADAMUN-BACKUP-2\n"  # under BACKUP_KEY: an installation not sealed
SEALED_MAGIC = b"TADAMUN-BACKUP-3\n"  # its own key, sealed to the vault; a header follows
CHUNK = 1024 * 1024
IDENTITY = 16  # random bytes naming one backup, after MAGIC and in every chunk
FRAME = struct.Struct(f">{IDENTITY}sQ?")  # the backup, the chunk's number, is it the last
WRAPPED_FIELDS = ("public_key", "salt", "wrapped", "threshold", "shares", "time_cost", "memory_kib")
MOST_ARGON2_KIB, MOST_ARGON2_PASSES = 4 * 1024 * 1024, 64  # a header asking more is forged


class BackupError(Exception):
    """The backup cannot be made or read; the message says why."""


class NeedsShares(BackupError):
    """A sealed backup, and no unlocked keys here that open it: `threshold` shares do."""

    def __init__(self, threshold: int):
        self.threshold = threshold
        super().__init__(
            f"This backup is sealed to the vault: {threshold} keyholders' shares open it."
        )


def _settings_fernet() -> Fernet:
    if not settings.BACKUP_KEY:
        raise BackupError("BACKUP_KEY is not set (see docs/operations.md).")
    return Fernet(settings.BACKUP_KEY)


def _encode(value) -> str | int:
    return base64.b64encode(value).decode("ascii") if isinstance(value, bytes) else value


def _sealed_header() -> tuple[Fernet, bytes]:
    """A new key for one backup, and the header that carries it sealed to the vault's public
    key beside the wrapped keys (no private key needed: works while locked)."""
    wrapped = store.wrapped()
    key = Fernet.generate_key()
    header = {
        "data_key": _encode(SealedBox(PublicKey(wrapped.public_key)).encrypt(key)),
        "seal": {name: _encode(getattr(wrapped, name)) for name in WRAPPED_FIELDS},
    }
    return Fernet(key), json.dumps(header).encode()


def _bundle_opening(wrapped: keyring.Wrapped, mnemonics) -> keyring.KeyBundle:
    """The keys that open a backup sealed with `wrapped`: from the shares, or the unlocked
    vault of the same seal."""
    if mnemonics:
        try:
            return keyring.unwrap(wrapped, list(mnemonics))
        except keyring.WrongSecret:
            raise BackupError("Refused: these shares do not open this backup.") from None
    try:
        bundle = vault.keys()
    except vault.Locked:
        raise NeedsShares(wrapped.threshold) from None
    if bundle.public_key != wrapped.public_key:  # another vault, or keys still in settings
        raise NeedsShares(wrapped.threshold)
    return bundle


def _open_sealed_header(header: bytes, mnemonics) -> Fernet:
    try:
        fields = json.loads(header)
        seal = fields["seal"]
        wrapped = keyring.Wrapped(
            **{
                name: base64.b64decode(seal[name]) if isinstance(seal[name], str) else seal[name]
                for name in WRAPPED_FIELDS
            }
        )
        sealed_key = base64.b64decode(fields["data_key"])
        if wrapped.memory_kib > MOST_ARGON2_KIB or wrapped.time_cost > MOST_ARGON2_PASSES:
            raise ValueError
    except (ValueError, KeyError, TypeError):
        raise BackupError("The backup is damaged: its header cannot be read.") from None
    bundle = _bundle_opening(wrapped, mnemonics)
    try:
        return Fernet(SealedBox(PrivateKey(bundle.box_secret)).decrypt(sealed_key))
    except (CryptoError, ValueError):
        raise BackupError("The backup is damaged: its key cannot be opened.") from None


def _binding(identity: bytes, header: bytes) -> bytes:
    """What every chunk carries: the backup's identity, and its header's digest if any, so
    chunks from another backup or a header swapped in are refused."""
    if not header:
        return identity
    return hashlib.sha256(identity + header).digest()[:IDENTITY]


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _pg_env() -> tuple[list[str], dict]:
    database = settings.DATABASES["default"]
    arguments = ["--dbname", database["NAME"], "--no-owner"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            arguments += [option, str(database[key])]
    return arguments, {**os.environ, "PGPASSWORD": database.get("PASSWORD") or ""}


def _tool(name: str) -> str:
    """The full path of a PostgreSQL client program (Debian: postgresql-client)."""
    if path := shutil.which(name):
        return path
    raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")


def _dump_database(folder: Path) -> Path:
    if _engine() == "sqlite":
        target = folder / "database.sqlite3"
        with (
            sqlite3.connect(settings.DATABASES["default"]["NAME"]) as source,
            sqlite3.connect(target) as copy,
        ):
            source.backup(copy)  # a consistent snapshot, even while the site writes
        return target
    target = folder / "database.pgdump"
    arguments, env = _pg_env()
    command = [_tool("pg_dump"), "--format=custom", "--file", str(target), *arguments]
    subprocess.run(command, env=env, check=True)  # noqa: S603 - our settings, not user input
    return target


def create(output: Path, progress=None) -> Path:
    """Write an encrypted backup to `output`; `progress(done, total)` follows the encryption.
    Sealed to the vault when it holds the keys (locked or not), else under BACKUP_KEY (keys
    never sealed, or destroyed: then no personal data in it can be read anyway)."""
    if store.exists() and not store.destroyed():
        fernet, header = _sealed_header()
        start = SEALED_MAGIC
    else:
        fernet, header, start = _settings_fernet(), b"", MAGIC
    with tempfile.TemporaryDirectory(prefix="tadamun-backup-") as work:
        folder = Path(work)
        database = _dump_database(folder)
        manifest = {
            "created": timezone.now().isoformat(),
            "engine": _engine(),
            "database": database.name,
        }
        (folder / "manifest.json").write_text(json.dumps(manifest))
        archive = folder / "backup.tar"
        with tarfile.open(archive, "w") as tar:
            tar.add(folder / "manifest.json", "manifest.json")
            tar.add(database, database.name)
            if Path(settings.MEDIA_ROOT).exists():
                tar.add(settings.MEDIA_ROOT, "media")
        total = archive.stat().st_size
        output.parent.mkdir(parents=True, exist_ok=True)
        with open(archive, "rb") as plain, open(output, "wb") as sealed:
            identity = os.urandom(IDENTITY)
            sealed.write(start + identity)
            if header:
                sealed.write(struct.pack(">I", len(header)) + header)
            binding = _binding(identity, header)
            done, number, chunk = 0, 0, plain.read(CHUNK)
            while chunk:
                following = plain.read(CHUNK)
                token = fernet.encrypt(FRAME.pack(binding, number, not following) + chunk)
                sealed.write(struct.pack(">I", len(token)) + token)
                done += len(chunk)
                number, chunk = number + 1, following
                if progress:
                    progress(done, total)
    os.chmod(output, 0o600)
    return output


def _decrypt(source: Path, target: Path, mnemonics=None) -> None:
    with open(source, "rb") as sealed, open(target, "wb") as plain:
        magic = sealed.read(len(MAGIC))
        if magic not in (MAGIC, SEALED_MAGIC):
            older = magic.startswith(b"TADAMUN-BACKUP-")
            raise BackupError(
                "This backup was made by an earlier version of Tadamun; restore it with that "
                "version."
                if older
                else "This is not a Tadamun backup."
            )
        identity, header = sealed.read(IDENTITY), b""
        if magic == SEALED_MAGIC:
            (length,) = struct.unpack(">I", sealed.read(4).rjust(4, b"\0"))
            header = sealed.read(min(length, CHUNK))
            fernet = _open_sealed_header(header, mnemonics)
        else:
            fernet = _settings_fernet()
        binding, number, last = _binding(identity, header), 0, False
        sealed_to_the_vault = bool(header)
        while header := sealed.read(4):
            if last or len(header) < 4:
                raise BackupError("The backup is damaged: it goes on past its end.")
            (length,) = struct.unpack(">I", header)
            try:
                frame = fernet.decrypt(sealed.read(length))
            except InvalidToken:
                raise BackupError(
                    "The backup is damaged: a part of it does not open (from another backup, "
                    "or altered)."
                    if sealed_to_the_vault
                    else "The backup cannot be decrypted with this BACKUP_KEY, or it is damaged."
                ) from None
            belongs_to, found, last = FRAME.unpack_from(frame)
            if belongs_to != binding:
                raise BackupError("The backup is damaged: it holds parts of another backup.")
            if found != number:
                raise BackupError("The backup is damaged: its parts are out of order.")
            plain.write(frame[FRAME.size :])
            number += 1
        if not last:
            raise BackupError("The backup is damaged: it was cut short.")


def restore(source: Path, mnemonics=None) -> dict:
    """Replace the database and the uploaded files with those of the backup at `source`. A
    sealed backup opens with the keyholders' `mnemonics`, or with this vault unlocked; without
    either it raises NeedsShares."""
    with tempfile.TemporaryDirectory(prefix="tadamun-restore-") as work:
        folder = Path(work)
        _decrypt(source, folder / "backup.tar", mnemonics)
        with tarfile.open(folder / "backup.tar") as tar:
            tar.extractall(folder / "content", filter="data")
        content = folder / "content"
        manifest = json.loads((content / "manifest.json").read_text())
        if manifest["engine"] != _engine():
            raise BackupError(
                f"This backup is of a {manifest['engine']} database; this site uses {_engine()}."
            )
        _restore_database(content / manifest["database"])
        media = content / "media"
        if media.exists():
            shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    from tadamun.vault import sealing

    sealing._forget_public_key()  # the seal restored may be another one
    return manifest


def _restore_database(dump: Path) -> None:
    connection.close()
    if _engine() == "sqlite":
        with (
            sqlite3.connect(dump) as source,
            sqlite3.connect(settings.DATABASES["default"]["NAME"]) as target,
        ):
            source.backup(target)
        return
    arguments, env = _pg_env()
    command = [_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction"]
    subprocess.run([*command, *arguments, str(dump)], env=env, check=True)  # noqa: S603
