"""The limit on mail to typed addresses: every form or API route that makes the site email an
address someone typed goes through `hold_back` (forms) or `mail_refused` (the API), here and
nowhere else (docs/security.md, "Mail to typed addresses").

Each form has a name and its rates in the FORM_RATES setting; counts live in the cache (Redis
when configured), kept by django-ratelimit:
- per address (a keyed hash of it, normalised so that `+tags` and case or Unicode variants of
  the domain count as one mailbox): a hard limit for the form, and one for all forms together,
  so nobody can make the site mail-bomb an address;
- per network (the day's keyed hash of the IP address, never the address): a soft limit on a
  form. Many honest people share one address, so past it a form asks for a proof of work, or a
  short wait without JavaScript (core.pow), instead of refusing. The API has no page to show a
  challenge on: past its network rate it refuses (429).
"""

import unicodedata
from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address

from django.conf import settings
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from tadamun.core import pow
from tadamun.core.privacy import limit_hash, ratelimit_ip_key


def _ascii_domain(domain: str) -> str:
    """The domain as DNS sees it: IDNA (whose nameprep folds case and Unicode width), without
    the root's trailing dot. A domain IDNA cannot read is folded as plain text."""
    domain = domain.strip().rstrip(".")
    try:
        return domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return unicodedata.normalize("NFKC", domain).casefold()


# Mailboxes whose provider ignores dots in the local part, and its other name for them.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def _parsed(email: str) -> tuple[str, str]:
    """(local part, domain) as a mail server reads the address: quotes and backslash escapes
    undone (`"v\\ictim"@…` is delivered to `victim@…`, as Django's sanitize_address sends it)."""
    try:
        address = Address(addr_spec=email.strip())
        return address.username, address.domain
    except (ValueError, IndexError, HeaderParseError):
        local, _at, domain = email.strip().rpartition("@")
        return local, domain


def address_key(email: str) -> str:
    """The day's hash a limit counts an address by. Variants that reach one mailbox (quoted or
    escaped, a `+tag`, upper case, a domain's Unicode form or trailing dot, Gmail's dots) share
    it. For the limit only: the address is stored and mailed as typed."""
    local, domain = _parsed(email)
    local = unicodedata.normalize("NFKC", local).casefold().split("+", 1)[0]
    domain = _ascii_domain(domain)
    if domain in DOTLESS_DOMAINS:
        local, domain = local.replace(".", ""), DOTLESS_DOMAINS[domain]
    return limit_hash("mail-limit", f"{local}@{domain}")


def _rates(name: str) -> dict[str, str]:
    return settings.FORM_RATES[name]


def _counted(request, group: str, key, rate: str) -> bool:
    """Count this request in `group`; True when it is past `rate`."""
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)


def address_over_limit(request, name: str, email: str) -> bool:
    """Count a mail to `email` by form `name`; True when the form's rate for one address, or
    the rate of all forms together, is passed."""
    key = address_key(email)

    def by_address(_group, _request):
        return key

    over_form = _counted(request, f"{name}-email", by_address, _rates(name)["address"])
    over_all = _counted(request, "mail-any-form", by_address, settings.MAIL_PER_ADDRESS_RATE)
    return over_form or over_all


def network_over_limit(request, name: str, sender: str | None = None) -> bool:
    """Count a request of form `name` from its network, or from `sender` when the caller is
    known better than by its network (a partner's token); True past the form's rate."""
    key = ratelimit_ip_key if sender is None else (lambda _group, _request: sender)
    return _counted(request, f"{name}-network", key, _rates(name)["network"])


def network_challenge(request, name: str) -> pow.Challenge | None:
    """None when the request may go on; else a new challenge the form must carry back solved."""
    if not network_over_limit(request, name) or pow.is_solved(
        request, request.POST.get("pow_challenge", ""), request.POST.get("pow_solution", "")
    ):
        return None
    return pow.new_challenge(request)


def email_limit_message() -> str:
    return _(
        "This address was used many times in the last hour. Please check your inbox for "
        "the confirmation link, or try again later."
    )


def network_limit_message(challenge: pow.Challenge) -> str:
    return _(
        "Many forms are coming from your network right now. To make sure you are a person, "
        "please send the form again: your browser does a short calculation, or, without "
        "JavaScript, wait %(seconds)s seconds first."
    ) % {"seconds": challenge.wait_seconds}


@dataclass(frozen=True)
class HeldBack:
    """A form held back by a limit: its errors are set; show it again (status 429), with the
    proof-of-work challenge when there is one."""

    challenge: pow.Challenge | None = None
    status: int = 429


def hold_back(request, form, name: str, *, email_field: str = "email") -> HeldBack | None:
    """Apply form `name`'s limits (FORM_RATES) to a valid `form` that will make the site email
    the address in `email_field`; None when it may go on."""
    if address_over_limit(request, name, form.cleaned_data[email_field]):
        # Beside the field; above the form when the field is hidden (carried from a step before).
        shown_at = None if form.fields[email_field].widget.is_hidden else email_field
        form.add_error(shown_at, email_limit_message())
        return HeldBack()
    if challenge := network_challenge(request, name):
        form.add_error(None, network_limit_message(challenge))
        return HeldBack(challenge=challenge)
    return None


def mail_refused(request, name: str, email: str, *, sender: str | None = None) -> bool:
    """The form-less variant, for the API: True when a request of route `name` must not make
    the site email `email` (answer it with a 429). `sender` (a partner token's hash) is counted
    in place of the network: one partner's servers may sit on many networks."""
    return address_over_limit(request, name, email) or network_over_limit(request, name, sender)
