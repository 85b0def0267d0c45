"""The site's identity is data (DESIGN.md, principle 8): what a coalition admin sets in the one
SiteIdentity record, translated, reaches pages, every email's From: and sign-off, the letters
officials receive, mailings and the API; blank fields read as neutral defaults."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tadamun.core.identity import site_identity
from tadamun.core.models import SiteIdentity


@pytest.fixture
def identity(coalition_identity):
    return coalition_identity


def page(client, name, language="fr"):
    with translation.override(language):
        response = client.get(reverse(name))
    assert response.status_code == 200
    return response.content.decode()


def test_the_neutral_defaults_name_no_coalition_and_are_translated(db):
    assert SiteIdentity.objects.get(pk=1).title == ""  # the migration's blank record
    english = site_identity("en")
    assert english.name == "Tadamun"
    assert english.sign_off == "Tadamun"
    assert english.description == "Tadamun: an international solidarity campaign platform."
    assert english.from_email == "Tadamun <noreply@localhost>"
    assert "{name}" in english.letter_footer
    arabic = site_identity("ar")
    assert arabic.name == "تضامن"
    assert arabic.letters_intro != english.letters_intro


def test_pages_show_the_name_description_and_intros_in_the_readers_language(client, identity):
    home = page(client, "home")
    assert "<title>Accueil · Solidarité Nord</title>" in home
    assert '<meta name="description" content="Une coalition pour le Nord.">' in home
    assert '<span dir="auto">Solidarité Nord</span>' in home  # the header
    assert "Solidarité Nord est animé par une coalition" in home  # the footer
    assert "Tadamun" not in home
    assert "Écrivez-leur." in page(client, "letters:list")
    assert "Ce qu’ils disent, et ce qui est vrai." in page(client, "rebuttals:index")
    assert "Où donner." in page(client, "aid:index")
    # A language without a translation reads the source, as all content does.
    assert '<span dir="auto">North Solidarity</span>' in page(client, "home", "de")


def test_a_saved_change_shows_at_once_though_the_identity_is_cached(client, identity):
    assert "Solidarité Nord" in page(client, "home")
    translated = identity.translations.get(language="fr")
    translated.title = "Solidarité Sud"
    translated.save()
    assert "Solidarité Sud" in page(client, "home")
    identity.title = "South Solidarity"
    identity.save()
    assert '<span dir="auto">South Solidarity</span>' in page(client, "home", "en")


def test_every_email_comes_from_the_identitys_sender_and_ends_with_its_sign_off(
    identity, petition, sign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign("amal@example.org", "FR", language="fr")
        sign("sami@example.org", "DE", language="en")
    message = mail.outbox[0]
    assert message.from_email == "L’équipe Solidarité Nord <hello@north.example>"
    assert "Avec vous, l’équipe du Nord" in message.body
    assert "Tadamun" not in message.body
    assert mail.outbox[1].from_email == "North Solidarity team <hello@north.example>"
    assert "With you, the North team" in mail.outbox[1].body


def test_feeds_and_the_back_office_wear_the_sites_name(client, identity, make_staff):
    for feed in ("watch:feed", "rebuttals:feed", "publications:feed"):
        atom = page(client, feed)
        assert "<title>Solidarité Nord\u00a0: " in atom, feed
        assert "Tadamun" not in atom, feed
    client.force_login(make_staff(username="root", is_superuser=True))
    assert "| Solidarité Nord</title>" in page(client, "admin:index")
