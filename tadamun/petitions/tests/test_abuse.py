"""Rate limits, the proof-of-work escalation and the admin's review of busy sources."""

import time

import pytest
from django.test import Client

from tadamun.core import pow
from tadamun.petitions.models import Signature
from tadamun.petitions.tests.helpers import sign_form
from tadamun.staff import roles

SIGN = "/en/petitions/open-the-borders/sign/"


def test_one_address_cannot_sign_without_end(form_rate, client, petition):
    form_rate("sign", address="3/h")
    for _ in range(3):
        assert client.post(SIGN, sign_form()).status_code == 302
    response = client.post(SIGN, sign_form())
    assert response.status_code == 429
    assert b'id="id_email_error"' in response.content


def test_a_busy_network_is_asked_for_work_not_locked_out(
    form_rate, client, petition, settings, django_capture_on_commit_callbacks
):
    form_rate("sign", network="2/h")
    settings.POW_DIFFICULTY = 8
    for index in range(2):
        assert client.post(SIGN, sign_form(email=f"p{index}@example.org")).status_code == 302
    held = client.post(SIGN, sign_form(email="third@example.org"))
    assert held.status_code == 429
    html = held.content.decode()
    assert 'value="third@example.org"' in html  # the input is kept
    challenge = html.split('name="pow_challenge" value="')[1].split('"')[0]
    assert "js/pow.js" in html

    solution = pow.solve(challenge, 8)
    with django_capture_on_commit_callbacks(execute=True):
        solved = client.post(
            SIGN,
            sign_form(email="third@example.org", pow_challenge=challenge, pow_solution=solution),
        )
    assert solved.status_code == 302
    assert Signature.objects.count() == 3

    # A challenge counts once.
    again = client.post(
        SIGN,
        sign_form(
            email="fourth@example.org",
            pow_challenge=challenge,
            pow_solution=pow.solve(challenge, 8),
        ),
    )
    assert again.status_code == 429


def test_without_javascript_waiting_is_the_proof(
    form_rate, client, petition, settings, monkeypatch
):
    form_rate("sign", network="1/h")
    settings.POW_DIFFICULTY = 30  # far too hard to stumble on
    client.post(SIGN, sign_form(email="p0@example.org"))
    html = client.post(SIGN, sign_form(email="p1@example.org")).content.decode()
    challenge = html.split('name="pow_challenge" value="')[1].split('"')[0]
    assert (
        client.post(
            SIGN, sign_form(email="p1@example.org", pow_challenge=challenge, pow_solution="")
        ).status_code
        == 429
    )
    later = time.time() + settings.POW_WAIT_SECONDS + 1
    monkeypatch.setattr("tadamun.core.pow.time.time", lambda: later)
    html = client.post(SIGN, sign_form(email="p1@example.org")).content.decode()
    challenge = html.split('name="pow_challenge" value="')[1].split('"')[0]
    monkeypatch.setattr("tadamun.core.pow.time.time", lambda: later + 25)
    assert (
        client.post(
            SIGN, sign_form(email="p1@example.org", pow_challenge=challenge, pow_solution="")
        ).status_code
        == 302
    )


def test_a_forged_challenge_is_refused(form_rate, client, petition):
    form_rate("sign", network="1/h")
    client.post(SIGN, sign_form(email="p0@example.org"))
    response = client.post(
        SIGN, sign_form(email="p1@example.org", pow_challenge="forged", pow_solution="1")
    )
    assert response.status_code == 429


def test_the_network_is_stored_as_a_daily_hash_only(
    client, petition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGN, sign_form(), REMOTE_ADDR="203.0.113.77")
    signature = Signature.objects.get()
    assert signature.ip_hash and "203.0.113.77" not in signature.ip_hash
    assert signature.email_domain == "example.org"


