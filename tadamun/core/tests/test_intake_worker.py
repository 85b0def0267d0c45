"""The one worker path of the sealed intakes (core.intake_worker): a rush of RSVPs, letters
and endorsements is recorded a batch per transaction with one email each; a row that fails
rolls back alone and counts an attempt; two workers at once never record one row twice."""

import base64
import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection
from nacl.public import PrivateKey, SealedBox

from tadamun.coalition import services as coalition
from tadamun.coalition.models import Endorsement
from tadamun.core import intake, intake_worker, outbox
from tadamun.core.models import SealedSubmission
from tadamun.events import rsvps
from tadamun.events.models import Rsvp
from tadamun.events.tests.conftest import day, proposal, sign_up_event  # noqa: F401 - fixtures
from tadamun.letters import services as letters
from tadamun.letters.models import Letter
from tadamun.letters.tests.conftest import (  # noqa: F401 - fixtures
    make_letter_campaign,
    ministers,
    platform_campaign,
)
from tadamun.vault import sealing

LANGUAGES = ("ar", "fr", "de", "en", "es", "tr")


@pytest.fixture
def targets(sign_up_event, platform_campaign, campaign):  # noqa: F811
    made = {"event": sign_up_event(), "letters": platform_campaign, "campaign": campaign}
    outbox.drain()  # the event's organiser's links: sent before the burst
    mail.outbox.clear()
    return made


def seal(service, *args, **kwargs) -> None:
    """Keep a call as the form does while the vault is locked (intake.submit)."""
    intake.accept(intake.kind_of(service), service.sealed_email(*args, **kwargs), args, kwargs)


def rsvp(targets, email, language):
    seal(rsvps.answer, targets["event"], rsvps.RsvpRequest("Amal", email, language=language))


def letter(targets, email, language):
    request = letters.LetterRequest(
        name="Amal",
        email=email,
        country="DE",
        subject="Safe routes",
        text="Dear {target_name}, please open safe routes.",
        language=language,
    )
    seal(letters.write, targets["letters"], request)


def endorsement(targets, email, language):
    details = coalition.OrganisationDetails(name=email.split("@")[0], country="DE", kind="ngo")
    seal(
        coalition.submit_endorsement,
        targets["campaign"],
        details,
        contact_name="Rania",
        contact_email=email,
        language=language,
    )


FORMS = (rsvp, letter, endorsement)


def burst(targets, count: int) -> dict[str, str]:
    """`count` submissions, the forms in turn, each by another person in the next language;
    returns {address: language}."""
    sent = {}
    forms, languages = itertools.cycle(FORMS), itertools.cycle(LANGUAGES)
    for n in range(count):
        form, language = next(forms), next(languages)
        email = f"{form.__name__}-{n}@example.net"
        form(targets, email, language)
        sent[email] = language
    return sent


def spy(monkeypatch, module, name) -> list:
    """The calls of `module.name` from now on, as (args, kwargs); it still runs."""
    calls, real = [], getattr(module, name)

    def recorded(*args, **kwargs):
        calls.append((args, kwargs))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, recorded)
    return calls


def recorded(targets) -> dict[str, int]:
    return {
        "rsvp": Rsvp.objects.filter(event=targets["event"]).count(),
        "letter": Letter.objects.filter(campaign=targets["letters"]).count(),
        "endorsement": Endorsement.objects.filter(organisation=None).count(),
    }


def assert_one_email_each(sent: dict[str, str]) -> None:
    assert sorted(message.to[0] for message in mail.outbox) == sorted(sent)
    for message in mail.outbox:
        assert f"/{sent[message.to[0]]}/" in message.body  # its link in the writer's language


def test_a_burst_of_120_mixed_submissions_is_recorded_in_batches_with_one_email_each(
    targets, monkeypatch
):
    sent = burst(targets, 120)
    claims = spy(monkeypatch, intake_worker, "claim")
    drains = spy(monkeypatch, outbox, "drain")

    assert intake.record_sealed.call() == 120
    assert [len(ids) for (_model, ids), _kwargs in claims] == [50, 50, 20]  # one per transaction
    assert [kwargs for _args, kwargs in drains] == [{"max_batches": 1}] * 3 + [{}]
    assert not SealedSubmission.objects.exists()
    assert recorded(targets) == {"rsvp": 40, "letter": 40, "endorsement": 40}
    assert_one_email_each(sent)
    assert intake.record_sealed.call() == 0  # a second run finds nothing


