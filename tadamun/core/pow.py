"""A self-hosted proof-of-work challenge: the escalation when one network sends many forms.

Many honest people share one address (Tor exits, mobile carriers, a campus during a rally),
so no rule locks a network out. Past the limit a form asks for a proof instead: a browser with
JavaScript finds a number whose SHA-256 with the challenge starts with enough zero bits (a
second or two of work, static/js/pow.js); a browser without JavaScript proves patience instead
and sends the form again after a short wait. Each challenge counts once.
"""

import hashlib
import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

from tadamun.core.privacy import ip_hash

SALT = "tadamun.pow"
MAX_AGE = 15 * 60


def new_challenge(request) -> str:
    """A challenge for the network the request comes from. Only the newest one of a network
    counts: collecting challenges to solve them all later gains nothing."""
    network = ip_hash(request)
    nonce = secrets.token_hex(8)
    cache.set(f"pow-open:{network}", nonce, MAX_AGE)
    return signing.dumps(
        {"n": nonce, "h": network, "t": int(time.time()), "d": settings.POW_DIFFICULTY},
        salt=SALT,
    )


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def is_solved(request, challenge: str, solution: str) -> bool:
    """True for this network's open challenge, worked out or waited for; it is then used up."""
    try:
        data = signing.loads(challenge, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return False
    open_key = f"pow-open:{data['h']}"
    if data["h"] != ip_hash(request) or cache.get(open_key) != data["n"]:
        return False
    digest = hashlib.sha256(f"{challenge}:{solution}".encode()).digest()
    worked = len(solution) <= 20 and leading_zero_bits(digest) >= data["d"]
    waited = time.time() - data["t"] >= settings.POW_WAIT_SECONDS
    if not (worked or waited):
        return False
    cache.delete(open_key)
    return True


def solve(challenge: str, difficulty: int) -> str:
    """What pow.js does, in Python (for tests and the benchmark)."""
    nonce = 0
    while True:
        digest = hashlib.sha256(f"{challenge}:{nonce}".encode()).digest()
        if leading_zero_bits(digest) >= difficulty:
            return str(nonce)
        nonce += 1
