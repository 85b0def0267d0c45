"""Many machines, each with its own agent, one database: "lock now" given on any machine
reaches every agent within seconds (tadamun/vault/everywhere.py); a key rotation reaches
the agent of the machine it runs on at once."""

import io
import time

import pytest
from django.core.management import call_command

from tadamun import vault
from tadamun.core import crypto
from tadamun.vault import everywhere, holder, keyring, rotation, store
from tadamun.vault.agent import Client, Server
from tadamun.vault.tests.conftest import cheap_argon2
from tadamun.vault.tests.test_agent import start_agent, wait_until

pytestmark = pytest.mark.django_db(transaction=True)  # the agents read the committed seal
POLL = 0.3


@pytest.fixture
def machines(tmp_path, settings):
    """Start `machines(n)` agents, as on n machines sharing the database."""
    cheap_argon2(settings)
    started = []

    def start(count):
        for number in range(count):
            path = tmp_path / f"machine{number}.sock"
            started.append(start_agent(path, env={"VAULT_LOCK_POLL_SECONDS": str(POLL)}))
            assert wait_until(path.exists)
        return [Client(tmp_path / f"machine{number}.sock") for number in range(count)]

    yield start
    for process in started:
        process.terminate()
        process.wait(10)
    holder._agent._cached = None


@pytest.fixture
def shares(settings):
    cheap_argon2(settings)
    return store.seal(keyring.KeyBundle.generate(), threshold=2, shares=3)


def test_lock_now_on_one_machine_locks_every_machine_within_seconds(machines, shares, settings):
    one, two, three = machines(3)
    for agent in (one, two, three):
        agent.unlock(shares[:2])
        assert agent.state() == "unlocked"
    settings.VAULT_MODE, settings.VAULT_SOCKET = "agent", one.path
    settings.VAULT_CACHE_SECONDS = 0.5
    ordered = time.monotonic()
    call_command("vault_lock", stdout=io.StringIO())  # on machine one
    assert one.state() == "locked"
    assert wait_until(lambda: two.state() == three.state() == "locked", seconds=5)
    assert time.monotonic() - ordered < 3 * POLL + 1
    # Unlocked again after the order, a machine stays unlocked: the order was obeyed once.
    two.unlock(shares[1:])
    time.sleep(3 * POLL)
    assert two.state() == "unlocked" and one.state() == three.state() == "locked"


def test_an_agents_watcher_drops_its_keys_once_a_lock_is_ordered(shares, tmp_path):
    server = Server(tmp_path / "agent.sock")
    try:
        assert server.answer({"op": "unlock", "mnemonics": shares[:2]}) == {"ok": True}
        watcher = everywhere.Watcher(server, interval=60)
        watcher.check()
        assert server.holder.state() == "unlocked"  # nothing ordered
        everywhere.order_lock()  # by another machine's page or command
        watcher.check()
        assert server.holder.state() == "locked"
        watcher.check()  # locked stays locked, and asks the database nothing
        assert server.holder.state() == "locked"
    finally:
        server.server_close()


def test_a_rotation_reaches_this_machines_agent_and_locks_the_other_machines(
    machines, shares, settings, sign
):
    agent, other = machines(2)
    agent.unlock(shares[:2])
    other.unlock(shares[:2])
    settings.VAULT_MODE, settings.VAULT_SOCKET = "agent", agent.path
    settings.VAULT_CACHE_SECONDS = 0.5
    holder._agent._cached = None
    sign("amal@example.org", name="Amal Haddad", confirm=True)
    old = vault.keys().field_keys
    rotation.rotate_field_keys(shares[1:])
    [new] = vault.keys().field_keys  # from the agent: the rotated bundle, old key dropped
    assert new != old[0] and agent.state() == "unlocked"
    # The other machine held the old bundle: locked, not writing with a dropped key.
    assert wait_until(lambda: other.state() == "locked", seconds=5)
    other.unlock(shares[1:])
    time.sleep(3 * POLL)
    assert other.state() == "unlocked" and agent.state() == "unlocked"
    settings.VAULT_SOCKET = other.path
    holder._agent._cached = None
    assert vault.keys().field_keys == (new,)  # the rotated bundle there too
    settings.VAULT_SOCKET = agent.path
    assert crypto.decrypt(crypto.encrypt("Rania")) == "Rania"
    from tadamun.supporters.models import Supporter

    assert Supporter.objects.get().name == "Amal Haddad"
    call_command("vault_lock", stdout=io.StringIO())
    agent.unlock(shares[::2])  # the same shares still open it
    holder._agent._cached = None
    assert vault.keys().field_keys == (new,)


def test_lock_without_a_seal_is_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("vault_lock")
    assert everywhere.epoch() is None
