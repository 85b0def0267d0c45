"""A machine's agent unlocked by an already unlocked agent over TLS, with a one-time code
(tadamun/vault/joining.py): real agent processes, real TLS sockets on 127.0.0.1, one database
as on many machines."""

import base64
import hashlib
import io
import re
import secrets
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from nacl.public import PrivateKey, SealedBox

from tadamun import vault
from tadamun.core import crypto
from tadamun.staff.roles import COALITION_ADMIN, MODERATOR
from tadamun.vault import everywhere, holder, joincodes, joining, keyring
from tadamun.vault.agent import Client, Server
from tadamun.vault.models import JoinCode
from tadamun.vault.tests.conftest import cheap_argon2
from tadamun.vault.tests.test_agent import start_agent, wait_until

pytestmark = pytest.mark.django_db(transaction=True)  # the agents read the committed rows
POLL = 0.3


@pytest.fixture
def machines(tmp_path, settings):
    """`machines(name, serve_joins=False)` starts a machine's agent sharing the database."""
    cheap_argon2(settings)
    started = []

    def start(name, serve_joins=False):
        path = tmp_path / f"{name}.sock"
        options = ["--join-listen", "127.0.0.1:0"] if serve_joins else []  # any free port
        with (tmp_path / f"{name}.log").open("w") as log:
            poll = {"VAULT_LOCK_POLL_SECONDS": str(POLL)}
            started.append(start_agent(path, *options, env=poll, log=log))
        assert wait_until(path.exists, seconds=30), (tmp_path / f"{name}.log").read_text()
        return Client(path)

    yield start
    for process in started:
        process.terminate()
        process.wait(10)
    holder._agent._cached = None


def on(settings, machine: Client) -> None:
    """This process behaves as an app process of `machine`."""
    settings.VAULT_MODE, settings.VAULT_SOCKET = "agent", machine.path
    settings.VAULT_CACHE_SECONDS = 0.5
    holder._agent._cached = None


