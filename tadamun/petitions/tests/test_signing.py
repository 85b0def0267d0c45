import re

import pytest
from django.core import mail

from tadamun.core.identity import site_identity
from tadamun.petitions.models import (
    CountryCount,
    DailyCount,
    Petition,
    Signature,
    SignatureIntake,
)
from tadamun.petitions.tests.helpers import sign_form
from tadamun.supporters.models import Consent, Supporter

PAGE = "/en/petitions/open-the-borders/"
SIGN = "/en/petitions/open-the-borders/sign/"


def link_in(message):
    return re.search(r"https?://[^/\s]+(/\S+/petitions/confirm/\S+/)", message.body).group(1)


def test_sign_confirm_and_count_through_http(client, petition, django_capture_on_commit_callbacks):
    page = client.get(PAGE)
    assert page.status_code == 200
    assert b'action="/en/petitions/open-the-borders/sign/"' in page.content

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGN, sign_form())
    assert response.status_code == 302
    assert response["Location"] == "/en/petitions/open-the-borders/thanks/"
    petition.refresh_from_db()
    assert petition.confirmed_count == 0  # not before the email is confirmed

    message = mail.outbox[0]
    assert message.to == ["amal@example.org"]
    assert message.body.startswith("Hello,")  # never the name typed in the form
    link = link_in(message)

    assert b'method="post"' in client.get(link).content  # a scanner's GET confirms nothing
    assert Signature.objects.get().status == Signature.Status.UNCONFIRMED

    assert client.post(link).status_code == 302
    petition.refresh_from_db()
    assert petition.confirmed_count == 1
    assert CountryCount.objects.get(petition=petition).count == 1
    assert DailyCount.objects.get(petition=petition).count == 1

    html = client.get(PAGE).content.decode()
    assert '<bdi dir="auto">Amal</bdi> · France' in html  # first name and country only
    assert "Haddad" not in html and "amal@example.org" not in html


