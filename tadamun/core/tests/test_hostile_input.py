"""Hostile input never causes a server error and is never rendered unescaped."""

import pytest

from tadamun.core.tests.pages import LANGUAGES

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "\u202egnp.exe",
    "x" * 1_000_000,
    "'; DROP TABLE coalition_endorsement; --",
    "\x00",
]


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_search_query_strings_are_escaped(client, demo, value):
    response = client.get(
        "/en/campaigns/idlib-solidarity/endorsements/", {"q": value, "country": value}
    )
    assert response.status_code in (200, 400)
    assert b"<script>alert(1)" not in response.content
    assert b"<img src=x" not in response.content


def test_invalid_utf8_in_the_query_string_is_not_a_server_error(client, demo):
    for language in LANGUAGES:
        response = client.get(
            f"/{language}/campaigns/idlib-solidarity/endorsements/",
            QUERY_STRING="q=%ff%fe%80&country=%c3%28",
        )
        assert response.status_code == 200


def test_a_huge_body_is_refused_cleanly(client, demo):
    response = client.post(
        "/en/campaigns/idlib-solidarity/endorse/",
        {"public_message": "x" * (3 * 1024 * 1024)},
    )
    assert response.status_code == 400


def test_page_numbers_that_are_not_numbers_fall_back_to_a_page(client, demo):
    response = client.get("/en/campaigns/idlib-solidarity/endorsements/", {"page": "-1'"})
    assert response.status_code == 200


def test_a_form_posted_without_its_csrf_token_gets_a_translated_403(demo):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/fr/campaigns/idlib-solidarity/endorse/", {"organisation_name": "x"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="fr" dir="ltr">' in html
    assert "Not allowed" not in html
