"""The seizure test (issue 15; docs/security.md, "The promise"): ten supporters use every
feature of a sealed site, a backup is made, the vault is locked, and then, with only the files
a seized machine holds (the database file and its WAL, or a dump of PostgreSQL; `var/` with
its secrets file; the logs; the backup; the uploaded files) and the code, an attacker tries
what the promise forbids:

- decrypt every Fernet token and open every sealed box (and the backup's key) with every key
  found on disk;
- recompute the keyed hashes of 1,000 addresses, the ten supporters' among them, with every
  key found on disk, and look for them among the hashes stored;
- look through every byte for the supporters' addresses, names, answers and letters (UTF-8,
  UTF-16, JSON-escaped, base64), and for plain hashes of their addresses.

Nothing is found. The same attack with the real keys (which only the keyholders' shares give
back) finds every supporter: the search itself is shown to work.

The keyed hashes of the addresses are in the database by design (the index that recognises a
returning supporter): without the hash key they name nobody, which the recomputation checks.
"""

import base64
import contextlib
import hashlib
import hmac
import io
import json
import logging
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from tadamun import vault
from tadamun.api.models import WebhookDelivery
from tadamun.coalition import services as coalition
from tadamun.core import intake
from tadamun.core.models import SealedSubmission
from tadamun.events import rsvps
from tadamun.events import services as events
from tadamun.events.forms import ProposeEventForm
from tadamun.events.models import Event
from tadamun.events.tests import conftest as event_fixtures
from tadamun.letters import services as letters
from tadamun.letters.tests import conftest as letters_fixtures
from tadamun.mailings import services as mailings
from tadamun.mailings.models import Mailing, Recipient
from tadamun.operations import backups
from tadamun.petitions import services as petitions
from tadamun.petitions import submissions
from tadamun.petitions.models import Signature, SignatureIntake
from tadamun.questions.models import Question
from tadamun.supporters import services as supporters
from tadamun.supporters.models import LinkRequest, Supporter
from tadamun.supporters.tests import test_erasure_leaves_no_trace as erasure
from tadamun.vault import holder
from tadamun.vault.terminal import remove_keys_from

# Fixtures shared with the erasure test: a partner with a webhook, a day of action, officials.
partner, day = erasure.partner, erasure.day
proposal = event_fixtures.proposal
ministers = letters_fixtures.ministers
make_letter_campaign = letters_fixtures.make_letter_campaign


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    shows_first_name: bool  # a first name shown on the petition is public by their choice

    @property
    def surname(self) -> str:
        return self.name.split(" ", 1)[1]

    @property
    def phone(self) -> str:
        return "+4930" + hashlib.sha256(self.email.encode()).hexdigest()[:7].translate(HEX_DIGITS)


