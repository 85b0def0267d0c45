"""The vault: personal-data keys held only in memory (issue 15; docs/security.md).

Everything that encrypts, decrypts or hashes personal data asks `keys()` here
(tadamun.core.crypto, tadamun.core.privacy); while the vault is locked it raises `Locked`.
"""

from tadamun.vault.holder import (  # noqa: F401
    Destroyed,
    Locked,
    join,
    keys,
    lock,
    state,
    unlock,
    wait_for_keys,
)
