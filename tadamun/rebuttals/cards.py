"""Share cards: the picture a chat app or social network shows beside a link to a claim
(OpenGraph), drawn on this server: nothing is asked of any other host.

1200×630 PNG: the verdict on a coloured band, the claim wrapped below it, the site's name.
Arabic is shaped and laid out right to left by Pillow's Raqm layout (libraqm with FriBiDi
and HarfBuzz). Fonts come from the system (Debian's fonts-noto-core, else DejaVu); without
either the card falls back to Pillow's own font, which draws Latin text only.
"""

from functools import cache
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
VERDICT_COLOURS = {
    "false": "#b3261e",
    "misleading": "#b85c00",
    "context": "#7a5c00",
    "unproven": "#5a5a5a",
    "true": "#1b6b45",
}
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


def _wrap(draw, text: str, face, width: int, direction: str | None) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=face, direction=direction) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines


def draw_card(*, claim_text: str, verdict: str, verdict_label: str, site: str, rtl: bool) -> bytes:
    script = "arabic" if rtl else "latin"
    direction = "rtl" if rtl and features.check("raqm") else None
    image = Image.new("RGB", (WIDTH, HEIGHT), "#fbfaf7")
    draw = ImageDraw.Draw(image)
    colour = VERDICT_COLOURS.get(verdict, "#5a5a5a")
    draw.rectangle([0, 0, WIDTH, 120], fill=colour)
    anchor = "ra" if rtl else "la"
    x = WIDTH - MARGIN if rtl else MARGIN
    draw.text(
        (x, 30),
        verdict_label,
        fill="white",
        font=font(script, 56),
        anchor=anchor,
        direction=direction,
    )
    size = 56
    while True:
        face = font(script, size)
        lines = _wrap(draw, claim_text, face, WIDTH - 2 * MARGIN, direction)
        if len(lines) * size * 1.35 <= HEIGHT - 280 or size <= 30:
            break
        size -= 4
    lines = lines[: int((HEIGHT - 280) // (size * 1.35))]
    y = 170
    for line in lines:
        draw.text((x, y), line, fill="#1d1d1b", font=face, anchor=anchor, direction=direction)
        y += int(size * 1.35)
    draw.text(
        (x, HEIGHT - MARGIN - 36),
        site,
        fill="#555555",
        font=font(script, 32),
        anchor=anchor,
        direction=direction,
    )
    output = BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
