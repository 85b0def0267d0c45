"""The letter campaign's page, drawn on every view (a shared link brings a crowd to it): the
faster drawing (forms written by core.forms.PythonWidgets) writes the same page as Django's
templates, in both directions, with and without errors."""

import pytest
from django.test import override_settings

from tadamun.events.tests.test_page_cost import DJANGO_RENDERER, page_bytes


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("data", [None, {"name": "", "email": "not <an> address", "city": ""}])
def test_the_letter_page_is_the_page_django_draws(client, make_letter_campaign, language, data):
    campaign = make_letter_campaign()
    path = f"/{language}/letters/{campaign.slug}/"

    def draw():
        return client.get(path) if data is None else client.post(f"{path}compose", data)

    fast = draw()
    with override_settings(FORM_RENDERER=DJANGO_RENDERER):
        plain = draw()
    assert fast.status_code == plain.status_code == 200
    assert page_bytes(fast) == page_bytes(plain)
    assert b'name="city"' in fast.content
    if data:
        assert b'class="errorlist"' in fast.content
