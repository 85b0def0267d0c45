"""The key-holding agent as production runs it: `manage.py vault_agent` in its own process,
on a real Unix socket; app processes ask it through AgentHolder."""

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tadamun import vault
from tadamun.core import crypto
from tadamun.vault import holder, keyring
from tadamun.vault.agent import AgentUnreachable, Client
from tadamun.vault.tests.conftest import cheap_argon2

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db(transaction=True)  # the agent reads the committed seal


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_until(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def start_agent(path, *options, env=None, log=subprocess.DEVNULL) -> subprocess.Popen:
    """`manage.py vault_agent` on the socket `path`, in a process of its own (as on a machine
    of its own), on the test database."""
    return subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "vault_agent", "--socket", str(path), *options],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(), **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.fixture
def agent(tmp_path, settings):
    cheap_argon2(settings)
    path = tmp_path / "vault.sock"
    log = tmp_path / "agent.log"
    with log.open("w") as out:
        process = start_agent(path, log=out)
    try:
        assert wait_until(path.exists), log.read_text()
        settings.VAULT_MODE = "agent"
        settings.VAULT_SOCKET = str(path)
        settings.VAULT_CACHE_SECONDS = 0.5
        holder._agent._cached = None
        yield process, path, log
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(10)
        holder._agent._cached = None


def test_the_socket_is_the_site_users_alone(agent):
    _process, path, _log = agent
    mode = os.stat(path).st_mode
    assert stat.S_ISSOCK(mode) and stat.S_IMODE(mode) == 0o600


def test_starts_locked_unlocks_with_two_shares_and_refuses_one(agent, seal):
    _process, path, log = agent
    bundle, shares = seal
    client = Client(path)
    assert client.state() == "locked"
    with pytest.raises(vault.Locked):
        vault.keys()
    with pytest.raises(keyring.WrongSecret):
        client.unlock(shares[:1])
    assert client.state() == "locked"
    client.unlock(shares[1:])
    assert vault.keys() == bundle and vault.state() == "unlocked"
    assert crypto.decrypt(crypto.encrypt("Rania")) == "Rania"
    # Neither the shares nor the keys were written where the agent logs.
    written = log.read_text()
    # (a run of four words: a single share word, "acid" say, may stand inside a log line)
    words = shares[1].split()[4:]
    assert not any(" ".join(words[i : i + 4]) in written for i in range(len(words) - 3))
    assert bundle.hash_key not in written and bundle.field_keys[0] not in written


def test_lock_now_reaches_an_app_process_within_its_cache_time(agent, seal):
    _process, path, _log = agent
    bundle, shares = seal
    Client(path).unlock(shares[:2])
    assert vault.keys() == bundle  # now cached here for VAULT_CACHE_SECONDS
    Client(path).lock()  # as another machine's staff page or command would
    assert Client(path).state() == "locked"
    assert wait_until(lambda: _raises_locked(vault.keys), seconds=2)
    with pytest.raises(vault.Locked):
        crypto.encrypt("Rania")


def test_the_lock_command_and_the_signal_drop_the_keys(agent, seal):
    process, path, _log = agent
    _bundle, shares = seal
    call_command("vault_unlock", stdin=FakeInput(shares[:2]))
    assert Client(path).state() == "unlocked"
    call_command("vault_lock")
    assert Client(path).state() == "locked"
    Client(path).unlock(shares[:2])
    process.send_signal(signal.SIGUSR1)
    assert wait_until(lambda: Client(path).state() == "locked", seconds=3)
    assert process.poll() is None  # locked, still serving
    process.send_signal(signal.SIGTERM)
    process.wait(10)
    assert not path.exists()
    with pytest.raises(AgentUnreachable):
        Client(path).keys()
    assert vault.state() == "locked"  # no agent reads as locked


def _raises_locked(read) -> bool:
    try:
        read()
    except vault.Locked:
        return True
    return False


class FakeInput:
    """Shares piped to the command, as a script would."""

    def __init__(self, lines):
        self.lines = lines

    def isatty(self):
        return False

    def __iter__(self):
        return iter(line + "\n" for line in self.lines)
