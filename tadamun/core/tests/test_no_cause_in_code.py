"""Any cause, any coalition (DESIGN.md, principle 8): no template, email text or translated
message names the demo's campaign or words its cause; its words live only in the demo loader
and its content. The site's name is data too (core.identity): what a supporter reads names the
coalition as its identity says, never the software."""

import re
from pathlib import Path

import polib

TADAMUN = Path(__file__).resolve().parents[2]
# The demo's cause, in the languages its content is written in.
CAUSE = re.compile(r"idlib|idleb|syri[ae]n?|suriye|إدلب|سوري", re.IGNORECASE)
# What the demo's cause is about, in the six languages: a page or an email for any campaign
# (a second one on public libraries, say) speaks of none of it.
CAUSE_TOPICS = re.compile(
    r"refugee|réfugi|flüchtling|refugiad|mülteci|لاجئ"
    r"|deport|expulsion|abschieb|sınır dışı|ترحيل"
    r"|asylum|\basile\b|\basyl|\basilo\b|sığınma|لجوء"
    r"|embass|ambassade|botschaft|embajada|büyükelçilik|سفار"
    r"|interior minister|ministre de l.intérieur|innenminist|ministro del interior|içişleri",
    re.IGNORECASE,
)
SOFTWARE = re.compile(r"\bTadamun\b")


def shipped(path: Path) -> bool:
    return not {"demo", "tests"} & set(path.relative_to(TADAMUN).parts)


def templates() -> list[Path]:
    found = [
        path
        for pattern in ("*.html", "*.txt")
        for path in TADAMUN.rglob(pattern)
        if shipped(path) and "templates" in path.parts
    ]
    assert len(found) > 100
    return found


def test_no_template_or_email_text_names_the_demos_cause():
    naming = [
        str(path.relative_to(TADAMUN)) for path in templates() if CAUSE.search(path.read_text())
    ]
    assert naming == []


def test_no_template_or_email_text_words_the_demos_cause():
    wording = {
        str(path.relative_to(TADAMUN)): match[0]
        for path in templates()
        if (match := CAUSE_TOPICS.search(path.read_text()))
    }
    assert wording == {}


def emails() -> list[Path]:
    """Every email the site sends (core.mail: a body beside its `_subject.txt`)."""
    return [
        path
        for path in templates()
        if path.parent.name == "email" and path.with_name(f"{path.stem}_subject.txt").exists()
    ]


def test_every_email_names_the_site_by_its_identity_never_by_the_softwares_name():
    """Signed with `identity.sign_off` (an organiser's message names `identity.name`), so a
    coalition that renamed its site is never "the Tadamun coalition". Staff emails name the
    software as the authenticator app shows it (settings.OTP_TOTP_ISSUER)."""
    bodies = {str(path.relative_to(TADAMUN)): path.read_text() for path in emails()}
    assert len(bodies) > 20
    assert [name for name, text in bodies.items() if "identity." not in text] == []
    naming = [
        name for name, text in bodies.items() if SOFTWARE.search(text) and "staff" not in name
    ]
    assert naming == []


def test_no_public_page_names_the_software_instead_of_the_site():
    """Public pages read the site's name from its identity (base.html's header and title).
    The back office and its login steps may name the software; 500.html is served as it is,
    without the database, so it cannot read the identity."""
    public = [
        path
        for path in templates()
        if not {"admin", "staff"} & set(path.parts) and path.name != "500.html"
    ]
    naming = [
        str(path.relative_to(TADAMUN)) for path in public if SOFTWARE.search(path.read_text())
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


def test_every_feeds_entries_are_written_by_the_site_not_the_software(coalition_identity):
    from importlib import import_module

    from django.contrib.syndication.views import Feed

    from tadamun.core.identity import site_identity

    feeds = [
        value
        for path in TADAMUN.glob("*/feeds.py")
        for value in vars(import_module(f"tadamun.{path.parent.name}.feeds")).values()
        if isinstance(value, type) and issubclass(value, Feed) and value is not Feed
    ]
    assert len(feeds) >= 3
    authors = {feed.__name__: feed().item_author_name(None) for feed in feeds}
    assert authors == dict.fromkeys(authors, site_identity().name)
