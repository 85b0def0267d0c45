"""Locks a staff account after repeated failed logins, counted in the cache.

The count is keyed by the day's hash of the username typed (never the name itself; no key
from the vault, so staff can log in while it is locked, to unlock it), so an attacker gains
nothing by spreading guesses over many networks, and a name that does not exist locks exactly
like one that does: the answer tells nobody which accounts exist.
"""

from django.conf import settings
from django_ratelimit.core import get_usage

from tadamun.core.privacy import limit_hash


def _failures(request, username: str, *, increment: bool) -> dict:
    return get_usage(
        request,
        group="staff-login",
        key=lambda _group, _request: limit_hash("staff-login", username.strip().casefold()),
        rate=settings.STAFF_LOGIN_FAILURES,
        increment=increment,
    )


def is_locked(request, username: str) -> bool:
    """True once the window holds as many failures as STAFF_LOGIN_FAILURES allows."""
    usage = _failures(request, username, increment=False)
    return usage["count"] >= usage["limit"]


def record_failure(request, username: str) -> None:
    _failures(request, username, increment=True)
