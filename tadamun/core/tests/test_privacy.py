import time
from datetime import datetime, timedelta

import pytest
from django.test import RequestFactory

from tadamun.core.privacy import client_ip, email_hash, ip_hash


def request(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_forwarded_for_is_ignored_from_an_untrusted_peer(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_forwarded_for_is_believed_from_a_trusted_proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client wrote a fake first hop; the proxy appended the real one.
    forged = request("10.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.2")
    assert client_ip(forged) == "198.51.100.7"


def test_garbage_in_forwarded_for_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(request("10.0.0.1", "not-an-ip")) == "10.0.0.1"


def test_ip_hash_is_keyed_rotates_daily_and_hides_the_address(settings, monkeypatch):
    req = request("203.0.113.9")
    today = ip_hash(req)
    assert "203.0.113.9" not in today and len(today) == 32
    assert ip_hash(request("203.0.113.10")) != today
    tomorrow = datetime.now().astimezone() + timedelta(days=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: tomorrow)
    assert ip_hash(req) != today
    monkeypatch.undo()
    assert ip_hash(req) == today
    from django.core.cache import cache
    from django.utils import timezone

    cache.delete(f"network-secret:{timezone.now().date().isoformat()}")
    assert ip_hash(req) != today  # the day's secret gone from the cache: nothing links


@pytest.mark.parametrize("variant", ["Rania@Example.org", " rania@example.org "])
def test_email_hash_ignores_case_and_spaces(variant):
    assert email_hash(variant) == email_hash("rania@example.org")


def test_ipv6_addresses_count_by_their_64_network():
    one = ip_hash(request("2001:db8:1:2:aaaa::1"))
    assert ip_hash(request("2001:db8:1:2:ffff::9")) == one
    assert ip_hash(request("2001:db8:1:3::1")) != one


def rate_limit_lifetimes() -> dict[str, float]:
    """Seconds left to live of each rate-limit counter in the cache (locmem or Redis)."""
    from django.core.cache import cache

    if hasattr(cache, "_expire_info"):  # LocMemCache
        now = time.time()
        return {key: at - now for key, at in cache._expire_info.items() if ":rl:" in key}
    client = cache._cache.get_client(None)
    return {key.decode(): client.ttl(key) for key in client.scan_iter(match="*:rl:*")}


def test_rate_limit_counts_live_only_as_long_as_their_window(db, settings):
    from tadamun.core.limits import address_over_limit, network_challenge

    settings.FORM_RATES = {"privacy-test": {"address": "3/10m", "network": "5/h"}}
    before = rate_limit_lifetimes()
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    network_challenge(request, "privacy-test")
    address_over_limit(request, "privacy-test", "amal@example.org")
    made = {key: left for key, left in rate_limit_lifetimes().items() if key not in before}
    assert sorted(made.values())[0] <= 10 * 60 + 5  # the 10-minute count (5 s of slack)
    assert sorted(made.values())[-1] <= 60 * 60 + 5  # the hourly counts
    assert len(made) == 3 and min(made.values()) > 0  # the form's two, all forms' address
    assert not any("203.0.113.9" in key or "amal" in key for key in made)  # keyed hashes only
