"""The newest pages (the vault of issue 15, the member organisations' pages of issue 19) as
their people see them: in Arabic on a 375 px phone, each as the role that uses it. None scrolls
sideways, and none shows English the catalogue translates (a string left out of gettext, or a
translation missing, reads as English on an Arabic page). Screenshots go to the test's tmp dir.
"""

import re
from pathlib import Path

import polib
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tadamun.vault import holder
from tadamun.vault.tests.conftest import sealed  # noqa: F401 - fixture
from tests.browser.test_dashboard import NO_OVERFLOW, signed_in

pytestmark = pytest.mark.browser

PHONE = 375
CATALOGUE = Path(__file__).resolve().parents[2] / "tadamun/locale/ar/LC_MESSAGES/django.po"
HEADER = "reference,name,title,institution,country,email,contact_form,groups,active\n"
# An organisation's own official, new; a shared one whose long contact addresses change.
THEIR_OFFICIALS = (
    HEADER + "lyon-mayor,Grégory Doucet,maire,Mairie de Lyon,FR,maire@lyon.example.org,,,yes\n"
)
SHARED_OFFICIALS = (
    HEADER + "fr-interior,Claire Martin-Dupont,ministre,Ministère,FR,"
    "secretariat.de.la.ministre@interieur-fr.example.org,"
    "https://www.interieur-fr.example.org/nous-contacter/formulaire-de-contact,,yes\n"
)


def known_english() -> set[str]:
    """The catalogue's English messages that have an Arabic translation: none may stand on an
    Arabic page. Messages with placeholders are left out (they show filled in)."""
    return {
        entry.msgid
        for entry in polib.pofile(str(CATALOGUE))
        if entry.translated()
        and entry.msgstr != entry.msgid
        and not entry.msgid_plural
        and not re.search(r"%|\{", entry.msgid)
        and len(entry.msgid) >= 4
    }


# Every text a reader sees as one piece (a label, a heading, a button): content that merely
# contains a message's words ("Information stall at the market") is not one of them.
PIECES = """() => {
  const buttons = document.querySelectorAll('input[type=submit], button');
  const pieces = [...buttons].map(button => button.value || button.innerText);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    // Not text: code, identifiers (a CSV file's columns), typed values; not the page's
    // language: a language's own name, the signed-in user's name.
    const skip = 'script, style, code, textarea, option, [lang]:not(html), #user-tools strong';
    if (node.parentElement.closest(skip)) continue;
    pieces.push(node.nodeValue);
  }
  return pieces.map(text => text.replace(/\\s+/g, ' ').trim().replace(/:$/, '')).filter(Boolean);
}"""


def _import_preview(user, address, officials: str) -> str:
    """A CSV of officials checked and waiting for confirmation: the import's preview page."""
    client = Client()
    client.force_login(user)
    upload = SimpleUploadedFile("officials.csv", officials.encode(), "text/csv")
    return client.post(address, {"file": upload})["Location"]


