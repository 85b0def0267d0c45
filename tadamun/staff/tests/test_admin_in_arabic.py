"""Every word of the back office in the staff member's language: the admin's index, every
app's page and every job's page rendered in Arabic, right to left, with no English app or model
name left (the libraries' apps included: they are named in the project's catalogues)."""

import json
import re

import pytest
from django.contrib import admin
from django.test import Client

from tadamun.staff import navigation

ARABIC = re.compile("[\u0600-\u06ff]")
CAPTION = re.compile(r"<caption>\s*<a[^>]*>([^<]*)</a>")
MODEL_ROW = re.compile(r'<th scope="row"[^>]*>\s*(?:<a[^>]*>)?([^<]*)<')
TITLE = re.compile(r"<h1>([^<]*)</h1>")
PROPER_NAMES = set()  # none yet: add a name that is the same in every language


def back_office_pages() -> list[str]:
    app_labels = sorted({model._meta.app_label for model in admin.site._registry})
    return [
        "/ar/admin/",
        *(f"/ar/admin/{label}/" for label in app_labels),
        *(f"/ar/admin/job/{slug}/" for slug in navigation.TITLES),
    ]


def english_names(html: str) -> list[str]:
    names = [*CAPTION.findall(html), *MODEL_ROW.findall(html), *TITLE.findall(html)]
    return [
        name.strip()
        for name in names
        if name.strip() and not ARABIC.search(name) and name.strip() not in PROPER_NAMES
    ]


@pytest.mark.django_db
def test_the_arabic_back_office_names_every_app_and_model_in_arabic(make_staff):
    client = Client()
    client.force_login(make_staff(username="root", is_superuser=True))
    left = {}
    for page in back_office_pages():
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert '<html lang="ar" dir="rtl">' in html, page
        if names := english_names(html):
            left[page] = names
    assert left == {}


@pytest.mark.django_db
def test_the_menu_is_by_job_with_the_models_nobody_uses_daily_last(make_staff):
    client = Client()
    client.force_login(make_staff(username="root", is_superuser=True))
    html = client.get("/en/admin/").content.decode()
    captions = CAPTION.findall(html)
    assert captions[0] == "Moderation"
    assert captions[-1] == "More"
    assert "Authentication and Authorization" not in captions
    more = client.get("/en/admin/job/more/").content.decode()
    assert "Recovery codes" in more or "Cities" in more
    assert client.get("/en/admin/job/nothing/").status_code == 404


@pytest.mark.parametrize(
    "language, words",
    [("ar", ["اختر كل %s", "أزل %s المحدّدة", "الأحد"]), ("de", ["Alle %s auswählen"])],
)
def test_the_admins_widgets_speak_the_staff_members_language(language, words, make_staff):
    """Django's own Arabic and German catalogues lack its newer widgets' messages ("Choose all
    %s" above a list to pick from); the project's djangojs catalogues complete them."""
    client = Client()
    client.force_login(make_staff(username="root", is_superuser=True))
    script = client.get(f"/{language}/admin/jsi18n/").content.decode()
    for word in words:
        assert json.dumps(word) in script, word  # as the catalogue writes it
