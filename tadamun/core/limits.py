"""Rate limits for public forms, shared by every form that sends email or writes rows.

Two limits, both counted in the cache (Redis when configured) by django-ratelimit:
- per email address (its keyed hash): a hard limit, so nobody can make the site mail-bomb
  an address;
- per network (the day's keyed hash of the IP address, never the address): a soft limit.
  Many honest people share one address, so past it a form asks for a proof of work, or a
  short wait without JavaScript (core.pow), instead of refusing.
"""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class HeldBack:
    """A form held back by a limit: its errors are set; show it again (status 429), with the
    proof-of-work challenge when there is one."""

    challenge: str | None = None
    status: int = 429


def hold_back(request, form, *, group: str, email_field: str, email_rate: str, network_rate: str):
    """Apply both limits to a valid `form`; None when it may go on."""
    if email_over_limit(request, group, form.cleaned_data[email_field], email_rate):
        form.add_error(email_field, email_limit_message())
        return HeldBack()
    if challenge := network_challenge(request, group, network_rate):
        form.add_error(None, network_limit_message())
        return HeldBack(challenge=challenge)
    return None
