import pytest
from django.core.exceptions import ValidationError

from tadamun.core.text import normalise_name, validate_plain_text, validate_single_line


@pytest.mark.parametrize("value", ["abc\u202edcba", "x\u2066y", "\u200fname"])
def test_bidi_controls_are_refused(value):
    with pytest.raises(ValidationError) as error:
        validate_plain_text(value)
    assert error.value.code == "bidi_control"


def test_control_characters_are_refused_but_newlines_are_fine():
    validate_plain_text("line one\nline two\ttabbed")
    with pytest.raises(ValidationError):
        validate_plain_text("bell\x07")


def test_single_line_refuses_newlines():
    with pytest.raises(ValidationError):
        validate_single_line("two\nlines")


def test_arabic_text_is_accepted():
    validate_single_line("جمعية الأمل للإغاثة")


def test_names_are_normalised():
    assert normalise_name("  Amal   Relief\u00a0Network ") == "Amal Relief Network"
