"""The event page, drawn on every view (a shared link brings a crowd to it): the faster
drawing (forms written by core.forms.PythonWidgets) writes the same page as Django's
templates, in both directions, with and without errors."""

import re

import pytest
from django.test import override_settings

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
DJANGO_RENDERER = "django.forms.renderers.DjangoTemplates"


def page_bytes(response) -> bytes:
    """The page without its CSRF token, masked afresh on every view."""
    return CSRF.sub(b"csrf", response.content)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("data", [None, {"name": "", "email": "not <an> address"}])
def test_the_event_page_is_the_page_django_draws(client, sign_up_event, language, data):
    event = sign_up_event()
    path = f"/{language}/events/{event.pk}/"

    def draw():
        if data is None:
            return client.get(path)
        return client.post(f"{path}rsvp/", data)

    fast = draw()
    with override_settings(FORM_RENDERER=DJANGO_RENDERER):
        plain = draw()
    assert fast.status_code == plain.status_code == 200
    assert page_bytes(fast) == page_bytes(plain)
    assert b'name="email"' in fast.content
    if data:
        assert b'class="errorlist"' in fast.content
