"""Encrypted backups of the database and the uploaded files, taken while the site runs, and
their restoration (`manage.py backup`, `manage.py restore`; docs/operations.md).

A backup is one file: a tar archive holding the database (SQLite's online backup API, which
copies a consistent snapshot while others write; `pg_dump --format=custom` for PostgreSQL),
the uploaded files and a manifest, encrypted in chunks with Fernet under BACKUP_KEY. The key
is not the key of the data it protects: kept apart from the backups, it is what makes a copy
stolen from the backup store unreadable.

Each chunk carries, inside its encryption, the backup's random identity, its number and
whether it is the last: chunks moved, dropped, repeated, cut off at the end or taken from
another backup make the restore fail instead of bringing back a quietly different site.
"""

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
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils import timezone

MAGIC = b"TADAMUN-BACKUP-2\n"
CHUNK = 1024 * 1024
IDENTITY = 16  # random bytes naming one backup, after MAGIC and in every chunk
FRAME = struct.Struct(f">{IDENTITY}sQ?")  # the backup, the chunk's number, is it the last


class BackupError(Exception):
    """The backup cannot be made or read; the message says why."""


def _fernet() -> Fernet:
    if not settings.BACKUP_KEY:
        raise ImproperlyConfigured("BACKUP_KEY is not set (see docs/operations.md).")
    return Fernet(settings.BACKUP_KEY)


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
    """Write an encrypted backup to `output`; `progress(done, total)` follows the encryption."""
    fernet = _fernet()
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
            sealed.write(MAGIC + identity)
            done, number, chunk = 0, 0, plain.read(CHUNK)
            while chunk:
                following = plain.read(CHUNK)
                token = fernet.encrypt(FRAME.pack(identity, number, not following) + chunk)
                sealed.write(struct.pack(">I", len(token)) + token)
                done += len(chunk)
                number, chunk = number + 1, following
                if progress:
                    progress(done, total)
    os.chmod(output, 0o600)
    return output


def _decrypt(source: Path, target: Path) -> None:
    fernet = _fernet()
    with open(source, "rb") as sealed, open(target, "wb") as plain:
        magic = sealed.read(len(MAGIC))
        if magic != MAGIC:
            older = magic.startswith(b"TADAMUN-BACKUP-")
            raise BackupError(
                "This backup was made by an earlier version of Tadamun; restore it with that "
                "version."
                if older
                else "This is not a Tadamun backup."
            )
        identity, number, last = sealed.read(IDENTITY), 0, False
        while header := sealed.read(4):
            if last or len(header) < 4:
                raise BackupError("The backup is damaged: it goes on past its end.")
            (length,) = struct.unpack(">I", header)
            try:
                frame = fernet.decrypt(sealed.read(length))
            except InvalidToken:
                raise BackupError(
                    "The backup cannot be decrypted with this BACKUP_KEY, or it is damaged."
                ) from None
            belongs_to, found, last = FRAME.unpack_from(frame)
            if belongs_to != identity:
                raise BackupError("The backup is damaged: it holds parts of another backup.")
            if found != number:
                raise BackupError("The backup is damaged: its parts are out of order.")
            plain.write(frame[FRAME.size :])
            number += 1
        if not last:
            raise BackupError("The backup is damaged: it was cut short.")


def restore(source: Path) -> dict:
    """Replace the database and the uploaded files with those of the backup at `source`."""
    with tempfile.TemporaryDirectory(prefix="tadamun-restore-") as work:
        folder = Path(work)
        _decrypt(source, folder / "backup.tar")
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
