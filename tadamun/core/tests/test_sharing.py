"""Share links and share cards: plain links carrying the page's address, correctly encoded;
cards drawn on this server, Arabic shaped, redrawn when what they show changes."""

import re
from html import unescape
from io import BytesIO
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from tadamun.core import cards
from tadamun.core.sharing import share_links

URL = "https://tadamun.example/ar/petitions/open-the-borders/?source=a&b"
TEXT = "افتحوا الحدود & more"
# Which query parameter of each service carries the address, and which the text.
CARRIES = {
    "email": ("body", "subject"),
    "WhatsApp": ("text", "text"),
    "Telegram": ("url", "text"),
    "X": ("url", "text"),
    "Bluesky": ("text", "text"),
    "Facebook": ("u", None),
}


def test_each_share_link_carries_the_address_and_text_encoded():
    links = dict(share_links(URL, TEXT))
    assert set(links) == set(CARRIES)  # Signal has no share address: the copy field serves
    for name, href in links.items():
        query = parse_qs(urlsplit(href).query)
        url_param, text_param = CARRIES[name]
        assert URL in query[url_param][0], name
        if text_param:
            assert TEXT in query[text_param][0], name
        assert " " not in href  # the address's own "&b" survived only because it was encoded


def test_every_thank_you_page_offers_the_share_links(client, sign, petition):
    signature = sign("amal@example.org", confirm=True)
    address = f"{settings.SITE_URL}/en/petitions/{petition.slug}/"
    for path in (f"/en/petitions/{petition.slug}/thanks/", f"/en/petitions/{petition.slug}/"):
        page = client.get(path).content.decode()
        hrefs = [unescape(h) for h in re.findall(r'href="(https://[^"]+)"', page)]
        whatsapp = next(h for h in hrefs if h.startswith("https://wa.me/"))
        assert parse_qs(urlsplit(whatsapp).query)["text"][0].endswith(address)
        assert f'readonly dir="ltr" value="{address}"' in page
    assert signature.status == "confirmed"
    confirmed = client.get(f"/en/petitions/{petition.slug}/confirmed/").content.decode()
    assert "https://t.me/share/url?url=" in confirmed


def test_arabic_on_a_card_is_shaped():
    """Raqm joins Arabic letters into their connected forms: the shaped word is narrower
    than the same letters drawn one by one in their isolated forms."""
    face = cards.font("arabic", 60)
    if not isinstance(face, ImageFont.FreeTypeFont) or not cards.features.check("raqm"):
        pytest.skip("no Raqm or no Arabic font on this system")
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    word = "تضامن"
    shaped = draw.textlength(word, font=face, direction="rtl")
    isolated = sum(draw.textlength(letter, font=face) for letter in word)
    assert shaped < 0.9 * isolated
    # and the card is drawn with it: an Arabic headline comes out differently from its
    # letters written apart
    joined = cards.draw_card(label="عريضة", headline=word, site="x", rtl=True)
    apart = cards.draw_card(label="عريضة", headline=" ".join(word), site="x", rtl=True)
    assert joined != apart


def test_the_petition_card_shows_the_live_count_and_is_redrawn_when_it_changes(
    client, sign, petition
):
    first = client.get(f"/ar/petitions/{petition.slug}/card.png")
    assert first.status_code == 200 and first["Content-Type"] == "image/png"
    assert Image.open(BytesIO(first.content)).size == (cards.WIDTH, cards.HEIGHT)
    again = client.get(f"/ar/petitions/{petition.slug}/card.png", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    sign("amal@example.org", confirm=True)
    second = client.get(f"/ar/petitions/{petition.slug}/card.png")
    assert second["ETag"] != first["ETag"] and second.content != first.content
    assert client.get("/ar/petitions/no-such-petition/card.png").status_code == 404


@pytest.mark.parametrize(("language", "shown"), [("en", "1,400"), ("ar", "1,400"), ("de", "1.400")])
def test_counts_are_grouped_in_the_readers_locale(client, petition, language, shown):
    petition.confirmed_count = 1400
    petition.save()
    page = client.get(f"/{language}/petitions/{petition.slug}/").content.decode()
    assert f"<strong>{shown}</strong>" in page