def _pages(django_capture_on_commit_callbacks):
    """(name, username or None for the public, address under /en/) of each page, after making
    what the demo lacks: a feature waiting for an answer, an organisation's mailing and letters
    with their officials' import waiting for confirmation."""
    from django.contrib.auth import get_user_model

    from tadamun.coalition.models import Feature, Organisation
    from tadamun.events.models import Event
    from tadamun.letters.models import LetterCampaign
    from tadamun.mailings.models import Mailing
    from tadamun.supporters.links import MY_DATA
    from tadamun.supporters.models import Supporter

    organiser = get_user_model().objects.get(username="organiser")  # the demo's
    mine = organiser.organisations.get()
    other = Organisation.objects.exclude(pk=mine.pk).filter(endorsements__status="approved")[0]
    series = Event.objects.filter(organisation=mine, shifts__isnull=False).earliest("starts_at")
    Feature.objects.create(organisation=other, event=series)
    mailing = Mailing.objects.create(
        title="Stall volunteers", body="Come and **help**.", language="en", partner=mine
    )
    shared = LetterCampaign.objects.first()
    letters = LetterCampaign.objects.create(
        campaign=shared.campaign, organisation=mine, slug="write-to-the-mayor",
        title="Write to the mayor", subject="A request", letter="Dear {name}", group=shared.group,
    )  # fmt: skip
    theirs = reverse("admin:letters_lettercampaign_officials", args=[letters.pk])
    admin = get_user_model().objects.get(username="coalition-admin")
    with django_capture_on_commit_callbacks(execute=True):
        their_preview = _import_preview(organiser, theirs, THEIR_OFFICIALS)
        shared_preview = _import_preview(
            admin, reverse("admin:letters_target_import"), SHARED_OFFICIALS
        )
    question = series.questions.get()
    amal = Supporter.objects.with_email("stall0@example.org").get()  # answered it
    return [
        ("dashboard-admin", "coalition-admin", "/en/admin/"),
        ("vault", "coalition-admin", "/en/admin/vault/"),
        ("officials-preview", "coalition-admin", shared_preview),
        ("dashboard-moderator", "moderator", "/en/admin/"),
        ("events-moderator", "moderator", "/en/admin/events/event/"),
        ("dashboard-organiser", "organiser", "/en/admin/"),
        ("mailings", "organiser", "/en/admin/mailings/mailing/"),
        ("mailing", "organiser", f"/en/admin/mailings/mailing/{mailing.pk}/change/"),
        ("questions", "organiser", "/en/admin/questions/question/"),
        ("question", "organiser", f"/en/admin/questions/question/{question.pk}/change/"),
        ("series", "organiser", f"/en/admin/events/event/{series.pk}/change/"),
        ("report", "organiser", f"/en/admin/coalition/organisation/{mine.pk}/report/"),
        ("features", "organiser", "/en/admin/coalition/feature/?waiting=yes"),
        ("their-officials-preview", "organiser", their_preview),
        ("organisation", None, f"/en/organisations/{mine.pk}/"),
        ("event-slots", None, series.get_absolute_url()),
        ("your-data", None, reverse("supporters:my_data", args=[MY_DATA.token(amal)])),
    ]


LOCKED = [
    ("locked-supporters", "coalition-admin", "/en/admin/supporters/supporter/"),
    ("locked-vault", "coalition-admin", "/en/admin/vault/"),
]


def test_the_new_pages_in_arabic_on_a_phone(
    browser,
    demo_site,
    make_staff,
    sealed,  # noqa: F811
    tmp_path,
    django_capture_on_commit_callbacks,
):
    from django.contrib.auth import get_user_model

    english = known_english()
    pages = _pages(django_capture_on_commit_callbacks)
    your_data = pages[-1][2]
    contexts = {}

    def look(name, who, path):
        if who not in contexts:
            user = get_user_model().objects.get(username=who) if who else None
            contexts[who] = (
                signed_in(browser, demo_site, user, PHONE)
                if user
                else browser.new_context(viewport={"width": PHONE, "height": 812})
            )
        page = contexts[who].new_page()
        page.goto(demo_site + path.replace("/en/", "/ar/", 1))
        page.screenshot(path=str(tmp_path / f"{name}-ar-{PHONE}.png"), full_page=True)
        assert page.locator("html").get_attribute("dir") == "rtl", name
        overflow = page.evaluate(NO_OVERFLOW)
        left = sorted(set(page.evaluate(PIECES)) & english)
        page.close()
        return {"scrolls sideways": not overflow, "English": left} if not overflow or left else {}

    found = {name: problems for name, who, path in pages if (problems := look(name, who, path))}
    holder._memory.lock()  # "lock now": the pages that need personal data say so
    locked = [*LOCKED, ("locked-your-data", None, your_data)]
    found |= {name: problems for name, who, path in locked if (problems := look(name, who, path))}
    for context in contexts.values():
        context.close()
    assert found == {}, f"screenshots in {tmp_path}"
