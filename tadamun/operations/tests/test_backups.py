"""A populated site backed up, changed, then restored: every table as it was. A sealed
installation's backups are sealed to the vault: made while locked, opened only with the
keyholders' shares (or the same vault unlocked)."""

import json
import struct
import threading
import time
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from tadamun.operations import backups
from tadamun.vault import holder
from tadamun.vault.tests import conftest as vault_fixtures

# The vault's fixtures: the suite's keys sealed (2 of 3 shares), unlocked or locked.
sealed, locked = vault_fixtures.sealed, vault_fixtures.locked


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
    if data.startswith(backups.SEALED_MAGIC):  # and its header
        start += 4 + struct.unpack(">I", data[start : start + 4])[0]
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


@pytest.fixture(params=["BACKUP_KEY", "sealed to the vault"])
def each_way(request, settings):
    """Each way a backup is encrypted: under BACKUP_KEY (an installation not sealed), or
    sealed to the vault's public key (no BACKUP_KEY)."""
    if request.param == "BACKUP_KEY":
        return request.getfixturevalue("backup_key")
    settings.BACKUP_KEY = ""
    return request.getfixturevalue("sealed")


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
def test_a_part_of_another_backup_is_refused(each_way, tmp_path, monkeypatch):
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
def test_a_tampered_backup_is_refused(each_way, tmp_path, monkeypatch, tamper):
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


@pytest.mark.django_db(transaction=True)
def test_a_sealed_vault_s_backup_is_made_locked_and_opens_only_with_the_shares(
    locked, petition, tmp_path, settings
):
    from tadamun.petitions.models import Petition

    settings.BACKUP_KEY = ""  # a sealed installation has none
    before = every_table()
    output = tmp_path / "site.backup"
    call_command("backup", output=output, stdout=StringIO())  # while locked
    data = output.read_bytes()
    assert data.startswith(backups.SEALED_MAGIC)
    for key in (*settings.FIELD_ENCRYPTION_KEYS, settings.HASH_KEY):
        assert key.encode() not in data
    Petition.objects.update(title="Defaced")

    with pytest.raises(CommandError, match="2 keyholders' shares open it"):
        call_command("restore", str(output), yes=True, stdin=StringIO(""), stdout=StringIO())
    with pytest.raises(CommandError, match="do not open this backup"):
        call_command("restore", str(output), yes=True, stdin=StringIO(locked[0]), stdout=StringIO())
    assert Petition.objects.get().title == "Defaced"
    shares = StringIO("\n".join(locked[1:]))
    call_command("restore", str(output), yes=True, stdin=shares, stdout=StringIO())
    assert every_table() == before


@pytest.mark.django_db(transaction=True)
def test_the_unlocked_vault_that_made_a_backup_restores_it_without_shares(
    sealed, petition, tmp_path
):
    from tadamun.petitions.models import Petition

    output = tmp_path / "site.backup"
    call_command("backup", output=output, stdout=StringIO())
    Petition.objects.update(title="Defaced")
    call_command("restore", str(output), yes=True, stdout=StringIO())
    assert Petition.objects.get().title == petition.title
    holder._memory.lock()
    with pytest.raises(CommandError, match="shares open it"):
        call_command("restore", str(output), yes=True, stdin=StringIO(""), stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_sealed_backup_under_another_or_a_forged_header_is_refused(sealed, tmp_path):
    first, second = tmp_path / "first.backup", tmp_path / "second.backup"
    call_command("backup", output=first, stdout=StringIO())
    call_command("backup", output=second, stdout=StringIO())
    magic, chunks = sealed_chunks(first)
    other_magic, _other_chunks = sealed_chunks(second)
    first.write_bytes(other_magic + b"".join(chunks))  # another backup's identity and key
    with pytest.raises(CommandError, match="another backup"):
        call_command("restore", str(first), yes=True, stdout=StringIO())
    # A header asking Argon2 for 64 GiB would hold the restore (and its machine) hostage.
    start = len(backups.SEALED_MAGIC) + backups.IDENTITY
    header = json.loads(magic[start + 4 :])
    header["seal"]["memory_kib"] = 64 * 1024 * 1024
    forged = json.dumps(header).encode()
    first.write_bytes(magic[:start] + struct.pack(">I", len(forged)) + forged + b"".join(chunks))
    with pytest.raises(CommandError, match="header cannot be read"):
        call_command("restore", str(first), yes=True, stdin=StringIO("x"), stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_once_the_keys_are_destroyed_a_backup_needs_backup_key(sealed, tmp_path, settings):
    """Destroyed keys leave no personal data to protect, and nothing to seal to: the public
    content is backed up under BACKUP_KEY, or the command says it is missing."""
    from tadamun.vault import store

    store.destroy(sealed[:2])
    settings.BACKUP_KEY = ""
    with pytest.raises(CommandError, match="BACKUP_KEY is not set"):
        call_command("backup", output=tmp_path / "site.backup", stdout=StringIO())
    settings.BACKUP_KEY = Fernet.generate_key().decode()
    call_command("backup", output=tmp_path / "site.backup", stdout=StringIO())
    assert (tmp_path / "site.backup").read_bytes().startswith(backups.MAGIC)
