"""A self-hosted proof-of-work challenge: the escalation when one network sends many forms.

Many honest people share one address (Tor exits, mobile carriers, a campus during a rally),
so no rule locks a network out. Past the limit a form asks for a proof instead: a browser with
JavaScript finds a number whose SHA-256 with the challenge starts with enough zero bits (a
second or two of work, static/js/pow.js); a browser without JavaScript proves patience instead
and sends the form again after a short wait. Each challenge counts once.

The busier a network, the dearer its next challenge: each doubling of the challenges it was
given in the last hour past CHALLENGES_AT_BASE adds a bit of work and doubles the wait, up to
POW_MAX_DIFFICULTY and POW_MAX_WAIT_SECONDS, so a phone (with or without JavaScript) still gets
through in a bounded time while a flood from one network slows down.
"""

import hashlib
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from tadamun.core.privacy import ip_hash

SALT = "tadamun.pow"
MAX_AGE = 15 * 60
CHALLENGES_AT_BASE = 8
VOLUME_WINDOW = 3600


@dataclass(frozen=True)
class Challenge:
    """A signed challenge (its text is what the form carries) and what it asks for."""

    token: str
    difficulty: int
    wait_seconds: int

    def __str__(self) -> str:
        return self.token


def _challenges_given(network: str) -> int:
    """Count one more challenge for `network` in the current hour; the count so far."""
    key = f"pow-given:{network}"
    cache.add(key, 0, VOLUME_WINDOW)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, VOLUME_WINDOW)
        return 1


def _price(given: int) -> tuple[int, int]:
    """The difficulty and the wait of a network's `given`-th challenge of the hour."""
    extra = min(
        ((given - 1) // CHALLENGES_AT_BASE).bit_length(),
        max(0, settings.POW_MAX_DIFFICULTY - settings.POW_DIFFICULTY),
    )
    wait = min(settings.POW_WAIT_SECONDS * 2**extra, settings.POW_MAX_WAIT_SECONDS)
    return settings.POW_DIFFICULTY + extra, wait


def new_challenge(request) -> Challenge:
    """A challenge for the network the request comes from. Only the newest one of a network
    counts: collecting challenges to solve them all later gains nothing."""
    network = ip_hash(request)
    nonce = secrets.token_hex(8)
    difficulty, wait = _price(_challenges_given(network))
    cache.set(f"pow-open:{network}", nonce, MAX_AGE)
    token = signing.dumps(
        {"n": nonce, "h": network, "t": int(time.time()), "d": difficulty, "w": wait}, salt=SALT
    )
    return Challenge(token, difficulty, wait)


def leading_zero_bits(hashed: bytes) -> int:
    bits = 0
    for byte in hashed:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def digest(challenge: str, solution: str) -> bytes:
    return hashlib.sha256(f"{challenge}:{solution}".encode()).digest()


def is_solved(request, challenge: str, solution: str) -> bool:
    """True for this network's open challenge, worked out or waited for; it is then used up."""
    try:
        data = signing.loads(challenge, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return False
    open_key = f"pow-open:{data['h']}"
    if data["h"] != ip_hash(request) or cache.get(open_key) != data["n"]:
        return False
    worked = len(solution) <= 20 and leading_zero_bits(digest(challenge, solution)) >= data["d"]
    # A challenge signed before the wait was part of it (up to MAX_AGE old) waits the base time.
    waited = time.time() - data["t"] >= data.get("w", settings.POW_WAIT_SECONDS)
    if not (worked or waited):
        return False
    cache.delete(open_key)
    return True


def solve(challenge: str, difficulty: int) -> str:
    """What pow.js does, in Python (for tests and the benchmark)."""
    nonce = 0
    while True:
        if leading_zero_bits(digest(challenge, str(nonce))) >= difficulty:
            return str(nonce)
        nonce += 1
