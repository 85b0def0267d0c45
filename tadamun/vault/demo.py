"""`make demo` runs sealed, so a newcomer sees the vault at work: its first run seals the
keys (2 of 3 shares) and every run starts the agent and unlocks it with two shares.

The demo keeps its shares in var/demo-vault-shares.txt so that it can unlock itself: a real
coalition never stores them beside the server (docs/security.md)."""

import os
import time
from pathlib import Path

from django.conf import settings

from tadamun.vault import store
from tadamun.vault.agent import Client
from tadamun.vault.terminal import remove_keys_from

SHARES_FILE = "demo-vault-shares.txt"
AGENT_START_SECONDS = 30


def shares_path() -> Path:
    return Path(settings.VAR_DIR) / SHARES_FILE


def seal_once() -> None:
    if store.exists():
        return
    shares = store.seal_the_keys_in_use(threshold=2, shares=3)
    path = shares_path()
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as file:
        file.write("\n".join(shares) + "\n")
    remove_keys_from(Path(settings.VAR_DIR) / "secrets.env")


def use_the_agent() -> None:
    """This process and the ones it starts ask the agent from now on."""
    for name in ("FIELD_ENCRYPTION_KEYS", "HASH_KEY"):
        os.environ.pop(name, None)
    os.environ["VAULT_MODE"] = settings.VAULT_MODE = "agent"


def unlock(agent) -> list[str]:
    """Wait for the agent's socket, unlock it; returns the shares (none if the demo has not
    got them: someone sealed it by hand)."""
    socket = Path(settings.VAULT_SOCKET)
    deadline = time.monotonic() + AGENT_START_SECONDS
    while agent.poll() is None and time.monotonic() < deadline:
        if socket.exists() and Client(socket).state() in ("locked", "unlocked"):
            break
        time.sleep(0.2)
    path = shares_path()
    shares = path.read_text().split("\n") if path.exists() else []
    shares = [share for share in shares if share.strip()]
    if shares:
        Client(socket).unlock(shares[:2])
    return shares
