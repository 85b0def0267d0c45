import pytest

from tadamun.core.tests.pages import LANGUAGES, collect


@pytest.mark.parametrize(
    ("language", "direction"),
    [("en", "ltr"), ("ar", "rtl"), ("fr", "ltr"), ("de", "ltr"), ("es", "ltr"), ("tr", "ltr")],
)
def test_html_lang_and_dir_follow_the_url_prefix(client, demo, language, direction):
    page = collect(client.get(f"/{language}/").content.decode())
    assert page.html_attrs == {"lang": language, "dir": direction}


def test_root_redirects_to_the_browsers_language(client, db):
    response = client.get("/", headers={"accept-language": "ar,en;q=0.5"})
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


def test_switcher_links_lead_to_the_same_page_in_each_language(client, demo):
    html = client.get("/en/campaigns/idlib-solidarity/endorsements/?q=x").content.decode()
    for language in LANGUAGES:
        assert (
            f'href="/{language}/campaigns/idlib-solidarity/endorsements/?q=x" '
            f'hreflang="{language}"' in html
        )
    assert 'aria-current="true">English</a>' in html


def test_switching_language_is_a_plain_link_that_needs_no_javascript(client, demo):
    html = client.get("/en/").content.decode()
    assert '<a href="/ar/" hreflang="ar" lang="ar" dir="rtl">العربيّة</a>' in html
    arabic = client.get("/ar/").content.decode()
    assert 'lang="ar" dir="rtl"' in arabic
    assert "Skip to content" not in arabic


def test_unknown_language_prefix_is_a_clean_404(client, db):
    assert client.get("/xx/").status_code == 404


def test_every_url_is_translated_in_the_admin_too(client, make_staff):
    client.force_login(make_staff(is_superuser=True))
    response = client.get("/fr/admin/")
    assert response.status_code == 200
    assert "Site d’administration" in response.content.decode()
