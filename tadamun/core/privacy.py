"""Keyed hashes that let the site recognise an email address or an IP address without
storing it.

- `email_hash` is stable: it finds a supporter's record by email (the address itself is stored
  encrypted, which cannot be searched).
- `ip_hash` changes every day (the date is part of the key), so rate limits and the abuse view
  can group requests by address for a day, and no hash links a person's visits across days.
"""

import hashlib
import hmac
import ipaddress
from functools import cache

from django.conf import settings
from django.utils import timezone


def keyed_hash(purpose: str, value: str) -> str:
    key = f"{settings.HASH_KEY}:{purpose}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_hash(email: str) -> str:
    return keyed_hash("email", normalise_email(email))


def email_domain(email: str) -> str:
    return normalise_email(email).rpartition("@")[2][:255]


@cache
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The address of the client. X-Forwarded-For is believed only when the request comes
    from a configured trusted proxy; then the nearest address not itself a trusted proxy wins
    (anything further left could have been written by the client)."""
    address = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted_proxy(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for hop in reversed([part.strip() for part in forwarded.split(",") if part.strip()]):
        if not _is_trusted_proxy(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return address
    return address


def ip_hash(request) -> str:
    day = timezone.now().date().isoformat()
    return keyed_hash(f"ip:{day}", client_ip(request))[:32]


def ratelimit_ip_key(group, request) -> str:
    """django-ratelimit key: the day's hash of the client address, never the address."""
    return ip_hash(request)
