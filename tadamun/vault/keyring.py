"""The key bundle and how it is wrapped; pure functions, no Django state.

- The **bundle** holds every key that opens personal data: the Fernet field-encryption keys
  (newest first), the keyed-hash key and the private half of the intake's X25519 key pair.
- The **unlock secret** is 16 random bytes, split with SLIP-39 (Trezor's `shamir-mnemonic`)
  into `shares` mnemonics of 20 words, any `threshold` of which give it back (1 of 1: the
  coalition's single secret). A mistyped word fails SLIP-39's checksum; too few shares fail.
- The bundle is encrypted with AES-256-GCM under a key derived from the secret with Argon2id
  (argon2-cffi's `hash_secret_raw`), salted per wrapping. A wrong secret fails the GCM tag.
"""

import base64
import json
import secrets
from dataclasses import dataclass, field
from functools import cached_property

import shamir_mnemonic
from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from nacl.public import PrivateKey

SECRET_BYTES = 16  # 128 bits: 20 SLIP-39 words, then stretched by Argon2id
SALT_BYTES = 16
NONCE_BYTES = 12
KEY_BYTES = 32


class WrongSecret(Exception):
    """The shares or secret given do not open the wrapped keys (or too few were given)."""


@dataclass(frozen=True)
class KeyBundle:
    field_keys: tuple[str, ...]
    hash_key: str
    box_secret: bytes = field(repr=False)  # X25519 private key of the sealed intake

    def __repr__(self):  # never in a traceback or a log
        return "KeyBundle(…)"

    @cached_property
    def fernet(self) -> MultiFernet:
        return MultiFernet([Fernet(key) for key in self.field_keys])

    @property
    def public_key(self) -> bytes:
        return bytes(PrivateKey(self.box_secret).public_key)

    def to_json(self) -> str:
        return json.dumps(
            {
                "field_keys": list(self.field_keys),
                "hash_key": self.hash_key,
                "box_secret": base64.b64encode(self.box_secret).decode("ascii"),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> "KeyBundle":
        data = json.loads(text)
        return cls(
            field_keys=tuple(data["field_keys"]),
            hash_key=data["hash_key"],
            box_secret=base64.b64decode(data["box_secret"]),
        )

    @classmethod
    def generate(cls, field_keys=(), hash_key: str = "") -> "KeyBundle":
        """New keys; existing field and hash keys are kept (an installation being sealed)."""
        return cls(
            field_keys=tuple(field_keys) or (Fernet.generate_key().decode(),),
            hash_key=hash_key or secrets.token_urlsafe(32),
            box_secret=bytes(PrivateKey.generate()),
        )


@dataclass(frozen=True)
class Wrapped:
    """What is stored: everything here may be read by anyone holding the disk."""

    public_key: bytes
    salt: bytes
    wrapped: bytes
    threshold: int
    shares: int
    time_cost: int
    memory_kib: int


def derive(secret: bytes, salt: bytes, *, time_cost: int, memory_kib: int) -> bytes:
    return hash_secret_raw(
        secret,
        salt,
        time_cost=time_cost,
        memory_cost=memory_kib,
        parallelism=1,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def split(secret: bytes, threshold: int, shares: int) -> list[str]:
    """`shares` SLIP-39 mnemonics, any `threshold` of which give the secret back."""
    if not 1 <= threshold <= shares <= 16:
        raise ValueError("Need 1 <= threshold <= shares <= 16.")
    if threshold == 1 and shares > 1:
        raise ValueError("SLIP-39 makes 1-of-n only as n copies; use 1 of 1.")
    groups = shamir_mnemonic.generate_mnemonics(1, [(threshold, shares)], secret, b"", 1)
    return groups[0]


def combine(mnemonics: list[str]) -> bytes:
    try:
        return shamir_mnemonic.combine_mnemonics(
            [" ".join(m.lower().split()) for m in mnemonics if m.strip()]
        )
    except (shamir_mnemonic.MnemonicError, ValueError) as error:
        raise WrongSecret(str(error)) from None


def wrap(
    bundle: KeyBundle, *, threshold: int, shares: int, time_cost: int, memory_kib: int
) -> tuple[Wrapped, list[str]]:
    """The stored form of `bundle` and the mnemonics that open it (to be shown once)."""
    secret = secrets.token_bytes(SECRET_BYTES)
    mnemonics = split(secret, threshold, shares)
    return rewrap(
        bundle,
        secret,
        threshold=threshold,
        shares=shares,
        time_cost=time_cost,
        memory_kib=memory_kib,
    ), mnemonics


def rewrap(bundle, secret, *, threshold, shares, time_cost, memory_kib) -> Wrapped:
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    key = derive(secret, salt, time_cost=time_cost, memory_kib=memory_kib)
    sealed = AESGCM(key).encrypt(nonce, bundle.to_json().encode(), b"tadamun-vault-v1")
    return Wrapped(
        public_key=bundle.public_key,
        salt=salt,
        wrapped=nonce + sealed,
        threshold=threshold,
        shares=shares,
        time_cost=time_cost,
        memory_kib=memory_kib,
    )


def unwrap(stored: Wrapped, mnemonics: list[str]) -> KeyBundle:
    secret = combine(mnemonics)
    key = derive(secret, stored.salt, time_cost=stored.time_cost, memory_kib=stored.memory_kib)
    nonce, sealed = stored.wrapped[:NONCE_BYTES], stored.wrapped[NONCE_BYTES:]
    try:
        plain = AESGCM(key).decrypt(nonce, sealed, b"tadamun-vault-v1")
    except (InvalidTag, ValueError):
        raise WrongSecret("These shares do not open this vault.") from None
    return KeyBundle.from_json(plain.decode())