@pytest.fixture
def flood(client, petition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(5):
            client.post(
                SIGN, sign_form(email=f"bot{index}@spam.example"), REMOTE_ADDR="198.51.100.1"
            )
        client.post(SIGN, sign_form(email="honest@example.org"), REMOTE_ADDR="203.0.113.5")
    from tadamun.petitions import services

    for signature in Signature.objects.all():
        services.confirm(signature)
    petition.refresh_from_db()
    assert petition.confirmed_count == 6
    return petition


def test_admin_sees_the_busiest_sources_and_invalidates_one(flood, make_staff):
    admin = Client()
    admin.force_login(make_staff(roles.MODERATOR))
    url = f"/en/admin/petitions/petition/{flood.pk}/sources/"
    page = admin.get(url).content.decode()
    assert "spam.example" in page
    network = Signature.objects.filter(email_domain="spam.example").first().ip_hash
    assert network in page

    admin.post(url, {"network": network})
    flood.refresh_from_db()
    assert flood.confirmed_count == 1
    invalid = Signature.objects.filter(status=Signature.Status.INVALIDATED)
    assert invalid.count() == 5  # kept, marked, out of the counts
    assert invalid.first().invalidated_reason.startswith("Flood from one source")
    assert flood.country_counts.get(country="FR").count == 1


def test_reviewing_sources_needs_the_permission(flood, make_staff):
    organiser = Client()
    organiser.force_login(make_staff(roles.ORGANISER))
    url = f"/en/admin/petitions/petition/{flood.pk}/sources/"
    assert organiser.get(url).status_code == 403
    assert organiser.post(url, {"domain": "spam.example"}).status_code == 403
    flood.refresh_from_db()
    assert flood.confirmed_count == 6


def test_only_the_newest_challenge_of_a_network_counts(
    form_rate, client, petition, settings, monkeypatch
):
    form_rate("sign", network="1/h")
    client.post(SIGN, sign_form(email="p0@example.org"))
    pages = [
        client.post(SIGN, sign_form(email=f"p{n}@example.org")).content.decode() for n in (1, 2)
    ]
    first, newest = (page.split('name="pow_challenge" value="')[1].split('"')[0] for page in pages)
    later = time.time() + settings.POW_WAIT_SECONDS + 1
    monkeypatch.setattr("tadamun.core.pow.time.time", lambda: later)
    stale = client.post(SIGN, sign_form(email="p1@example.org", pow_challenge=first))
    assert stale.status_code == 429
    html = stale.content.decode()
    newest = html.split('name="pow_challenge" value="')[1].split('"')[0]
    monkeypatch.setattr("tadamun.core.pow.time.time", lambda: later + 30)
    assert (
        client.post(SIGN, sign_form(email="p1@example.org", pow_challenge=newest)).status_code
        == 302
    )


def test_a_challenge_is_valid_only_for_the_network_it_was_given_to(client, petition, settings):
    from django.test import RequestFactory

    settings.POW_DIFFICULTY = 8
    given_to = RequestFactory().post(SIGN, REMOTE_ADDR="203.0.113.1")
    challenge = str(pow.new_challenge(given_to))
    solution = pow.solve(challenge, 8)
    elsewhere = RequestFactory().post(SIGN, REMOTE_ADDR="198.51.100.200")
    assert not pow.is_solved(elsewhere, challenge, solution)
    assert pow.is_solved(given_to, challenge, solution)
    assert not pow.is_solved(given_to, challenge, solution)  # used up


def test_networks_are_forgotten_after_two_days(sign, petition):
    from datetime import timedelta

    from django.utils import timezone

    from tadamun.petitions.tasks import forget_networks

    old = sign("old@example.org", ip_hash="abc", confirm=True)
    sign("new@example.org", ip_hash="def")
    Signature.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    assert forget_networks.call() == 1
    assert Signature.objects.get(pk=old.pk).ip_hash == ""
    assert Signature.objects.exclude(pk=old.pk).get().ip_hash == "def"
