"""The letter campaign's page, drawn on every view (a shared link brings a crowd to it): the
faster drawing (widgets written in Python, the layout's parts drawn once) writes the same page as
the plain drawing, in both directions, with and without errors."""

import pytest

from tadamun.events.tests.test_page_cost import page_bytes


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("data", [None, {"name": "", "email": "not <an> address", "city": ""}])
def test_the_letter_page_is_the_page_drawn_plainly(
    client, make_letter_campaign, drawn_plainly, language, data
):
    campaign = make_letter_campaign()
    path = f"/{language}/letters/{campaign.slug}/"

    def draw():
        return client.get(path) if data is None else client.post(f"{path}compose", data)

    draw()  # the layout's parts drawn and kept
    fast = draw()
    with drawn_plainly():
        plain = draw()
    assert fast.status_code == plain.status_code == 200
    assert page_bytes(fast) == page_bytes(plain)
    assert b'name="city"' in fast.content
    if data:
        assert b'class="errorlist"' in fast.content
