"""Share cards: the picture a chat app or social network shows beside a link (Open Graph),
drawn on this server, so nothing is asked of any other host.

1200×630 PNG: a label on a coloured band (a verdict, "Petition", an event's kind), the
headline wrapped below it, a line or two of facts (a live count, a date and a city), the
site's name. Arabic is shaped and laid out right to left by Pillow's Raqm layout (libraqm with
FriBiDi and HarfBuzz); each text takes the font and direction of its own script, so an Arabic
title on an English card reads right. Fonts come from the system (Debian's fonts-noto-core,
else DejaVu); without either the card falls back to Pillow's own font (Latin only).

`card_response` serves a card drawn once per distinct content, with an ETag so a crawler
that has it gets a 304.
"""

import hashlib
from collections.abc import Sequence
from functools import cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.cache import cache as django_cache
from django.http import HttpResponse, HttpResponseNotModified
from PIL import Image, ImageDraw, ImageFont, features

from tadamun.core.text import in_arabic_script

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
BAND_HEIGHT = 120
BACKGROUND, INK, MUTED = "#fbfaf7", "#1d1d1b", "#555555"
CARD_CACHE_SECONDS = 7 * 24 * 3600
FONT_DIRS = [Path("/usr/share/fonts/truetype/noto"), Path("/usr/share/fonts/truetype/dejavu")]
FONTS = {
    "latin": ["NotoSans-Bold.ttf", "NotoSans-Regular.ttf", "DejaVuSans-Bold.ttf"],
    "arabic": ["NotoNaskhArabic-Bold.ttf", "NotoSansArabic-Bold.ttf", "DejaVuSans-Bold.ttf"],
}


@cache
def font(script: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    for name in FONTS[script]:
        for folder in FONT_DIRS:
            if (folder / name).exists():
                return ImageFont.truetype(str(folder / name), size, layout_engine=engine)
    return ImageFont.load_default(size)


class _Writer:
    """Draws one text at a time in the font and direction of its own script."""

    def __init__(self, draw: ImageDraw.ImageDraw, page_rtl: bool):
        self.draw = draw
        self.page_rtl = page_rtl

    @staticmethod
    def style(text: str) -> tuple[str, str | None]:
        if in_arabic_script(text):
            return "arabic", ("rtl" if features.check("raqm") else None)
        return "latin", None

    def width(self, text: str, size: int) -> float:
        script, direction = self.style(text)
        return self.draw.textlength(text, font=font(script, size), direction=direction)

    def wrap(self, text: str, size: int, width: int) -> list[str]:
        lines, line = [], ""
        for word in text.split():
            candidate = f"{line} {word}".strip()
            if self.width(candidate, size) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        return [*lines, line] if line else lines

    def write(self, y: int, text: str, size: int, fill: str) -> None:
        script, direction = self.style(text)
        right = self.page_rtl or direction == "rtl"
        self.draw.text(
            (WIDTH - MARGIN if right else MARGIN, y),
            text,
            fill=fill,
            font=font(script, size),
            anchor="ra" if right else "la",
            direction=direction,
        )


def draw_card(
    *,
    label: str,
    headline: str,
    facts: Sequence[str] = (),
    site: str,
    rtl: bool,
    colour: str = "#0b6b50",
) -> bytes:
    """The card as PNG bytes. `rtl`: the page's language is written right to left."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    writer = _Writer(draw, rtl)
    draw.rectangle([0, 0, WIDTH, BAND_HEIGHT], fill=colour)
    writer.write(30, label, 56, "white")
    facts = [fact for fact in facts if fact]
    room = HEIGHT - BAND_HEIGHT - 160 - 56 * len(facts)
    size = 60
    while True:
        lines = writer.wrap(headline, size, WIDTH - 2 * MARGIN)
        if len(lines) * size * 1.35 <= room or size <= 30:
            break
        size -= 4
    y = BAND_HEIGHT + 44
    for line in lines[: max(1, int(room // (size * 1.35)))]:
        writer.write(y, line, size, INK)
        y += int(size * 1.35)
    y += 12
    for fact in facts:
        writer.write(y, fact, 40, INK)
        y += 56
    writer.write(HEIGHT - MARGIN - 36, site, 32, MUTED)
    output = BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def card_response(request, max_age: int = 3600, **card) -> HttpResponse:
    """The card drawn from `card` (draw_card's arguments), at most once per distinct card:
    the cache and the ETag are keyed by what it shows, so a changed title or count makes a
    new picture and an unchanged one costs a cache read (or a 304)."""
    digest = hashlib.sha256(repr(sorted(card.items())).encode()).hexdigest()[:32]
    etag = f'"{digest}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        key = f"card:{digest}"
        if (png := django_cache.get(key)) is None:
            png = draw_card(**card)
            django_cache.set(key, png, CARD_CACHE_SECONDS)
        response = HttpResponse(png, content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def site_name() -> str:
    """The site as a card names it: its host, which is what a reader types."""
    return settings.SITE_URL.split("://")[-1]
