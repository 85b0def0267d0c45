"""A burst of every sealed form while the vault is locked (issue 15): RSVPs, letters,
endorsements and event proposals from many people in many languages, then the unlock and the
worker. Each is recorded once and confirmed by one mail in its writer's language; none is
lost, none doubled, also when a worker dies midway and the next one takes over."""

import itertools
import re
from io import BytesIO

import pytest
from django.core import mail
from PIL import Image

from tadamun import vault
from tadamun.coalition.models import Endorsement
from tadamun.coalition.tests.test_logo import image_file
from tadamun.core import intake, outbox
from tadamun.core.models import SealedSubmission
from tadamun.core.tests.test_mail_to_typed_addresses import (  # noqa: F401 - fixtures
    objects,
    submission,
)
from tadamun.events.models import Event, Rsvp
from tadamun.letters.models import Letter
from tadamun.vault import holder, keyring, store
from tadamun.vault.tests.conftest import sealed  # noqa: F401 - the fixture

LANGUAGES = ("ar", "fr", "de", "en", "es", "tr")
# Form -> (how many in the burst, its name in FORM_RATES, what each records).
BURST = {
    "events:rsvp": (20, "rsvp", lambda given: Rsvp.objects.filter(event=given["event"])),
    "letters:send": (20, "letter", lambda given: Letter.objects.all()),
    "coalition:endorse": (
        8,
        "endorse",
        lambda given: Endorsement.objects.filter(organisation=None),
    ),
    "events:propose": (
        6,
        "propose-event",
        lambda given: Event.objects.filter(title__startswith="Vigil"),
    ),
}


def address(route: str, n: int) -> str:
    return f"{route.replace(':', '-')}-{n}@example.net"


def in_language(path: str, language: str) -> str:
    return re.sub(r"^/\w\w/", f"/{language}/", path)


@pytest.fixture
def burst(client, objects, sealed, form_rate):  # noqa: F811
    """Every form of BURST posted its number of times while locked, each by another person
    in the next language; returns {address: language}."""
    for _count, name, _records in BURST.values():
        form_rate(name, address="1000/h", network="1000/h")
    languages = itertools.cycle(LANGUAGES)
    composed = [
        (route, n, next(languages), *submission(route, client, objects, address(route, n), n))
        for route, (count, _name, _records) in BURST.items()
        for n in range(count)
    ]  # composed while unlocked (the letter's second step)
    before = {route: records(objects).count() for route, (_c, _n, records) in BURST.items()}
    holder._memory.lock()
    sent = {}
    for route, n, language, path, data in composed:
        response = client.post(in_language(path, language), data)
        assert response.status_code in (200, 302), (route, n)
        sent[address(route, n)] = language
    assert SealedSubmission.objects.count() == len(composed)
    assert not mail.outbox
    for route, (_count, _name, records) in BURST.items():
        assert records(objects).count() == before[route], "nothing recorded while locked"
    return sent, before


def unlock(shares) -> None:
    holder._memory.put(keyring.unwrap(store.wrapped(), shares[:2]))


def assert_each_recorded_and_mailed_once(objects, sent, before):  # noqa: F811
    assert not SealedSubmission.objects.exists()
    for route, (count, _name, records) in BURST.items():
        assert records(objects).count() == before[route] + count, route
    assert sorted(message.to[0] for message in mail.outbox) == sorted(sent)
    for message in mail.outbox:
        language = sent[message.to[0]]
        assert f"/{language}/" in message.body, (message.to, language)  # its links
    subjects = {sent[message.to[0]]: message.subject for message in mail.outbox}
    assert len(set(subjects.values())) > 1  # not one language for all


def test_a_locked_burst_is_recorded_and_mailed_once_each_after_unlock(
    burst,
    objects,  # noqa: F811
    sealed,  # noqa: F811
):
    sent, before = burst
    with pytest.raises(vault.Locked):  # still locked: the worker waits
        intake.record_sealed.call()
    assert SealedSubmission.objects.count() == len(sent)
    unlock(sealed)
    assert intake.record_sealed.call() == len(sent)
    assert intake.record_sealed.call() == 0  # a second worker finds nothing
    outbox.drain()
    assert_each_recorded_and_mailed_once(objects, sent, before)


def test_a_worker_dying_midway_leaves_its_submission_to_the_next(
    burst,
    objects,  # noqa: F811
    sealed,  # noqa: F811
    monkeypatch,
):
    """The service ran, then the worker died before its commit: the row and what it wrote
    roll back together, and the next run records it once."""
    sent, before = burst
    put = outbox.put
    calls = itertools.count()

    def dies_on_the_seventh(*args, **kwargs):
        put(*args, **kwargs)
        if next(calls) == 6:
            raise RuntimeError("killed")

    monkeypatch.setattr(outbox, "put", dies_on_the_seventh)
    unlock(sealed)
    assert intake.record_sealed.call() == len(sent) - 1
    (left,) = SealedSubmission.objects.all()
    assert left.attempts == 1
    monkeypatch.setattr(outbox, "put", put)
    assert intake.record_sealed.call() == 1
    outbox.drain()
    assert_each_recorded_and_mailed_once(objects, sent, before)


def test_an_endorsement_sent_while_locked_keeps_its_logo(
    client,
    objects,  # noqa: F811
    sealed,  # noqa: F811
):
    path, data = submission("coalition:endorse", client, objects, "logo@example.net", 1)
    logo = image_file("JPEG", (1600, 1200), "a.jpg")
    holder._memory.lock()
    assert client.post(path, {**data, "logo": logo}).status_code == 302
    unlock(sealed)
    assert intake.record_sealed.call() == 1
    endorsement = Endorsement.objects.filter(organisation=None).latest("pk")
    with Image.open(BytesIO(bytes(endorsement.submitted_logo))) as stored:
        assert stored.format == "PNG" and max(stored.size) <= 400  # re-encoded, as unlocked


@pytest.mark.parametrize("route", ["events:rsvp", "letters:send"])
def test_a_submission_sealed_for_what_closed_before_unlock_is_dropped_not_recorded(
    route,
    client,
    objects,  # noqa: F811
    sealed,  # noqa: F811
    form_rate,
):
    """The event stopped taking RSVPs (cancelled), the letter campaign closed, while the
    vault was locked: the service refuses what was sealed for it, as its form would have."""
    form_rate({"events:rsvp": "rsvp", "letters:send": "letter"}[route], address="10/h")
    path, data = submission(route, client, objects, "late@example.net", 1)
    holder._memory.lock()
    assert client.post(path, data).status_code in (200, 302)
    assert SealedSubmission.objects.count() == 1
    if route == "events:rsvp":
        Event.objects.filter(pk=objects["event"].pk).update(status=Event.Status.CANCELLED)
    else:
        objects["letters"].__class__.objects.filter(pk=objects["letters"].pk).update(
            status="closed"
        )
    unlock(sealed)
    assert intake.record_sealed.call() == 0
    assert not SealedSubmission.objects.exists()  # dropped, not retried
    outbox.drain()
    assert not mail.outbox
    assert not Rsvp.objects.filter(supporter__email_hash__isnull=False, name="late").exists()
