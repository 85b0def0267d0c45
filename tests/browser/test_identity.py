"""A coalition's own look in a real browser: its colour through the theme stylesheet, its logo
in the header and its hero image as WebP at the phone's size, right to left on a phone, with
nothing loaded from another host."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from tadamun.core import images
from tadamun.core.models import SiteIdentity

pytestmark = pytest.mark.browser

PLUM = "#7a1f5c"


def hero_upload() -> SimpleUploadedFile:
    """A wide picture: bands of the coalition's colour under a pale sky."""
    image = Image.new("RGB", (1600, 640), (236, 226, 232))
    draw = ImageDraw.Draw(image)
    for band in range(8):
        shade = (122 + band * 12, 31 + band * 20, 92 + band * 14)
        draw.rectangle((0, 320 + band * 40, 1600, 360 + band * 40), fill=shade)
    buffer = BytesIO()
    image.save(buffer, format="JPEG")
    return SimpleUploadedFile("hero.jpg", buffer.getvalue(), content_type="image/jpeg")


def logo_upload() -> SimpleUploadedFile:
    """A light mark and bar on a transparent ground, as a coalition's logo might be."""
    image = Image.new("RGBA", (480, 120), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, 116, 116), fill=(255, 255, 255, 255))
    draw.ellipse((30, 30, 90, 90), fill=(122, 31, 92, 255))
    draw.rounded_rectangle((140, 40, 470, 80), radius=20, fill=(240, 200, 220, 255))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def coalition_look(demo_site):
    identity = SiteIdentity.objects.get()
    identity.main_colour = PLUM
    identity.logo = images.store_picture(logo_upload(), images.LOGO)
    identity.hero = images.store_picture(hero_upload(), images.HERO)
    identity.hero_alt = "People with banners"
    identity.save()
    return identity


def test_the_coalitions_colour_and_logo_on_an_arabic_phone(
    coalition_look, open_page, screenshot, external_requests
):
    page = open_page("/ar/", width=375)
    assert page.locator("html").get_attribute("dir") == "rtl"
    logo = page.locator(".brand picture img")
    assert logo.is_visible()
    assert page.evaluate(
        "(() => { const img = document.querySelector('.brand picture img');"
        " return img.complete && img.naturalWidth > 0 && img.currentSrc.endsWith('.webp'); })()"
    )
    box = logo.bounding_box()
    assert box["height"] == 36 and box["width"] <= 0.28 * 375  # one height, never squeezed
    card = page.locator(".action-card strong").first
    assert card.evaluate("el => getComputedStyle(el).color") == "rgb(122, 31, 92)"
    hero = page.locator("img.hero-image")
    assert hero.evaluate("img => img.currentSrc").endswith("-480.webp")  # the phone's size
    assert hero.bounding_box()["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "identity-home-ar-375")
    assert external_requests == []