def test_email_is_in_the_language_of_the_page(client, petition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/tr/petitions/open-the-borders/sign/", sign_form())
    assert "/tr/petitions/confirm/" in mail.outbox[0].body


@pytest.mark.parametrize(
    "seconds, language, words",
    [
        (7 * 86400, "en", "The link works for 1\xa0week."),
        (2 * 86400, "en", "2\xa0days"),
        (3 * 3600, "ar", "يبقى الرابط صالحًا لمدة 3\xa0ساعات."),
    ],
)
def test_email_says_how_long_the_link_works(
    client, petition, settings, django_capture_on_commit_callbacks, seconds, language, words
):
    settings.CONFIRMATION_LINK_MAX_AGE = seconds
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/{language}/petitions/open-the-borders/sign/", sign_form())
    assert words in mail.outbox[0].body


def test_signing_again_resends_the_link_and_counts_once(
    client, petition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGN, sign_form())
    with django_capture_on_commit_callbacks(execute=True):  # after the first link went
        client.post(SIGN, sign_form(email="AMAL@example.org "))
    assert Signature.objects.count() == 1 and Supporter.objects.count() == 1
    assert len(mail.outbox) == 2
    client.post(link_in(mail.outbox[1]))
    client.post(link_in(mail.outbox[0]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGN, sign_form())
    assert len(mail.outbox) == 2  # confirmed: nothing more to send
    petition.refresh_from_db()
    assert petition.confirmed_count == 1


def test_expired_link_does_not_confirm(client, sign, settings):
    from tadamun.petitions.links import CONFIRM_SIGNATURE

    signature = sign("amal@example.org")
    settings.CONFIRMATION_LINK_MAX_AGE = -1
    response = client.post(f"/en/petitions/confirm/{CONFIRM_SIGNATURE.token(signature)}/")
    assert response.status_code == 400
    assert b"Sign the petition again" in response.content
    signature.refresh_from_db()
    assert signature.status == Signature.Status.UNCONFIRMED


def test_partner_code_is_recorded_and_its_consent_offered(
    client, petition, make_endorsement, django_capture_on_commit_callbacks
):
    partner = make_endorsement("Amal Network", "FR").organisation
    partner.partner_code = "amal"
    partner.save()
    page = client.get(PAGE, {"source": "amal"}).content.decode()
    assert 'name="shares_with_partner"' in page and "Amal Network" in page
    assert 'name="shares_with_partner"' not in client.get(PAGE).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(SIGN, sign_form(source="amal", shares_with_partner="on", wants_updates="on"))
    signature = Signature.objects.get()
    assert signature.source == "amal"
    # Anyone can type anyone's address: nothing is agreed until its owner confirms.
    assert not Consent.objects.exists()
    assert signature.supporter.name == ""
    confirm_page = client.get(link_in(mail.outbox[0])).content.decode()
    assert "Amal Network" in confirm_page  # the person sees what they are confirming
    client.post(link_in(mail.outbox[0]))
    signature.supporter.refresh_from_db()
    assert signature.supporter.name == "Amal Haddad"
    consents = {c.purpose: c for c in Consent.objects.all()}
    assert consents["partner"].organisation == partner
    assert consents["partner"].wording == "partner-1"
    assert consents["updates"].wording == "updates-1"
    assert consents["updates"].source == "petition:open-the-borders"


def test_no_consent_is_recorded_unless_ticked(client, petition):
    client.post(SIGN, sign_form())
    assert not Consent.objects.exists()


def test_the_honeypot_catches_bots_quietly(client, petition):
    response = client.post(SIGN, sign_form(website="http://spam.example"))
    assert response.status_code == 302
    assert not Signature.objects.exists() and not Supporter.objects.exists()


def test_a_closed_petition_takes_no_signature(client, petition):
    petition.status = Petition.Status.CLOSED
    petition.save()
    response = client.post(SIGN, sign_form())
    assert response.status_code == 409
    assert not Signature.objects.exists()
    assert b"This petition is closed" in response.content


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "Amal \u202eHaddad"),
        ("name", "x" * 1_000_000),
        ("name", "two\nlines"),
        ("email", "not-an-email"),
        ("email", "a@b.c\x00"),
        ("country", "ZZ"),
        ("comment", "y" * 5_000),
        ("comment", "bell\x07"),
    ],
)
def test_hostile_values_get_an_error_and_keep_the_rest(client, petition, field, value):
    response = client.post(SIGN, sign_form(**{field: value}))
    assert response.status_code in (200, 400)
    assert not Signature.objects.exists()
    if response.status_code == 200 and field != "source":
        assert f'id="id_{field}_error"'.encode() in response.content
        assert b'value="Amal Haddad"' in response.content or field == "name"


def test_html_in_a_name_is_never_shown(client, sign):
    """Not a name: the recent signers' list (public without a moderator) leaves it out."""
    sign("amal@example.org", name="<b>Amal</b> H", show_name=True, confirm=True)
    html = client.get(PAGE).content.decode()
    assert "<b>Amal</b>" not in html and "&lt;b&gt;Amal" not in html


def test_page_shows_progress_by_country_and_over_time(client, sign):
    for index, country in enumerate(["FR", "FR", "DE", "TR"]):
        sign(f"s{index}@example.org", country, confirm=True)
    html = client.get(PAGE).content.decode()
    assert '<progress max="10" value="4"' in html
    assert "<svg" in html and "<rect" in html
    assert "<td>France</td><td>2</td>" in html
    data = client.get("/en/petitions/open-the-borders/signatures.json").json()
    assert data["confirmed"] == 4 and data["goal"] == 10
    assert {"country": "FR", "confirmed": 2} in data["by_country"]
    assert sum(day["confirmed"] for day in data["by_day"]) == 4


@pytest.mark.parametrize(
    ("confirmed", "goals", "expected"),
    [
        (0, (10, 100, 1000), 10),
        (10, (10, 100, 1000), 100),
        (5000, (10, 100, 1000), 1000),  # the last one once all are reached
        (150, (), 1000),  # the default goals
        (150, (1000, 10), 1000),
    ],
)
def test_the_goal_is_the_next_one_to_reach(petition, confirmed, goals, expected):
    Petition.objects.update(confirmed_count=confirmed)
    petition.goals.all().delete()
    for signatures in goals:
        petition.goals.create(signatures=signatures)
    assert Petition.objects.get().goal == expected
    assert Petition.objects.with_goal().get().goal == expected


