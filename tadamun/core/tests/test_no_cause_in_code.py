"""Any cause, any coalition (DESIGN.md, principle 8): no template, email text or translated
message names the demo's campaign; its words live only in the demo loader and its content."""

import re
from pathlib import Path

import polib

TADAMUN = Path(__file__).resolve().parents[2]
# The demo's cause, in the languages its content is written in.
CAUSE = re.compile(r"idlib|idleb|syri[ae]n?|suriye|إدلب|سوري", re.IGNORECASE)


def shipped(path: Path) -> bool:
    return not {"demo", "tests"} & set(path.relative_to(TADAMUN).parts)


def test_no_template_or_email_text_names_the_demos_cause():
    templates = [
        path
        for pattern in ("*.html", "*.txt")
        for path in TADAMUN.rglob(pattern)
        if shipped(path) and "templates" in path.parts
    ]
    assert len(templates) > 100
    naming = [
        str(path.relative_to(TADAMUN)) for path in templates if CAUSE.search(path.read_text())
    ]
    assert naming == []


def test_no_translated_message_names_the_demos_cause():
    for catalogue in TADAMUN.glob("locale/*/LC_MESSAGES/django.po"):
        naming = [
            entry.msgid
            for entry in polib.pofile(str(catalogue))
            if CAUSE.search(entry.msgid) or CAUSE.search(entry.msgstr)
        ]
        assert naming == [], catalogue.parent.parent.name
