"""One-time join codes: a keyholder's or coalition admin's live decision that one more machine
may get the keys from an unlocked one (tadamun.vault.joining; docs/scale.md).

A code reads `v1.SECRET.FINGERPRINT@HOST:PORT` (the prefix also keeps a code from starting
with "-", which a command line would take for an option): 16 random bytes, the serving agent's TLS
certificate fingerprint (pinned by the joining agent) and the address it serves joins on. It
works once, for VALID_MINUTES. The database keeps only its expiry and a digest keyed by the
vault's hash key (`digest`), so neither a copy of the database nor a write to it yields a code
an agent accepts: making one needs the keys, that is, an unlocked machine.
"""

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from tadamun.vault import keyring
from tadamun.vault.models import JoinCode

VALID_MINUTES = 10
SECRET_BYTES = 16
FINGERPRINT_CHARS = 43  # a SHA-256 in unpadded base64 (tadamun.vault.tls.fingerprint)
FINGERPRINT = re.compile(rf"[A-Za-z0-9_-]{{{FINGERPRINT_CHARS}}}")
KEPT_AFTER_EXPIRY = timedelta(days=1)
PREFIX = "v1."


class NotACode(ValueError):
    """The text given is not a join code (mistyped, cut short)."""


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def split_address(address: str) -> tuple[str, int]:
    """ "HOST:PORT" or "[V6 ADDRESS]:PORT" as (host, port)."""
    host, _colon, port = address.rpartition(":")
    return host.strip("[]"), int(port)


@dataclass(frozen=True)
class Code:
    secret: bytes
    fingerprint: str
    address: str  # host:port, [v6 address]:port

    def __str__(self):
        return f"{PREFIX}{_b64(self.secret)}.{self.fingerprint}@{self.address}"

    def readable(self) -> str:
        """The code with its secret and fingerprint in groups of eight, to read out and to
        wrap on a phone (spaces are ignored when it is typed back)."""
        text = f"{PREFIX}{_b64(self.secret)}.{self.fingerprint}"
        groups = " ".join(text[i : i + 8] for i in range(0, len(text), 8))
        return f"{groups} @{self.address}"

    def __repr__(self):  # never the secret in a traceback or a log
        return f"Code(…@{self.address})"

    @classmethod
    def parse(cls, text: str) -> "Code":
        text = "".join(text.split())
        tag, secret, dot, rest = text[: len(PREFIX)], *text[len(PREFIX) :].partition(".")
        fingerprint, at, address = rest.partition("@")
        host, colon, port = address.rpartition(":")
        try:
            raw = _unb64(secret)
        except (binascii.Error, ValueError):
            raw = b""
        shaped = tag == PREFIX and dot and at and colon and host and port.isdigit()
        shaped = shaped and 0 < int(port) < 65536 and FINGERPRINT.fullmatch(fingerprint)
        if not shaped or len(raw) != SECRET_BYTES:
            raise NotACode
        return cls(raw, fingerprint, address)


def digest(bundle: keyring.KeyBundle, fingerprint: str, secret: bytes) -> bytes:
    """What the database keeps of a code: an HMAC under a key only the vault's keys give."""
    key = hmac.new(bundle.hash_key.encode(), b"tadamun vault join code", hashlib.sha256).digest()
    return hmac.new(key, fingerprint.encode() + b"\0" + secret, hashlib.sha256).digest()


def make(bundle: keyring.KeyBundle, address: str, fingerprint: str) -> tuple[Code, JoinCode]:
    """A new code for the agent serving joins at `address` with that certificate."""
    now = timezone.now()
    JoinCode.objects.filter(expires_at__lt=now - KEPT_AFTER_EXPIRY).delete()
    code = Code(secrets.token_bytes(SECRET_BYTES), fingerprint, address)
    row = JoinCode.objects.create(
        digest=digest(bundle, fingerprint, code.secret),
        expires_at=now + timedelta(minutes=VALID_MINUTES),
    )
    return code, row


def redeem(bundle: keyring.KeyBundle, fingerprint: str, secret: bytes) -> JoinCode | None:
    """The code's row, now marked used; None when no unused, unexpired code matches (each
    candidate compared in constant time) or another join took it first."""
    wanted = digest(bundle, fingerprint, secret)
    now = timezone.now()
    for row in JoinCode.objects.filter(used_at__isnull=True, expires_at__gt=now):
        if hmac.compare_digest(bytes(row.digest), wanted):
            taken = JoinCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now)
            return row if taken else None
    return None