def b64encode(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def join_code(settings, machine: Client) -> str:
    on(settings, machine)
    out = io.StringIO()
    call_command("vault_join_code", stdout=out)
    return re.search(r"^  (.+)$", out.getvalue(), re.MULTILINE).group(1)


def join(settings, machine: Client, code: str) -> None:
    on(settings, machine)
    call_command("vault_unlock", "--join", stdin=io.StringIO(code + "\n"), stdout=io.StringIO())


@pytest.fixture
def serving(machines, seal):
    """Machine A, unlocked with two shares and serving joins."""
    machine = machines("a", serve_joins=True)
    machine.unlock(seal[1][:2])
    return machine


def test_a_code_from_an_unlocked_machine_unlocks_another_whose_agent_serves_the_keys(
    machines, serving, seal, settings, tmp_path
):
    bundle, _shares = seal
    other = machines("b")
    code = join_code(settings, serving)
    assert other.state() == "locked"
    join(settings, other, code)
    assert other.state() == "unlocked"
    on(settings, other)  # an app process of machine B reads and writes personal data
    assert vault.keys() == bundle
    assert crypto.decrypt(crypto.encrypt("Rania")) == "Rania"
    # The database keeps a keyed digest and times, never the code or its secret.
    [row] = JoinCode.objects.all()
    assert row.used_at is not None
    secret = joincodes.Code.parse(code).secret
    assert secret not in bytes(row.digest) and bytes(row.digest) != hashlib.sha256(secret).digest()
    # Audited: the code made, the keys given; no address, no code, no key in the trail.
    trail = LogEntry.objects.filter(object_pk=str(row.pk)).order_by("pk")
    assert [entry.additional_data["access given"] for entry in trail] == [
        "vault join code made",
        "vault keys given to a joining machine",
    ]
    trail_text = " ".join(str(entry.__dict__) for entry in trail)
    assert "127.0.0.1" not in trail_text
    written = trail_text + (tmp_path / "a.log").read_text() + (tmp_path / "b.log").read_text()
    assert b64encode(secret).rstrip("=") not in written.replace("-", "+").replace("_", "/")
    assert bundle.hash_key not in written and bundle.field_keys[0] not in written


def test_a_code_works_once(machines, serving, settings):
    code = join_code(settings, serving)
    join(settings, machines("b"), code)
    third = machines("c")
    with pytest.raises(CommandError, match="wrong, used or expired"):
        join(settings, third, code)
    assert third.state() == "locked"


def test_an_expired_code_is_refused(machines, serving, settings):
    code = join_code(settings, serving)
    JoinCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    other = machines("b")
    with pytest.raises(CommandError, match="wrong, used or expired"):
        join(settings, other, code)
    assert other.state() == "locked"


def test_a_wrong_fingerprint_is_refused_before_the_code_is_sent(machines, serving, settings):
    code = joincodes.Code.parse(join_code(settings, serving))
    # Another agent (its own certificate) answers at the address: an impostor, or a machine
    # restarted since the code was made.
    impostor = machines("impostor", serve_joins=True)
    elsewhere = impostor.ask("join_info")["address"]
    other = machines("b")
    with pytest.raises(CommandError, match="certificate differs"):
        join(settings, other, str(joincodes.Code(code.secret, code.fingerprint, elsewhere)))
    assert other.state() == "locked"
    # Nothing was sent: the code is still unused, and still opens at the right address.
    assert JoinCode.objects.get().used_at is None
    join(settings, other, str(code))
    assert other.state() == "unlocked"


def test_a_locked_machine_gives_no_keys(machines, serving, settings):
    code = join_code(settings, serving)
    serving.lock()
    other = machines("b")
    with pytest.raises(CommandError, match="locked now"):
        join(settings, other, code)
    assert other.state() == "locked"
    with pytest.raises(CommandError, match="not a join code"):
        join(settings, other, "123456")


def test_a_cloned_disk_cannot_join_without_a_fresh_code(machines, serving, seal, settings):
    """The attacker copied machine B's disk (the database and var/, with the code used to
    join it still in the shell's history) while machine A runs unlocked: they run an agent
    on the copy, and write to the database with the credentials found on it."""
    used = join_code(settings, serving)
    join(settings, machines("b"), used)
    clone = machines("clone")
    with pytest.raises(CommandError, match="wrong, used or expired"):
        join(settings, clone, used)
    # Codes of their own, stored with digests made the code's way under every key-like value
    # on the disk (as the hash key), or bare hashes: refused, since an agent checks them with
    # the vault's own hash key.
    known = joincodes.Code.parse(used)
    secrets_file = django_settings.VAR_DIR / "secrets.env"
    lines = secrets_file.read_text().splitlines() if secrets_file.exists() else []
    values = {line.partition("=")[2].strip("'\"") for line in lines} - {""}
    values.add(django_settings.SECRET_KEY)
    for value in sorted(values)[:3] + [None]:
        secret = secrets.token_bytes(joincodes.SECRET_BYTES)
        if value is None:
            digest = hashlib.sha256(known.fingerprint.encode() + b"\0" + secret).digest()
        else:
            guessed = keyring.KeyBundle((), hash_key=value, box_secret=bytes(32))
            digest = joincodes.digest(guessed, known.fingerprint, secret)
        JoinCode.objects.create(digest=digest, expires_at=timezone.now() + timedelta(hours=1))
        with pytest.raises(CommandError, match="wrong, used or expired"):
            join(settings, clone, str(joincodes.Code(secret, known.fingerprint, known.address)))
    # Guessing: refused, then stopped once ATTEMPTS_PER_MINUTE were made in the minute.
    refusals = []
    for _ in range(joining.ATTEMPTS_PER_MINUTE):
        guess = joincodes.Code(secrets.token_bytes(16), known.fingerprint, known.address)
        with pytest.raises(CommandError) as refused:
            join(settings, clone, str(guess))
        refusals.append(str(refused.value))
    wrong, too_many = joining.EXPLAINED["refused"], joining.EXPLAINED["too many attempts"]
    first = refusals.index(too_many)
    assert first > 0 and set(refusals[:first]) == {wrong} and set(refusals[first:]) == {too_many}
    assert clone.state() == "locked"


def test_lock_now_after_a_join_locks_both_machines(machines, serving, settings):
    other = machines("b")
    join(settings, other, join_code(settings, serving))
    assert serving.state() == other.state() == "unlocked"
    on(settings, serving)
    call_command("vault_lock", stdout=io.StringIO())  # on machine A
    assert serving.state() == "locked"
    assert wait_until(lambda: other.state() == "locked", seconds=5)


def test_a_join_asked_after_lock_now_was_ordered_is_refused_before_the_watcher_looks(
    seal, tmp_path
):
    """The serving agent reads the lock epoch itself: a join that comes in the seconds
    between a lock now on another machine and this agent's next poll gets nothing."""
    bundle, shares = seal
    agent = Server(tmp_path / "a.sock")
    joins = joining.JoinServer("127.0.0.1:0", agent)
    try:
        assert agent.answer({"op": "unlock", "mnemonics": shares[:2]}) == {"ok": True}

        def ask(ephemeral):
            code, _row = joincodes.make(bundle, "127.0.0.1:1", joins.fingerprint)
            public = bytes(ephemeral.public_key)
            return joins.answer({"code": b64encode(code.secret), "public_key": b64encode(public)})

        ephemeral = PrivateKey.generate()
        answer = ask(ephemeral)
        opened = SealedBox(ephemeral).decrypt(base64.b64decode(answer["sealed"]))
        assert keyring.KeyBundle.from_json(opened.decode()) == bundle
        everywhere.order_lock()  # on another machine; this agent's watcher has not looked yet
        assert ask(PrivateKey.generate()) == {"ok": False, "error": "locked"}
        assert agent.holder.state() == "locked"
        assert JoinCode.objects.filter(used_at=None).count() == 1
    finally:
        joins.server_close()
        agent.server_close()


def test_a_failed_join_on_an_unlocked_agent_does_not_cancel_a_lock_ordered_before(seal, tmp_path):
    _bundle, shares = seal
    agent = Server(tmp_path / "b.sock")
    try:
        assert agent.answer({"op": "unlock", "mnemonics": shares[:2]}) == {"ok": True}
        everywhere.order_lock()  # on another machine, before this agent's watcher looked
        assert agent.answer({"op": "join", "code": "123456"}) == {
            "ok": False,
            "error": "not a code",
        }
        everywhere.Watcher(agent, interval=60).check()
        assert agent.holder.state() == "locked"
    finally:
        agent.server_close()


def test_the_vault_page_makes_a_join_code_for_a_coalition_admin_once(
    client, make_staff, machines, serving, settings
):
    on(settings, serving)
    client.force_login(make_staff(MODERATOR))
    assert client.post("/en/admin/vault/", {"action": "join_code"}).status_code == 403
    admin = make_staff(COALITION_ADMIN)
    client.force_login(admin)
    assert "Make a join code" in client.get("/en/admin/vault/").text
    done = client.post("/en/admin/vault/", {"action": "join_code"})
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    [code] = re.findall(r'<code id="vault-join-code-text" dir="ltr">([^<]+)</code>', done.text)
    [made] = [
        entry
        for entry in LogEntry.objects.all()
        if entry.additional_data == {"access given": "vault join code made"}
    ]
    assert made.actor == admin
    other = machines("b")
    join(settings, other, code)  # as shown, in groups: the spaces are ignored
    assert other.state() == "unlocked"
    on(settings, other)  # B serves no joins: its page says so, in the reader's language
    refused = client.post("/fr/admin/vault/", {"action": "join_code"})
    assert "ne sert pas les adhésions" in refused.text
    assert "vault-join-code-text" not in refused.text