def test_a_row_failing_in_the_middle_of_a_batch_rolls_back_alone_and_counts_an_attempt(
    targets, monkeypatch
):
    """The fifth of nine (a letter) fails after its service wrote the letter: its savepoint
    rolls back the letter and the row's deletion; the eight others are recorded in the same
    batch, and the row is recorded once by the next run."""
    sent = burst(targets, 9)
    poison = SealedSubmission.objects.order_by("pk").values_list("pk", flat=True)[4]
    put, calls = outbox.put, itertools.count(1)

    def fails_on_the_fifth(*args, **kwargs):
        put(*args, **kwargs)
        if next(calls) == 5:
            raise RuntimeError("the fifth fails")

    monkeypatch.setattr(outbox, "put", fails_on_the_fifth)
    claims = spy(monkeypatch, intake_worker, "claim")
    assert intake.record_sealed.call() == 8
    assert len(claims) == 1  # one batch, not poisoned
    assert list(SealedSubmission.objects.values_list("pk", "attempts")) == [(poison, 1)]
    assert recorded(targets) == {"rsvp": 3, "letter": 2, "endorsement": 3}
    others = sorted(email for email in sent if email != "letter-4@example.net")
    assert sorted(message.to[0] for message in mail.outbox) == others

    monkeypatch.setattr(outbox, "put", put)
    assert intake.record_sealed.call() == 1
    assert recorded(targets) == {"rsvp": 3, "letter": 3, "endorsement": 3}
    assert_one_email_each(sent)


def test_a_row_that_does_not_open_counts_an_attempt_and_the_batch_goes_on(targets):
    """Sealed to another key: it fails when unsealed, before the transaction, alone."""
    sent = burst(targets, 6)
    poison = SealedSubmission.objects.order_by("pk").values_list("pk", flat=True)[2]
    stranger = SealedBox(PrivateKey.generate().public_key).encrypt(b'{"email": "x"}')
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_sealedsubmission SET sealed = %s WHERE id = %s",
            [sealing.PREFIX + base64.b64encode(stranger).decode(), poison],
        )
    assert intake.record_sealed.call() == 5
    assert list(SealedSubmission.objects.values_list("pk", "attempts")) == [(poison, 1)]
    del sent["endorsement-2@example.net"]
    assert_one_email_each(sent)


def test_a_row_is_tried_at_most_max_attempts_times(targets, monkeypatch):
    burst(targets, 1)
    SealedSubmission.objects.update(kind="tadamun.nowhere.service")  # no such service
    for _run in range(intake_worker.MAX_ATTEMPTS + 2):
        assert intake.record_sealed.call() == 0
    assert SealedSubmission.objects.get().attempts == intake_worker.MAX_ATTEMPTS  # then kept


@pytest.fixture
def database_queue(settings):
    """Wake-ups wait in the database queue: the workers are the test's threads."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_never_record_one_row_twice(targets, database_queue, monkeypatch):
    """Both open the same first batch, then race for it: on PostgreSQL one skips the rows the
    other locked, on SQLite the second transaction waits and finds them gone."""
    sent = burst(targets, 120)
    both_opened = threading.Barrier(2, timeout=30)
    opened_first = {}
    real_opened = intake_worker._opened

    def opened_together(intake_, ids):
        result = real_opened(intake_, ids)
        if threading.get_ident() not in opened_first:
            opened_first[threading.get_ident()] = sorted(result)
            both_opened.wait()
        return result

    monkeypatch.setattr(intake_worker, "_opened", opened_together)
    claims = []  # (rows asked for, rows got)
    real_claim = intake_worker.claim

    def counted_claim(model, ids):
        got = real_claim(model, ids)
        claims.append((len(ids), len(got)))
        return got

    monkeypatch.setattr(intake_worker, "claim", counted_claim)

    def worker(_number) -> int:
        try:
            return intake_worker.drain(intake.SEALED)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        counts = list(pool.map(worker, range(2)))  # a worker's error is raised here
    first, second = opened_first.values()
    assert first == second and len(first) == intake_worker.BATCH  # the same rows, opened twice
    assert any(got < asked for asked, got in claims)  # one found them taken by the other
    assert sum(counts) == 120
    assert not SealedSubmission.objects.exists()
    assert recorded(targets) == {"rsvp": 40, "letter": 40, "endorsement": 40}
    assert_one_email_each(sent)