def test_goals_are_typed_one_number_per_field_in_the_admin(petition, make_staff):
    from django.test import Client

    from tadamun.staff import roles

    admin = Client()
    admin.force_login(make_staff(roles.COALITION_ADMIN))
    page = admin.get(f"/en/admin/petitions/petition/{petition.pk}/change/").content.decode()
    assert 'name="goals-0-signatures" value="10"' in page
    assert "[10, 100, 1000]" not in page


def test_only_the_embed_may_be_framed(client, petition):
    embed = client.get("/en/petitions/open-the-borders/embed/")
    assert "X-Frame-Options" not in embed
    assert "frame-ancestors *" in embed["Content-Security-Policy"]
    assert b"<progress" in embed.content
    page = client.get(PAGE)
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_rendering_costs_the_same_with_few_or_many_signatures(client, sign, petition):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign("first@example.org", confirm=True, show_name=True)
    site_identity()  # read once a minute (cached), not per page
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for index in range(40):
        sign(
            f"s{index}@example.org",
            ["FR", "DE", "TR", "ES"][index % 4],
            confirm=True,
            show_name=True,
        )
    with CaptureQueriesContext(connection) as many:
        client.get(PAGE)
    assert len(many) == len(few)
    counts_rows = [
        q for q in many if "COUNT(" in q["sql"] and 'FROM "petitions_signature"' in q["sql"]
    ]
    assert counts_rows == []


def test_the_page_is_served_from_the_cache_per_language_and_partner(
    client, sign, petition, settings, django_assert_num_queries
):
    settings.PETITION_PAGE_CACHE_SECONDS = 10
    first = client.get(PAGE)
    assert b"csrfmiddlewaretoken" not in first.content  # nothing personal: one page for all
    assert "Set-Cookie" not in first and not first.cookies
    with django_assert_num_queries(0):
        again = client.get(PAGE)
    assert again.content == first.content
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert client.get("/ar/petitions/open-the-borders/").content != first.content
    assert client.get(PAGE, {"source": "amal"}).status_code == 200


def test_signing_needs_no_session_or_token(petition):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(SIGN, sign_form())
    assert response.status_code == 302
    assert SignatureIntake.objects.count() == 1


def test_a_mangled_partner_code_is_dropped_not_an_error(
    client, petition, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGN, sign_form(source="<script>alert(1)</script>"))
    assert response.status_code == 302
    assert Signature.objects.get().source == ""


def test_the_cached_page_shows_no_visitors_messages(client, petition, settings, make_staff):
    from django.contrib import messages
    from django.test import Client

    settings.PETITION_PAGE_CACHE_SECONDS = 10
    admin = Client()
    admin.force_login(make_staff(is_superuser=True, username="boss"))
    session_page = admin.get("/en/admin/")  # any request, then a message in the session
    assert session_page.status_code == 200
    request = session_page.wsgi_request
    messages.success(request, "Secret admin notice")
    request._messages.update(session_page)
    admin.get(PAGE)
    assert b"Secret admin notice" not in client.get(PAGE).content


def test_the_list_says_when_a_petition_opens_rather_than_closed(client, petition):
    from datetime import timedelta

    from django.utils import timezone

    assert "Open ·" in client.get("/en/petitions/").content.decode()
    petition.opens_at = timezone.now() + timedelta(days=3)
    petition.save()
    listing = client.get("/en/petitions/").content.decode()
    assert "Opens on" in listing and "Closed" not in listing
    petition.opens_at = timezone.now() - timedelta(days=9)
    petition.closes_at = timezone.now() - timedelta(days=1)
    petition.save()
    assert "Closed ·" in client.get("/en/petitions/").content.decode()
