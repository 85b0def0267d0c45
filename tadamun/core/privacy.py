"""Keyed hashes that let the site recognise an email address or an IP address without
storing it.

- `email_hash` is stable: it finds a supporter's record by email (the address itself is stored
  encrypted, which cannot be searched).
- `ip_hash` and `limit_hash` change every day: their key is a random secret made for the day
  and kept only in the cache (never the vault's hash key: limits and the staff login work while
  the vault is locked), so once the day is over nobody can tell which address a stored hash or
  a limit's counter stood for. Rate limits and the abuse view can group a day's requests
  by network; no hash links a person's visits across days. IPv6 addresses count by their
  /64 network, which one household or phone gets whole; an IPv4 address mapped into IPv6
  (`::ffff:203.0.113.9`, from a dual-stack socket) counts as the IPv4 address it carries.
"""

import hashlib
import hmac
import ipaddress
import secrets
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from tadamun import vault


def keyed_hash(purpose: str, value: str) -> str:
    """Under the vault's hash key (raises vault.Locked while it is locked)."""
    key = f"{vault.keys().hash_key}:{purpose}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def email_hash(email: str) -> str:
    return keyed_hash("email", normalise_email(email))


def email_domain(email: str) -> str:
    return normalise_email(email).rpartition("@")[2][:255]


@memoize
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


def network_of(address: str) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


# Without a cache, each process keys its hashes with its own secret (its limits are its own).
_PROCESS_SECRET = secrets.token_hex(16)


def _secret_of_the_day(day: str) -> str:
    key = f"network-secret:{day}"
    try:
        # Read first: the secret is there all day but for the first hash, and a form
        # submission makes three (one cache read each, not an add and a read).
        if secret := cache.get(key):
            return secret
        cache.add(key, secrets.token_hex(16), timeout=2 * 24 * 3600)
        return cache.get(key) or _PROCESS_SECRET
    except Exception:  # noqa: BLE001 - without a cache the hash is still keyed and daily
        return _PROCESS_SECRET


def limit_hash(purpose: str, value: str) -> str:
    """A hash for counting (rate limits, lockouts) under the day's secret held only in the
    cache: it needs no key from the vault and means nothing once the day's secret expired."""
    day = timezone.now().date().isoformat()
    key = f"{_secret_of_the_day(day)}:{day}:{purpose}".encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


def ip_hash(request) -> str:
    return limit_hash("ip", network_of(client_ip(request)))[:32]


def ratelimit_ip_key(group, request) -> str:
    """django-ratelimit key: the day's hash of the client address, never the address."""
    return ip_hash(request)
