"""Rate limits for public forms, shared by every form that sends email or writes rows.

Two limits, both counted in the cache (Redis when configured) by django-ratelimit:
- per email address (its keyed hash): a hard limit, so nobody can make the site mail-bomb
  an address;
- per network (the day's keyed hash of the IP address, never the address): a soft limit.
  Many honest people share one address, so past it a form asks for a proof of work, or a
  short wait without JavaScript (core.pow), instead of refusing.
"""

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from tadamun.core import pow
from tadamun.core.privacy import email_hash, ratelimit_ip_key


def email_over_limit(request, group: str, email: str, rate: str) -> bool:
    return is_ratelimited(
        request,
        group=f"{group}-email",
        key=lambda _group, _request: email_hash(email),
        rate=rate,
        increment=True,
    )


def network_challenge(request, group: str, rate: str) -> str | None:
    """None when the request may go on; else a new challenge the form must carry back solved."""
    busy = is_ratelimited(
        request, group=f"{group}-network", key=ratelimit_ip_key, rate=rate, increment=True
    )
    if not busy or pow.is_solved(
        request, request.POST.get("pow_challenge", ""), request.POST.get("pow_solution", "")
    ):
        return None
    return pow.new_challenge(request)


def email_limit_message() -> str:
    return _(
        "This address was used many times in the last hour. Please check your inbox for "
        "the confirmation link, or try again later."
    )


def network_limit_message() -> str:
    return _(
        "Many forms are coming from your network right now. To make sure you are a person, "
        "please send the form again: your browser does a short calculation, or, without "
        "JavaScript, wait %(seconds)s seconds first."
    ) % {"seconds": settings.POW_WAIT_SECONDS}
