"""A coalition's colours, checked for legibility (WCAG 2.2 AA: 4.5:1 for text).

The site's brand colour is used as text on the page (links, figures) and as the background of
buttons whose text is `--accent-ink`; a colour is accepted only when both read well.
"""

import math
import re

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

PAPER = "#fdfcf9"  # the page's background (--paper in static/css/site.css)
INKS = ("#ffffff", "#1b1f23")  # text on a coloured background: white, else the page's ink
AA = 4.5
HEX = re.compile(r"#[0-9a-f]{6}")


def normalise(value: str) -> str:
    """`#ABC`, `abc` or `#aabbcc` as `#aabbcc`; anything else unchanged (the validator says)."""
    value = value.strip().lower()
    if not value.startswith("#"):
        value = f"#{value}"
    if re.fullmatch(r"#[0-9a-f]{3}", value):
        value = "#" + "".join(char * 2 for char in value[1:])
    return value


def luminance(colour: str) -> float:
    """WCAG's relative luminance of `#rrggbb`."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    red, green, blue = (
        c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    )
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def ink_for(*backgrounds: str) -> str:
    """The text colour that reads best on the weakest of `backgrounds`."""
    return max(INKS, key=lambda ink: min(contrast(ink, bg) for bg in backgrounds))


def darker(colour: str, by: float = 0.25) -> str:
    """`colour` mixed with black: the hover shade when a coalition gives one colour only."""
    channels = [round(int(colour[i : i + 2], 16) * (1 - by)) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in channels)


def _ratio(value: float) -> str:
    # Rounded down: 4.499 must not read as the 4.5 it fails to reach.
    return number_format(math.floor(value * 100) / 100, 2)


def validate_colour(value: str) -> None:
    """A `#rrggbb` colour legible as text on the page, with white or dark text legible on it."""
    colour = normalise(value)
    if not HEX.fullmatch(colour):
        raise ValidationError(
            _("Give a colour as six hexadecimal digits, e.g. #0b6b50."), code="format"
        )
    on_paper = contrast(colour, PAPER)
    if on_paper < AA:
        raise ValidationError(
            _(
                "Text in %(colour)s on the page's background has a contrast of %(ratio)s:1; "
                "at least 4.5:1 is needed. Choose a darker colour."
            ),
            code="contrast_on_paper",
            params={"colour": colour, "ratio": _ratio(on_paper)},
        )
    # With today's paper, a colour dark enough on it also carries white text; the check stays
    # because the paper is the default design's to change.
    best_ink = max(contrast(ink, colour) for ink in INKS)
    if best_ink < AA:
        raise ValidationError(
            _(
                "Button text on %(colour)s has a contrast of at most %(ratio)s:1; at least "
                "4.5:1 is needed. Choose a darker or a lighter colour."
            ),
            code="contrast_of_text",
            params={"colour": colour, "ratio": _ratio(best_ink)},
        )
