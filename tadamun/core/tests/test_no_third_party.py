"""No page makes a browser contact another host: not a script, style, image, font or frame."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tadamun.core.tests.pages import LANGUAGES, collect, public_paths
from tadamun.publications.models import Publication

STATIC_DIR = Path(__file__).resolve().parents[2] / "static"


def assert_same_host(url: str, page: str):
    parts = urlsplit(url)
    assert not parts.netloc, f"{page} loads {url} from another host"
    assert parts.scheme in ("", "data"), f"{page} loads {url}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_loads_only_from_this_host(client, demo, language):
    slugs = list(Publication.objects.values_list("slug", flat=True))
    for path in public_paths(language, "idlib-solidarity", slugs):
        response = client.get(path)
        assert response.status_code < 500, path
        page = collect(response.content.decode())
        for url in page.urls:
            assert_same_host(url, path)
        assert page.inline_scripts == 0, f"{path} has an inline script"
        assert page.inline_styles == 0, f"{path} has an inline style or event handler"


def test_stylesheets_fetch_nothing_from_another_host():
    for css in STATIC_DIR.rglob("*.css"):
        text = css.read_text()
        assert "@import" not in text, css
        for url in re.findall(r"url\(([^)]*)\)", text):
            assert_same_host(url.strip("'\""), str(css))


def test_the_collector_sees_third_party_resources():
    page = collect(
        '<img src="https://cdn.example.net/a.png"><script src="//x.example/s.js"></script>'
        '<link rel="stylesheet" href="https://fonts.example/css"><p style="x">'
    )
    assert page.urls == [
        "https://cdn.example.net/a.png",
        "//x.example/s.js",
        "https://fonts.example/css",
    ]
    assert page.inline_styles == 1
    with pytest.raises(AssertionError):
        assert_same_host(page.urls[1], "test")
