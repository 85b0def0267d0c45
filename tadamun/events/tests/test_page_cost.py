"""The event page, drawn on every view (a shared link brings a crowd to it): the faster
drawing (widgets written in Python, the layout's parts drawn once) writes the same page as
the plain drawing, in both directions, with and without errors."""

import re

import pytest

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def page_bytes(response) -> bytes:
    """The page without its CSRF token, masked afresh on every view."""
    return CSRF.sub(b"csrf", response.content)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("data", [None, {"name": "", "email": "not <an> address"}])
def test_the_event_page_is_the_page_drawn_plainly(
    client, sign_up_event, drawn_plainly, language, data
):
    event = sign_up_event()
    path = f"/{language}/events/{event.pk}/"

    def draw():
        if data is None:
            return client.get(path)
        return client.post(f"{path}rsvp/", data)

    draw()  # the layout's parts drawn and kept
    fast = draw()
    with drawn_plainly():
        plain = draw()
    assert fast.status_code == plain.status_code == 200
    assert page_bytes(fast) == page_bytes(plain)
    assert b'name="email"' in fast.content
    if data:
        assert b'class="errorlist"' in fast.content
