"""`{% unbound_form %}`: the petition's sign form, before anyone submits it, is drawn once per
process for a language, partner link and version of the petition, and never shown stale, to
another language or with another visitor's values."""

from pathlib import Path

from django.conf import settings

from tadamun.core.templatetags import tadamun as tags
from tadamun.petitions.models import Petition
from tadamun.petitions.tests.helpers import sign_form

PAGE = "/en/petitions/open-the-borders/"
SIGN = "/en/petitions/open-the-borders/sign/"


def _kept() -> int:
    return len(tags._UNBOUND_FORMS)


def test_the_form_is_kept_per_language_and_partner_link(client, petition, make_endorsement):
    partner = make_endorsement("Amal Network", "FR").organisation
    partner.partner_code = "amal"
    partner.save()
    tags._UNBOUND_FORMS.clear()
    client.get(PAGE)
    client.get(PAGE)
    assert _kept() == 1
    arabic = client.get(PAGE.replace("/en/", "/ar/")).content.decode()
    assert _kept() == 2 and 'lang="ar"' in arabic and "ألمانيا" in arabic
    with_partner = client.get(PAGE, {"source": "amal"}).content.decode()
    assert _kept() == 3
    assert 'name="shares_with_partner"' in with_partner and "Amal Network" in with_partner
    assert 'name="source" value="amal"' in with_partner
    assert 'name="shares_with_partner"' not in client.get(PAGE).content.decode()


def test_a_submitted_form_is_never_kept_and_shows_its_own_values(client, petition):
    tags._UNBOUND_FORMS.clear()
    first = client.post(SIGN, sign_form(name="Amal Haddad", email="not an address"))
    second = client.post(SIGN, sign_form(name="Yusuf Demir", email="still not one"))
    assert _kept() == 0
    assert 'value="Amal Haddad"' in first.content.decode()
    page = second.content.decode()
    assert 'value="Yusuf Demir"' in page and "Amal Haddad" not in page
    assert 'value="still not one"' in page
    assert "Amal Haddad" not in client.get(PAGE).content.decode()  # nor in the kept form


def test_a_saved_petition_draws_its_form_again(client, petition):
    client.get(PAGE)
    petition.slug = "open-them-now"
    petition.save()
    page = client.get("/en/petitions/open-them-now/").content.decode()
    assert 'action="/en/petitions/open-them-now/sign/"' in page
    assert "/open-the-borders/sign/" not in page


def test_a_wording_change_of_the_partner_draws_the_form_again(client, petition, make_endorsement):
    partner = make_endorsement("Amal Network", "FR").organisation
    partner.partner_code = "amal"
    partner.save()
    client.get(PAGE, {"source": "amal"})
    partner.name = "Amal Solidarity"
    partner.save()
    page = client.get(PAGE, {"source": "amal"}).content.decode()
    assert "Amal Solidarity" in page


def test_with_debug_on_no_form_is_kept(client, petition, settings):
    settings.DEBUG = True
    tags._UNBOUND_FORMS.clear()
    client.get(PAGE)
    assert _kept() == 0


def test_a_closed_petition_shows_no_kept_form(client, petition):
    client.get(PAGE)
    Petition.objects.filter(pk=petition.pk).update(status=Petition.Status.CLOSED)
    page = client.get(PAGE).content.decode()
    assert 'action="/en/petitions/open-the-borders/sign/"' not in page


def test_no_kept_form_holds_a_csrf_token():
    """A form with a CSRF token belongs to one visitor's session: no template wraps one in
    `{% unbound_form %}` (every template of the project is read)."""
    wrapped = 0
    for path in Path(settings.BASE_DIR, "tadamun").rglob("*.html"):
        text = path.read_text()
        for part in text.split("{% unbound_form ")[1:]:
            wrapped += 1
            assert "{% endunbound_form %}" in part, path
            inside = part[: part.index("{% endunbound_form %}")]
            assert "csrf_token" not in inside, path
    assert wrapped >= 1


def test_a_new_consent_wording_draws_the_form_again(client, petition, monkeypatch):
    """What a signer agrees to is never an old copy of the wording."""
    from tadamun.supporters import consents

    client.get(PAGE)
    monkeypatch.setitem(consents.WORDINGS, "updates-1", "Send me the coalition's news, please.")
    assert "Send me the coalition&#x27;s news, please." in client.get(PAGE).content.decode()
