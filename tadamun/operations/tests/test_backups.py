"""A populated site backed up, changed, then restored: every table as it was."""

import struct
import threading
import time
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from tadamun.operations import backups


def every_table() -> dict:
    """Every row of every table in the database (many-to-many tables included), as plain
    values, sorted."""
    tables = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            tables[table] = sorted(tuple(repr(value) for value in row) for row in cursor)
    return tables


def sealed_chunks(path) -> tuple[bytes, list[bytes]]:
    """A backup's header and its encrypted chunks, each with its length prefix."""
    data = path.read_bytes()
    start = len(backups.MAGIC) + backups.IDENTITY
    magic, rest, chunks = data[:start], data[start:], []
    while rest:
        (length,) = struct.unpack(">I", rest[:4])
        chunks.append(rest[: 4 + length])
        rest = rest[4 + length :]
    return magic, chunks


@pytest.fixture
def backup_key(settings):
    settings.BACKUP_KEY = Fernet.generate_key().decode()
    return settings.BACKUP_KEY


@pytest.mark.django_db(transaction=True)
def test_a_populated_site_comes_back_whole(backup_key, tmp_path, settings):
    from tadamun.demo.loader import load
    from tadamun.petitions.models import Petition, Signature

    load(signers=0.05)
    (tmp_path / "media").mkdir()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "logo.png").write_bytes(b"\x89PNG not really")
    before = every_table()
    output = tmp_path / "site.backup"
    call_command("backup", output=output, stdout=StringIO())
    assert output.read_bytes().startswith(b"TADAMUN-BACKUP-2\n")
    assert b"Idlib" not in output.read_bytes()  # encrypted

    Signature.objects.all().delete()
    Petition.objects.update(title="Defaced")
    (tmp_path / "media" / "logo.png").unlink()
    call_command("restore", str(output), yes=True, stdout=StringIO())
    assert every_table() == before
    assert (tmp_path / "media" / "logo.png").read_bytes() == b"\x89PNG not really"


@pytest.mark.django_db(transaction=True)
def test_a_backup_needs_its_own_key_and_a_confirmation(backup_key, tmp_path, settings):
    output = tmp_path / "site.backup"
    call_command("backup", output=output, stdout=StringIO())
    with pytest.raises(CommandError, match="add --yes"):
        call_command("restore", str(output))
    settings.BACKUP_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("restore", str(output), yes=True)
    (tmp_path / "other").write_bytes(b"hello")
    with pytest.raises(CommandError, match="not a Tadamun backup"):
        call_command("restore", str(tmp_path / "other"), yes=True)


@pytest.mark.django_db(transaction=True)
def test_a_part_of_another_backup_is_refused(backup_key, tmp_path, monkeypatch):
    monkeypatch.setattr(backups, "CHUNK", 16 * 1024)
    first, second = tmp_path / "first.backup", tmp_path / "second.backup"
    call_command("backup", output=first, stdout=StringIO())
    call_command("backup", output=second, stdout=StringIO())
    magic, chunks = sealed_chunks(first)
    _other_magic, other_chunks = sealed_chunks(second)
    first.write_bytes(magic + b"".join([other_chunks[0], *chunks[1:]]))
    with pytest.raises(CommandError, match="another backup"):
        call_command("restore", str(first), yes=True)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda chunks: [chunks[1], chunks[0], *chunks[2:]], id="reordered"),
        pytest.param(lambda chunks: chunks[:-1], id="cut-short"),
        pytest.param(lambda chunks: [*chunks, chunks[-1]], id="repeated-end"),
        pytest.param(lambda chunks: [chunks[0], *chunks[2:]], id="one-dropped"),
    ],
)
def test_a_tampered_backup_is_refused(backup_key, tmp_path, monkeypatch, tamper):
    monkeypatch.setattr(backups, "CHUNK", 16 * 1024)
    output = tmp_path / "site.backup"
    call_command("backup", output=output, stdout=StringIO())
    magic, chunks = sealed_chunks(output)
    assert len(chunks) >= 3
    output.write_bytes(magic + b"".join(tamper(chunks)))
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(output), yes=True)


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_people_sign_is_consistent(backup_key, tmp_path, petition):
    """People go on signing while the backup runs: what comes back is the site as it was at
    one moment, each signature with its count, none half-recorded."""
    from tadamun.petitions import services as petitions
    from tadamun.petitions.models import CountryCount, Petition, Signature

    signed, stop, failures = [], threading.Event(), []

    def keep_signing():
        try:
            while not stop.is_set():
                request = petitions.SignatureRequest(
                    name="Amal", email=f"signer{len(signed)}@example.org", country="FR"
                )
                signed.append(petitions.confirm(petitions.sign(petition, request)).pk)
        except Exception as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)
        finally:
            connection.close()

    def wait_for(count):
        deadline = time.monotonic() + 60
        while len(signed) < count and not failures and time.monotonic() < deadline:
            time.sleep(0.01)

    signer = threading.Thread(target=keep_signing)
    signer.start()
    try:
        wait_for(20)
        output = tmp_path / "site.backup"
        call_command("backup", output=output, stdout=StringIO())
        wait_for(len(signed) + 5)  # and on after it
    finally:
        stop.set()
        signer.join()
    assert not failures
    call_command("restore", str(output), yes=True, stdout=StringIO())

    restored = Signature.objects.confirmed().count()
    assert 20 <= restored < len(signed)
    assert Petition.objects.get().confirmed_count == restored
    assert sum(CountryCount.objects.values_list("count", flat=True)) == restored
