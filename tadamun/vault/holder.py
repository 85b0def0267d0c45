"""Where the running process gets its keys: one place, three modes (settings.VAULT_MODE).

- "agent": production and `make demo`. The key-holding agent (`manage.py vault_agent`, one
  per machine) holds the unwrapped keys; this process asks it over its Unix socket
  (tadamun.vault.agent) and keeps the answer for VAULT_CACHE_SECONDS at most, so "lock now"
  reaches every app server and worker within seconds without a socket call per field read.
- "memory": the keys held in this process (the test suite; the agent itself holds its keys
  in a `MemoryHolder`).
- "settings": FIELD_ENCRYPTION_KEYS and HASH_KEY read from settings, an installation not yet
  sealed (`manage.py vault_init` seals it). Nothing to lock.
"""

import hashlib
import hmac
import threading
import time

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tadamun.vault import keyring


class Locked(Exception):
    """The vault is locked: personal data cannot be read or written now."""

    message = _(
        "The vault is locked: supporters' personal data cannot be read until keyholders unlock it."
    )


class Destroyed(Locked):
    """The keys were destroyed: personal data can never be read again."""

    message = _("The vault's keys were destroyed: supporters' personal data can no longer be read.")


class MemoryHolder:
    """Keys in this process's memory only, dropped on lock."""

    def __init__(self):
        self._bundle: keyring.KeyBundle | None = None
        self._lock = threading.Lock()

    def keys(self) -> keyring.KeyBundle:
        bundle = self._bundle
        if bundle is None:
            raise Locked
        return bundle

    def state(self) -> str:
        return "locked" if self._bundle is None else "unlocked"

    def unlock(self, mnemonics: list[str]) -> None:
        from tadamun.vault import store

        bundle = keyring.unwrap(store.wrapped(), mnemonics)
        with self._lock:
            self._bundle = bundle

    def join(self, code: str) -> None:
        """The keys from the unlocked agent a join code names (tadamun.vault.joining)."""
        from tadamun.vault.joining import fetch_keys

        self.put(fetch_keys(code))

    def put(self, bundle: keyring.KeyBundle | None) -> None:
        with self._lock:
            self._bundle = bundle

    def lock(self) -> None:
        with self._lock:
            self._bundle = None


def intake_secret(hash_key: str) -> bytes:
    """The intake's private key of an installation not sealed: derived from its hash key, so
    its sealed submissions open only with a key of its own (not with one anyone can write)."""
    return hmac.new(hash_key.encode(), b"tadamun intake box", hashlib.sha256).digest()


class SettingsHolder:
    """An installation not sealed yet: the keys are in settings, always 'unlocked'."""

    _cache: dict = {}

    def keys(self) -> keyring.KeyBundle:
        field_keys, hash_key = tuple(settings.FIELD_ENCRYPTION_KEYS), settings.HASH_KEY
        bundle = self._cache.get((field_keys, hash_key))
        if bundle is None:
            self._cache.clear()
            bundle = keyring.KeyBundle(field_keys, hash_key, box_secret=intake_secret(hash_key))
            self._cache[(field_keys, hash_key)] = bundle
        return bundle

    def state(self) -> str:
        return "unsealed"

    def unlock(self, mnemonics):
        raise keyring.WrongSecret("This installation is not sealed: run manage.py vault_init.")

    def join(self, code):
        from tadamun.vault.joining import JoinRefused

        raise JoinRefused("not sealed")

    def lock(self) -> None:
        raise Locked  # nothing to lock: the keys are in the settings


class AgentHolder:
    """Asks the machine's agent; keeps the keys for VAULT_CACHE_SECONDS at most."""

    def __init__(self):
        self._cached: tuple[float, keyring.KeyBundle] | None = None

    def client(self):
        from tadamun.vault.agent import Client

        return Client(settings.VAULT_SOCKET)

    def keys(self) -> keyring.KeyBundle:
        cached, now = self._cached, time.monotonic()
        if cached is not None and now - cached[0] < settings.VAULT_CACHE_SECONDS:
            return cached[1]
        self._cached = None
        bundle = self.client().keys()  # raises Locked
        self._cached = (now, bundle)
        return bundle

    def state(self) -> str:
        return self.client().state()

    def unlock(self, mnemonics: list[str]) -> None:
        self.client().unlock(mnemonics)

    def join(self, code: str) -> None:
        self.client().join(code)

    def lock(self) -> None:
        self._cached = None
        self.client().lock()


_memory = MemoryHolder()
_settings = SettingsHolder()
_agent = AgentHolder()


def current():
    return {"agent": _agent, "memory": _memory, "settings": _settings}[settings.VAULT_MODE]


def keys() -> keyring.KeyBundle:
    """Every key that opens personal data; raises Locked (or Destroyed)."""
    try:
        return current().keys()
    except Destroyed:
        raise
    except Locked:
        from tadamun.vault import store

        if store.destroyed():
            raise Destroyed from None
        raise


def state() -> str:
    """ "unlocked", "locked", "destroyed" or "unsealed" (keys still in settings)."""
    holder = current()
    if holder is not _settings:
        from tadamun.vault import store

        if store.destroyed():
            return "destroyed"
    try:
        return holder.state()
    except Locked:
        return "locked"


def unlock(mnemonics: list[str]) -> None:
    """Open the vault with the secret or `threshold` shares; raises keyring.WrongSecret."""
    current().unlock(mnemonics)


def join(code: str) -> None:
    """Unlock this machine with a join code from an unlocked one (tadamun.vault.joining);
    raises joining.JoinRefused, or Locked when no agent answers."""
    current().join(code)


def lock() -> None:
    """Lock now: this machine's keys dropped from memory."""
    current().lock()


def wait_for_keys(keep_waiting, *, poll_seconds: float = 2.0, each_poll=None) -> bool:
    """Block until the keys can be had (True; also once destroyed: they never come back), or
    until `keep_waiting()` says stop (False). Workers call it when a task meets the lock."""
    while True:
        try:
            keys()
            return True
        except Destroyed:
            return True
        except Locked:
            if not keep_waiting():
                return False
            if each_poll is not None:
                each_poll()
            time.sleep(poll_seconds)
