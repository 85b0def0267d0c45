"""A mailing's summary is in the email, and its plain-text part is text, not Markdown."""

from tadamun.core.markdown import markdown_to_text
from tadamun.mailings.rendering import edition

BODY = """Dear {name},

We are **ten thousand** now: read [the report](https://example.org/report).

## What next

- Sign the *petition*
- Come on Saturday

1. First
2. Second

> Quoted words
"""


def test_markdown_becomes_plain_text_without_its_marks():
    assert markdown_to_text(BODY) == (
        "Dear {name},\n\n"
        "We are ten thousand now: read the report (https://example.org/report).\n\n"
        "What next\n\n"
        "- Sign the petition\n- Come on Saturday\n\n"
        "1. First\n2. Second\n\n"
        "> Quoted words\n"
    )


def test_a_bare_address_is_written_once():
    assert markdown_to_text("See <https://example.org>.") == "See https://example.org.\n"


def test_the_email_starts_with_the_summary_in_both_parts(make_mailing):
    mailing = make_mailing(body=BODY)
    copy = edition(mailing, "en")
    assert copy.text.startswith("Join us on Saturday.\n\nDear {name},\n\nWe are ten thousand")
    for mark in ("**", "](", "## ", "*petition*"):
        assert mark not in copy.text
    assert "<p><strong>Join us on Saturday.</strong></p>" in copy.html
    assert "<strong>ten thousand</strong>" in copy.html


def test_a_mailing_without_a_summary_starts_with_its_text(make_mailing):
    copy = edition(make_mailing(summary=""), "en")
    assert copy.text.startswith("Dear {name},")
    assert "<p><strong></strong></p>" not in copy.html
