"""`python -m tadamun.core.keys FILE`: make sure FILE holds every generated secret.

`make demo` and `make test` keep a SECRET_KEY, a field-encryption key and a hashing key in
var/secrets.env (ignored by git). Values already in the file are kept; only missing ones are
added, so a secret introduced by a later version appears without losing the others. Runs
without Django settings, since it makes the values the settings need.
"""

import os
import secrets
import sys
from pathlib import Path

from cryptography.fernet import Fernet

# URL-safe alphabets only: django-environ reads a value starting with "$" as the name of
# another variable, and Django's get_random_secret_key() starts with one about once in 50.
GENERATORS = {
    "SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEYS": lambda: Fernet.generate_key().decode(),
    "HASH_KEY": lambda: secrets.token_urlsafe(32),
    # Encrypts backups until the vault is sealed; keep a copy away from them (docs/operations.md).
    "BACKUP_KEY": lambda: Fernet.generate_key().decode(),
}


# Once `manage.py vault_init` sealed the vault, the first two live wrapped in the database, not
# here, and backups are sealed to the vault's public key: none of them is made again, and
# vault_init removes them from the file (tadamun.vault.terminal.remove_keys_from).
SEALED = ("FIELD_ENCRYPTION_KEYS", "HASH_KEY", "BACKUP_KEY")


def missing_lines(existing: str) -> str:
    present = {line.split("=", 1)[0] for line in existing.splitlines() if "=" in line}
    if "VAULT_MODE" in present:
        present |= set(SEALED)
    return "".join(
        f"{name}='{make()}'\n" for name, make in GENERATORS.items() if name not in present
    )


def ensure(path: Path) -> None:
    existing = path.read_text() if path.exists() else ""
    if added := missing_lines(existing):
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600), "a") as file:
            file.write(added)


if __name__ == "__main__":
    ensure(Path(sys.argv[1]))
