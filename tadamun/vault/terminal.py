"""Reading the secret, shares or a join code in the vault's commands: getpass on a terminal
(nothing echoed, nothing in the shell's history), else one a line from standard input."""

import contextlib
import getpass
import sys

from django.core.management.base import CommandError

from tadamun.core.keys import SEALED as SEALED_KEYS
from tadamun.vault import store


def read_mnemonics(stdin=None, needed: int | None = None) -> list[str]:
    """`needed` shares (default: as many as this vault's seal asks)."""
    stdin = stdin or sys.stdin
    if not stdin.isatty():
        return [line.strip() for line in stdin if line.strip()]
    if needed is None:
        try:
            needed = store.wrapped().threshold
        except store.NotSealed:
            needed = 1
    return [
        getpass.getpass(f"Share {i + 1} of {needed} (words, not echoed): ") for i in range(needed)
    ]


def read_join_code(stdin=None) -> str:
    """A join code (vault_unlock --join): asked, not echoed, on a terminal; else the first
    line of standard input."""
    stdin = stdin or sys.stdin
    if stdin.isatty():
        return getpass.getpass("Join code (not echoed): ")
    return next((line.strip() for line in stdin if line.strip()), "")


def remove_keys_from(path, names=SEALED_KEYS) -> list[str]:
    """Drop `names` from a secrets file and mark it sealed (VAULT_MODE='agent'), so
    `make demo` does not make new keys there. Returns the names removed. BACKUP_KEY goes too:
    backups are sealed to the vault from now on (keep a copy of it, away from this machine,
    for the backups made before)."""
    if not path.exists():
        return []
    kept, removed = [], []
    for line in path.read_text().splitlines():
        name = line.split("=", 1)[0].strip()
        if name in names:
            removed.append(name)
        elif name != "VAULT_MODE":
            kept.append(line)
    kept.append("VAULT_MODE='agent'")
    replacement = path.with_suffix(".tmp")
    replacement.write_text("\n".join(kept) + "\n")
    replacement.chmod(0o600)
    replacement.replace(path)
    return removed


@contextlib.contextmanager
def refusals(doing: str):
    """A vault command's refusals as its error lines (never a traceback near the shares)."""
    from tadamun.vault import keyring, rotation
    from tadamun.vault.holder import Destroyed, Locked

    try:
        yield
    except keyring.WrongSecret:
        raise CommandError("Refused: these shares do not open the vault.") from None
    except (store.NotSealed, Destroyed):
        raise CommandError(f"There are no keys to {doing} (vault_init first).") from None
    except Locked:
        raise CommandError("No vault agent answers (start `manage.py vault_agent`).") from None
    except rotation.SealChanged:
        raise CommandError("The seal changed meanwhile: nothing done, try again.") from None
