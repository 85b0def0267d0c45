"""The pieces of the limit on mail to typed addresses: the address key, the network of an
address, and the proof of work that grows with a network's volume (docs/security.md)."""

import pytest
from django.test import RequestFactory

from tadamun.core import limits, pow
from tadamun.core.privacy import network_of


@pytest.mark.parametrize(
    "variant",
    [
        "victim3@example.org",
        "Victim3@Example.ORG",
        "victim3+0@example.org",
        "Victim3+7@example.org",
        " victim3+a+b@example.org. ",
        "victim3@ＥＸＡＭＰＬＥ.org",  # fullwidth letters fold to the same domain
        '"victim3"@example.org',  # quoted and escaped: the mail server delivers to victim3@
        '"v\\ictim3"@example.org',
        '"\\vi\\ctim3+x"@example.org',
    ],
)
def test_variants_of_an_address_share_one_limit_key(variant):
    assert limits.address_key(variant) == limits.address_key("victim3@example.org")


@pytest.mark.parametrize("variant", ["v.ictim3@gmail.com", "VICTIM.3@googlemail.com"])
def test_gmail_ignores_dots_and_has_two_names(variant):
    assert limits.address_key(variant) == limits.address_key("victim3@gmail.com")


def test_dots_count_elsewhere():
    assert limits.address_key("v.ictim3@example.org") != limits.address_key("victim3@example.org")


def test_an_internationalised_domain_counts_as_its_ascii_form():
    assert limits.address_key("rania@BÜCHER.example") == limits.address_key(
        "rania@xn--bcher-kva.example"
    )


def test_different_addresses_keep_different_keys():
    assert limits.address_key("victim3@example.org") != limits.address_key("victim4@example.org")
    assert limits.address_key("a@example.org") != limits.address_key("a@example.net")


def test_an_address_the_key_cannot_read_still_gets_a_key():
    assert limits.address_key("no-at-sign") == limits.address_key("No-At-Sign")
    assert limits.address_key("x@bad..domain") != limits.address_key("x@example.org")


def test_ipv4_mapped_ipv6_addresses_count_as_their_ipv4_address():
    assert network_of("::ffff:203.0.113.9") == "203.0.113.9"
    assert network_of("::ffff:198.51.100.1") != network_of("::ffff:203.0.113.9")
    assert network_of("2001:db8:1:2::1") == "2001:db8:1:2::"


def _challenge_from(address):
    return pow.new_challenge(RequestFactory().post("/", REMOTE_ADDR=address))


def test_the_proof_of_work_grows_with_a_networks_volume_and_stays_bounded(settings):
    settings.POW_DIFFICULTY = 16
    settings.POW_MAX_DIFFICULTY = 20
    settings.POW_WAIT_SECONDS = 20
    settings.POW_MAX_WAIT_SECONDS = 120
    first = _challenge_from("198.51.100.1")
    assert (first.difficulty, first.wait_seconds) == (16, 20)
    for _ in range(200):
        busiest = _challenge_from("198.51.100.1")
    assert busiest.difficulty == 20
    assert busiest.wait_seconds == 120
    assert _challenge_from("203.0.113.5").difficulty == 16  # other networks are not affected


def test_a_harder_challenge_needs_its_own_difficulty(settings):
    settings.POW_DIFFICULTY = 4
    settings.POW_MAX_DIFFICULTY = 8
    request = RequestFactory().post("/", REMOTE_ADDR="198.51.100.1")
    for _ in range(200):
        challenge = pow.new_challenge(request)
    assert challenge.difficulty == 8
    weak = next(
        str(n)
        for n in range(10**6)
        if 4 <= pow.leading_zero_bits(pow.digest(str(challenge), str(n))) < 8
    )
    assert not pow.is_solved(request, str(challenge), weak)
    assert pow.is_solved(request, str(challenge), pow.solve(str(challenge), 8))


def test_one_address_has_a_limit_across_all_forms_too(settings):
    settings.FORM_RATES = {name: {"address": "100/h", "network": "100/h"} for name in "ab"}
    settings.MAIL_PER_ADDRESS_RATE = "3/h"
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    answers = [
        limits.address_over_limit(request, form, address)
        for form, address in [
            ("a", "v@example.org"),
            ("b", "V+1@example.org"),
            ("a", "v@example.org"),
        ]
    ]
    assert answers == [False, False, False]
    assert limits.address_over_limit(request, "b", "v+2@EXAMPLE.org")
    assert not limits.address_over_limit(request, "b", "someone.else@example.org")


def test_the_api_variant_refuses_past_either_limit(settings):
    settings.FORM_RATES = {"api": {"address": "2/h", "network": "3/h"}}
    one = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    assert [limits.mail_refused(one, "api", "v@example.org") for _ in range(3)] == [
        False,
        False,
        True,
    ]
    assert not limits.mail_refused(one, "api", "w@example.org")  # the network's third
    assert limits.mail_refused(one, "api", "x@example.org")  # the network's fourth
    other = RequestFactory().post("/", REMOTE_ADDR="198.51.100.1")
    assert not limits.mail_refused(other, "api", "x@example.org")
