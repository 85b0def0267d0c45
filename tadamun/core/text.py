"""Validators for text typed by the public.

Bidirectional control characters can make a name display as something else (the "Trojan
Source" trick), and control characters corrupt exports and emails; both are refused with an
explanation rather than stored or silently dropped.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# C0 and C1 controls except tab, line feed and carriage return.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def validate_plain_text(value: str) -> None:
    if BIDI_CONTROLS.search(value):
        raise ValidationError(
            _("Please remove the invisible text-direction characters from this field."),
            code="bidi_control",
        )
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(
            _("This field contains control characters that cannot be stored."),
            code="control_character",
        )


def validate_single_line(value: str) -> None:
    validate_plain_text(value)
    if "\n" in value or "\r" in value:
        raise ValidationError(_("Please keep this to a single line."), code="multiline")


def normalise_name(value: str) -> str:
    """Unicode NFC and single spaces, so 'Amal  Relief' and 'Amal Relief' are one name."""
    return " ".join(unicodedata.normalize("NFC", value).split())


def name_key(value: str) -> str:
    """A key under which two spellings of one name meet: case, accents and the Turkish
    dotted/dotless i are ignored ("İnsan Hakları", "INSAN HAKLARI", "insan haklari").

    Computed in Python, not by the database's LOWER(), which on SQLite knows only ASCII.
    """
    decomposed = unicodedata.normalize("NFKD", normalise_name(value).casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.replace("ı", "i")


# Links people are sent to: web addresses only, never javascript:, data: or file:.
validate_web_address = URLValidator(schemes=["http", "https"])


def in_arabic_script(text: str) -> bool:
    """Whether `text` holds letters of the Arabic script (Arabic, Persian, Urdu, Kurdish...)."""
    return any("\u0600" <= c <= "\u06ff" for c in text)