HEX_DIGITS = str.maketrans("abcdef", "123456")
PEOPLE = [
    Person("Zuleika.Quennell@Example.ORG", "Zuleika Quennell-Vasquez", True),
    Person("orwendolyn.blackthorne@mail.example", "Orwendolyn Blackthorne", False),
    Person("rania.qassab@example.net", "رانيا القصّاب", False),
    Person("Hamoudi.Tarrazi@example.com", "Hamoudi Tarrazi", True),
    Person("ysoldetta.fenwright@example.org", "Ysoldetta Fenwright", False),
    Person("kerem.ozdilekli@example.org", "Kerem Özdilekli", True),
    Person("lubna.zarkawi@example.org", "لبنى زرقاوي", False),
    Person("thaddeus.mwangi-orr@example.org", "Thaddeus Mwangi-Orr", False),
    Person("ines.valcourt-brisebois@example.fr", "Inès Valcourt-Brisebois", True),
    Person("sameeruddin.haddadine@example.de", "Sameeruddin Haddadine", False),
]
FERNET_TOKEN = re.compile(rb"gAAAAA[A-Za-z0-9_\-]+=*")
FERNET_KEY = re.compile(rb"(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]{43}=(?![A-Za-z0-9_=\-])")
SEALED_BOX = re.compile(rb"box1:([A-Za-z0-9+/]+=*)")
HEX_HASH = re.compile(rb"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
SECRET_LINE = re.compile(rb"^\s*([A-Z_]+)\s*=\s*'?([^'\n]*)'?\s*$", re.MULTILINE)


def addresses() -> list[str]:
    """1,000 addresses an attacker suspects, the ten supporters' among them."""
    guesses = [
        f"suspect{number}@example.{('org', 'net', 'com')[number % 3]}" for number in range(990)
    ]
    return sorted(guesses + [person.email for person in PEOPLE])


def forms_of(trace: str) -> set[bytes]:
    """The byte forms a trace may take in a file, as typed and in lower case: UTF-8, UTF-16
    either way, JSON's escapes, and base64 at each of the three alignments. (Matched exactly:
    a search ignoring case would meet short names by chance in megabytes of base64.)"""
    forms = set()
    for text in {trace, trace.lower()}:
        raw = text.encode()
        forms |= {raw, text.encode("utf-16-le"), text.encode("utf-16-be")}
        forms.add(json.dumps(text)[1:-1].encode())
        for shift in range(3):
            encoded = base64.b64encode(b"\0" * shift + raw)
            forms.add(encoded[(shift * 8 + 5) // 6 : -4])  # the bytes only the trace decides
    return {form for form in forms if len(form) >= 6}


def traces() -> dict[str, set[bytes]]:
    """What must not be found, each with its forms: the addresses, full names, surnames, the
    first names not shown, answers, and plain hashes of the addresses (as written)."""
    found = {}
    for person in PEOPLE:
        texts = [person.email, person.name, person.surname]
        if not person.shows_first_name:
            texts.append(person.name.split(" ")[0])
        found |= {text: forms_of(text) for text in texts}
        found[person.phone] = {person.phone.encode()}
        normalised = person.email.strip().lower().encode()
        for name in ("md5", "sha1", "sha256"):
            digest = hashlib.new(name, normalised).hexdigest()
            found[digest] = {digest.encode()}
    return found


TRACES = traces()


def found_in(where: str, data: bytes) -> list[str]:
    return [
        f"{where}: {trace!r}"
        for trace, forms in TRACES.items()
        if any(form in data for form in forms)
    ]


@dataclass
class Keys:
    """What an attacker tries: Fernet keys, hash keys, X25519 private keys."""

    fernet: set[bytes] = field(default_factory=set)
    hashing: set[str] = field(default_factory=set)
    box: set[bytes] = field(default_factory=set)

    @classmethod
    def of(cls, bundle) -> "Keys":
        return cls(
            fernet={key.encode() for key in bundle.field_keys},
            hashing={bundle.hash_key},
            box={bundle.box_secret},
        )


def keys_on_disk(files: dict[str, bytes]) -> Keys:
    """Every value of every secrets-like line, every string shaped like a Fernet key, every
    32 bytes those decode to, and the wrapped keys' row itself, tried as every kind of key;
    and a key anyone can write (all zeros)."""
    keys = Keys(box={bytes(32)})
    strings: set[bytes] = set()
    for data in files.values():
        strings |= {value for _name, value in SECRET_LINE.findall(data) if value}
        strings |= set(FERNET_KEY.findall(data))
    for value in strings:
        keys.hashing.add(value.decode(errors="replace"))
        with contextlib.suppress(ValueError):
            Fernet(value)
            keys.fernet.add(value)
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            with contextlib.suppress(ValueError):
                raw = decode(value + b"=" * (-len(value) % 4))
                if len(raw) == 32:
                    keys.box.add(raw)
                    keys.fernet.add(base64.urlsafe_b64encode(raw))
    for public_key, salt, wrapped in seal_rows(files):
        for raw in (public_key, salt, wrapped[:32], wrapped[-32:]):
            keys.hashing.add(raw.hex())
            if len(raw) == 32:
                keys.box.add(raw)
                keys.fernet.add(base64.urlsafe_b64encode(raw))
    return keys


def seal_rows(files: dict[str, bytes]) -> list[tuple[bytes, bytes, bytes]]:
    """The wrapped keys as stored (read from the seized database and its WAL, or a dump)."""
    rows = []
    for name, data in files.items():
        if name.endswith(".sqlite3") and data.startswith(b"SQLite format 3"):
            with tempfile.TemporaryDirectory() as folder:
                copy = Path(folder) / "database.sqlite3"
                copy.write_bytes(data)
                if f"{name}-wal" in files:
                    Path(f"{copy}-wal").write_bytes(files[f"{name}-wal"])
                with contextlib.closing(sqlite3.connect(copy)) as database:
                    rows += database.execute("SELECT public_key, salt, wrapped FROM vault_seal")
        for hexes in re.findall(rb"\\\\x([0-9a-f]+)\t\\\\x([0-9a-f]+)\t\\\\x([0-9a-f]+)", data):
            rows.append(tuple(bytes.fromhex(part.decode()) for part in hexes))
    return [tuple(bytes(part) for part in row) for row in rows]


def opened(data: bytes, keys: Keys, depth: int = 0) -> list[bytes]:
    """Every plaintext the keys give out of `data`: Fernet tokens, sealed boxes, a backup
    (its key, its chunks, and what its archive holds), recursively."""
    if depth > 3:
        return []
    plain = []
    for token in set(FERNET_TOKEN.findall(data)):
        for key in keys.fernet:
            with contextlib.suppress(InvalidToken, ValueError):
                plain.append(Fernet(key).decrypt(token))
                break
    for boxed in set(SEALED_BOX.findall(data)):
        for secret in keys.box:
            with contextlib.suppress(CryptoError, ValueError):
                plain.append(SealedBox(PrivateKey(secret)).decrypt(base64.b64decode(boxed)))
                break
    if data.startswith(backups.SEALED_MAGIC):
        plain += opened_backup(data, keys)
    return plain + [inner for value in plain for inner in opened(value, keys, depth + 1)]


def opened_backup(data: bytes, keys: Keys) -> list[bytes]:
    start = len(backups.SEALED_MAGIC) + backups.IDENTITY
    length = int.from_bytes(data[start : start + 4], "big")
    header = json.loads(data[start + 4 : start + 4 + length])
    sealed_key = base64.b64decode(header["data_key"])
    for secret in keys.box:
        with contextlib.suppress(CryptoError, ValueError):
            key = SealedBox(PrivateKey(secret)).decrypt(sealed_key)
            frames = [Fernet(key).decrypt(token) for token in FERNET_TOKEN.findall(data)]
            archive = b"".join(frame[backups.FRAME.size :] for frame in frames)
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                members = [tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()]
            return [archive, *map(readable_dump, members)]
    return []


def readable_dump(member: bytes) -> bytes:
    """A PostgreSQL backup's dump (pg_dump's compressed custom format) as SQL text."""
    if not member.startswith(b"PGDMP"):
        return member
    with tempfile.NamedTemporaryFile(suffix=".pgdump") as dump:
        dump.write(member)
        dump.flush()
        command = [backups._tool("pg_restore"), "--file=-", dump.name]
        return subprocess.run(command, check=True, capture_output=True).stdout  # noqa: S603


def stored_hashes(files: dict[str, bytes]) -> set[str]:
    return {match.decode() for data in files.values() for match in HEX_HASH.findall(data)}


def recognised(files: dict[str, bytes], keys: Keys, plain: list[bytes]) -> set[str]:
    """The suspected addresses whose keyed hash, under any of the keys, is stored."""
    stored = stored_hashes(files) | stored_hashes({"plain": b"\n".join(plain)})
    found = set()
    for hash_key in keys.hashing:
        key = f"{hash_key}:email".encode()
        for address in addresses():
            digest = hmac.new(key, address.strip().lower().encode(), hashlib.sha256).hexdigest()
            if digest in stored:
                found.add(address)
    return found


def attack(files: dict[str, bytes], keys: Keys) -> tuple[list[str], set[str]]:
    """What the promise forbids, tried with `keys`: the traces found in everything the keys
    decrypt, and the suspected addresses recognised by their hash."""
    found, plain = [], []
    for name, data in files.items():
        decrypted = opened(data, keys)
        plain += decrypted
        found += found_in(f"{name} (decrypted)", b"\n".join(decrypted))
    return found, recognised(files, keys, plain)


def run_queue():
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def use_every_feature(client, petition, partner, day, proposal, make_letter_campaign, staff):
    """Each of the ten does everything a supporter can, through the services the pages call,
    with the tasks on the database queue as in production."""
    why = Question.objects.create(petition=petition, key="why", title="Why do you sign?")
    for person in PEOPLE:
        submissions.accept(  # the sign form: sealed in the intake, recorded by a worker
            petition,
            petitions.SignatureRequest(
                name=person.name, email=person.email, country="SY", comment=f"I am {person.name}",
                show_name=person.shows_first_name, wants_updates=True, shares_with_partner=True,
                source="lyon", answers={str(why.pk): f"Because I am {person.name}"},
            ),
        )  # fmt: skip
    run_queue()
    for signature in Signature.objects.all():
        petitions.confirm(signature)
    run_queue()

    organiser = PEOPLE[0]
    form = ProposeEventForm(
        proposal(capacity="50", organiser_name=organiser.name, organiser_email=organiser.email),
        day=day,
    )
    assert form.is_valid(), form.errors
    event = events.propose(day, form.proposal("en"))
    events.confirm(event)
    events.moderate(Event.objects.filter(pk=event.pk), approve=True)
    bring = Question.objects.create(event=event, key="bring", title="What will you bring?")
    letter_campaign = make_letter_campaign()
    phone = Question.objects.create(letter_campaign=letter_campaign, key="phone", kind="phone")
    for number, person in enumerate(PEOPLE):
        rsvps.confirm(
            rsvps.answer(
                event,
                rsvps.RsvpRequest(
                    name=person.name,
                    email=person.email,
                    answers={str(bring.pk): f"Tea, from {person.name}"},
                ),
            )
        )
        letters.confirm(
            letters.write(
                letter_campaign,
                letters.LetterRequest(
                    name=person.name, country="DE", subject="Safe routes", city="Köln",
                    email=person.email, text=f"Dear minister, open the borders. {person.name}",
                    answers={str(phone.pk): person.phone},
                ),
            )
        )  # fmt: skip
        if number < 3:
            endorsement = coalition.submit_endorsement(
                petition.campaign,
                coalition.OrganisationDetails(name=f"Aid group {number}", country="DE", kind="ngo"),
                contact_name=person.name,
                contact_email=person.email,
            )
            coalition.confirm(endorsement)
            coalition.moderate_endorsements(
                type(endorsement).objects.filter(pk=endorsement.pk), approve=True, by=staff
            )
        supporters.request_my_data_link(person.email, "en")
    run_queue()

    mailing = Mailing.objects.create(
        title="The day is coming", summary="Join us", body="Dear {name}, join us.", language="en"
    )
    assert mailings.send_now(mailing)
    run_queue()
    sent = Recipient.objects.filter(mailing=mailing, status=Recipient.Status.SENT)
    assert sent.count() == len(PEOPLE)  # every one of them a subscriber
    assert WebhookDelivery.objects.exists()  # the partner's copies, waiting
    return event, letter_campaign


@pytest.fixture
def logs(tmp_path):
    """Everything every logger writes, at every level, in var/log/ as a server keeps it."""
    path = tmp_path / "var" / "log" / "tadamun.log"
    path.parent.mkdir(parents=True)
    handler = logging.FileHandler(path)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield path
    root.removeHandler(handler)
    root.setLevel(level)
    handler.close()


def seize(tmp_path) -> dict[str, bytes]:
    """A copy of every file the machine holds for the site, taken as it runs (the WAL with it)."""
    seized = tmp_path / "seized"
    shutil.copytree(tmp_path / "var", seized / "var")
    shutil.copytree(django_settings.MEDIA_ROOT, seized / "media")
    if connection.vendor == "sqlite":
        database = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm"):
            if (source := Path(f"{database}{suffix}")).exists():
                shutil.copy(source, seized / f"database.sqlite3{suffix}")
        assert (seized / "database.sqlite3-wal").stat().st_size > 0  # the WAL is read too
    else:
        arguments, env = backups._pg_env()
        dump = [backups._tool("pg_dump"), "--format=plain", "--file", str(seized / "dump.sql")]
        subprocess.run([*dump, *arguments], env=env, check=True)  # noqa: S603 - our settings
    return {
        str(path.relative_to(seized)): path.read_bytes()
        for path in sorted(seized.rglob("*"))
        if path.is_file()
    }


@pytest.mark.django_db(transaction=True)
def test_a_seized_machine_gives_up_no_supporter(
    client,
    settings,
    tmp_path,
    logs,
    sealed,
    petition,
    partner,
    day,
    proposal,
    make_letter_campaign,
    make_staff,
    form_rate,
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media").mkdir()
    form_rate("my-data", network="1000/h")
    # var/secrets.env as `vault_init` leaves it: the keys it held are removed once sealed.
    secrets = tmp_path / "var" / "secrets.env"
    secrets.write_text(
        f"SECRET_KEY='{settings.SECRET_KEY}'\n"
        f"FIELD_ENCRYPTION_KEYS='{','.join(settings.FIELD_ENCRYPTION_KEYS)}'\n"
        f"HASH_KEY='{settings.HASH_KEY}'\nBACKUP_KEY='{Fernet.generate_key().decode()}'\n"
    )
    remove_keys_from(secrets)
    settings.BACKUP_KEY = ""
    real = Keys.of(vault.keys())  # held by the unlocked vault only, never on disk

    event, letter_campaign = use_every_feature(
        client, petition, partner, day, proposal, make_letter_campaign, make_staff()
    )
    assert Supporter.objects.count() == len(PEOPLE)
    assert Signature.objects.confirmed().count() == len(PEOPLE)

    holder._memory.lock()  # lock now: a raid is coming
    for person in PEOPLE[:2]:  # still accepted, sealed, waiting for the keys
        submissions.accept(
            petition,
            petitions.SignatureRequest(name=person.name, email=person.email, country="FR"),
        )
        client.post("/en/my-data/", {"email": person.email})
        # Every other form too: sealed by the one intake (core/intake.py) until unlock.
        request = rsvps.RsvpRequest(name=person.name, email=person.email)
        intake.submit(rsvps.answer, event, request)
        intake.submit(
            letters.write,
            letter_campaign,
            letters.LetterRequest(
                name=person.name, country="DE", subject="Once more", city="Köln",
                email=person.email, text=f"Dear minister, once more. {person.name}",
            ),
        )  # fmt: skip
    assert SignatureIntake.objects.count() == 2 and LinkRequest.objects.count() >= 2
    assert SealedSubmission.objects.count() == 4
    call_command(
        "backup", output=tmp_path / "var" / "backups" / "site.backup", stdout=io.StringIO()
    )  # made while locked, sealed to the vault's public key
    files = seize(tmp_path)

    on_disk = keys_on_disk(files)
    assert on_disk.fernet and on_disk.hashing and on_disk.box  # the attacker has material
    assert [trace for name, data in files.items() for trace in found_in(name, data)] == []
    assert attack(files, on_disk) == ([], set())
    # The cache (Redis may persist it to disk) holds nobody either.
    cached = [
        (str(key).encode(), erasure.as_bytes(value) or b"")
        for key, value in erasure.cache_entries()
    ]
    assert (
        cached
        and [trace for entry in cached for trace in found_in("cache", b"\n".join(entry))] == []
    )
    # The keyed hashes of the addresses are the database's index, and nowhere else.
    real_hashes = {
        hashed.encode() for hashed in Supporter.objects.values_list("email_hash", flat=True)
    }
    assert real_hashes and not [
        name
        for name, data in files.items()
        if not name.startswith(("database.sqlite3", "dump.sql"))
        and any(hashed in data for hashed in real_hashes)
    ]
    assert not [key for key, value in cached if any(h in key + value for h in real_hashes)]

    # The same attack with the real keys finds every supporter: the search works.
    found, recognised_addresses = attack(files, real)
    assert recognised_addresses == {person.email for person in PEOPLE}
    for person in PEOPLE:
        assert any(repr(person.surname) in line for line in found), person.surname
        assert any("backup" in line and repr(person.name) in line for line in found)
