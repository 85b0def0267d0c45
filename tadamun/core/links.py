"""Tokens of emailed links: the id of one object and a fingerprint of what the link was sent
for (an address, a submission, a key), signed with the site's key and a salt per purpose.

The reader of a token looks the object up and compares the fingerprint: a link then stops
working when what it was sent for changes, without any table of issued links.
"""

from django.core import signing


def make_token(pk: int, fingerprint: str, *, salt: str) -> str:
    return signing.dumps([pk, fingerprint], salt=salt)


def read_token(token: str, *, salt: str, max_age=None) -> tuple[int, str] | None:
    """(id, fingerprint), or None when the token is forged, mangled or older than max_age."""
    try:
        pk, fingerprint = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return pk, fingerprint
