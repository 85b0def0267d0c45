"""The outbox: every promised link is sent once, in its reader's language, in batches over
one SMTP connection, fairly between forms (core.outbox)."""

import smtplib
from datetime import timedelta

import pytest
from django.utils import timezone

from tadamun.core import outbox
from tadamun.core.models import OutboxMessage
from tadamun.petitions import intake, services, submissions
from tadamun.petitions.models import Petition, Signature, SignatureIntake
from tadamun.petitions.outbox import SIGNATURE
from tadamun.supporters import services as supporters
from tadamun.supporters.models import LinkRequest, Supporter
from tadamun.supporters.outbox import MY_DATA_LINK

Status = OutboxMessage.Status


def submit(petition, email, *, language="en", name="Amal Haddad"):
    submissions.accept(
        petition,
        services.SignatureRequest(name=name, email=email, country="FR", language=language),
    )


def record_all() -> int:
    """Record the intake, leaving the links in the outbox (process_intake sends them too)."""
    return intake.record_batch(list(SignatureIntake.objects.values_list("pk", flat=True)))


@pytest.fixture
def other_petition(petition):
    return Petition.objects.create(
        campaign=petition.campaign, slug="second", title="Second", target="t", body="b",
        status=Petition.Status.OPEN,
    )  # fmt: skip


@pytest.fixture
def connections(monkeypatch):
    """How many SMTP connections were opened."""
    opened = []
    real = smtplib.SMTP.connect

    def connect(self, *args, **kwargs):
        opened.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(smtplib.SMTP, "connect", connect)
    return opened


def test_a_batch_goes_over_one_connection_each_message_in_its_language(
    petition, smtp_sink, connections
):
    for email, language in [("amal@example.org", "en"), ("lea@example.org", "fr"),
                            ("sami@example.org", "ar"), ("jonas@example.org", "de")]:  # fmt: skip
        submit(petition, email, language=language)
    assert record_all() == 4
    assert outbox.drain() == {"sent": 4}
    assert len(connections) == 1
    for email, language in [("amal@example.org", "en"), ("lea@example.org", "fr"),
                            ("sami@example.org", "ar"), ("jonas@example.org", "de")]:  # fmt: skip
        (message,) = smtp_sink.to(email)
        assert f"/{language}/petitions/confirm/" in message.get_content()
    subjects = {rcpt: message["subject"] for rcpt, message in smtp_sink.messages}
    assert len(set(subjects.values())) == 4  # four languages, four subjects
    assert outbox.drain() == {}  # nothing twice


def test_a_rush_on_one_petition_does_not_hold_up_the_others_or_your_data_links(
    petition, other_petition, make_staff
):
    for index in range(30):
        submit(petition, f"rush{index}@example.org")
    submit(other_petition, "quiet@example.org")
    record_all()
    Supporter.objects.create(email="owner@example.org", language="en")
    supporters.request_my_data_link("owner@example.org", "en")
    assert OutboxMessage.objects.count() == 32

    _token, claimed = outbox.claim(batch=10)
    kinds = [(row.kind, row.lane) for row in claimed]
    assert len(claimed) == 10
    assert (SIGNATURE, f"petition:{other_petition.pk}") in kinds
    assert (MY_DATA_LINK, "your-data") in kinds


def test_the_same_address_twice_in_a_batch_is_one_signature_and_one_link(petition, smtp_sink):
    submit(petition, "amal@example.org", name="Amal Haddad")
    submit(petition, "AMAL@example.org ", name="Amal H", language="fr")
    assert record_all() == 2
    signature = Signature.objects.get()
    assert (signature.name, signature.language) == ("Amal H", "fr")  # the later submission
    assert outbox.drain() == {"sent": 1}
    (message,) = smtp_sink.to("amal@example.org")
    assert "/fr/petitions/confirm/" in message.get_content()


def test_a_confirmed_signer_in_a_batch_keeps_their_signature_and_gets_no_link(petition, smtp_sink):
    submit(petition, "amal@example.org", name="Amal Haddad")
    record_all()
    services.confirm(Signature.objects.get())
    outbox.drain()
    smtp_sink.messages.clear()

    submit(petition, "amal@example.org", name="Someone Else")
    submit(petition, "hugo@example.org")
    assert record_all() == 2
    amal = Signature.objects.get(supporter=Supporter.objects.with_email("amal@example.org").get())
    assert (amal.status, amal.name) == (Signature.Status.CONFIRMED, "Amal Haddad")
    assert outbox.drain() == {"sent": 1}
    assert [rcpt for rcpt, _message in smtp_sink.messages] == ["hugo@example.org"]
    petition.refresh_from_db()
    assert petition.confirmed_count == 1


def test_a_message_promised_twice_before_it_goes_is_sent_once(petition, sign, smtp_sink):
    signature = sign("amal@example.org")
    outbox.put(SIGNATURE, signature.pk, lane="petition")
    assert OutboxMessage.objects.count() == 1
    assert outbox.drain() == {"sent": 1}
    outbox.put(SIGNATURE, signature.pk, lane="petition")  # signed again after it went
    assert outbox.drain() == {"sent": 1}


def test_a_dead_workers_claim_returns_and_is_sent_once(petition, smtp_sink, settings):
    for index in range(3):
        submit(petition, f"p{index}@example.org")
    record_all()
    outbox.claim(batch=10)  # a worker claims, then dies
    assert outbox.drain() == {}
    assert outbox.reconcile_outbox.call() == {}  # not stale yet
    settings.OUTBOX_CLAIM_TIMEOUT = 0
    assert outbox.reconcile_outbox.call() == {"sent": 3}
    assert sorted(rcpt for rcpt, _message in smtp_sink.messages) == [
        "p0@example.org", "p1@example.org", "p2@example.org",
    ]  # fmt: skip


def test_a_your_data_request_is_deleted_once_its_link_went(db, smtp_sink):
    Supporter.objects.create(email="owner@example.org", language="fr")
    supporters.request_my_data_link("owner@example.org", "fr")
    supporters.request_my_data_link("stranger@example.org", "fr")
    assert outbox.drain() == {"sent": 1, "skipped": 1}
    assert not LinkRequest.objects.exists()
    (message,) = smtp_sink.to("owner@example.org")
    assert "/fr/" in message.get_content()


def test_the_state_tells_when_links_are_not_going_out(petition, settings):
    assert outbox.pending_links_state() == {
        "outbox": "ok", "outbox_waiting": 0, "outbox_oldest_seconds": None,
    }  # fmt: skip
    submit(petition, "amal@example.org")
    record_all()
    assert outbox.pending_links_state()["outbox_waiting"] == 1
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(seconds=400))
    settings.OUTBOX_STALL_SECONDS = 300
    state = outbox.pending_links_state()
    assert state["outbox"] == "stalled" and state["outbox_oldest_seconds"] >= 400


def test_finished_rows_are_forgotten(petition, smtp_sink, settings):
    submit(petition, "amal@example.org")
    record_all()
    outbox.drain()
    assert outbox.forget_finished() == 0
    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert outbox.forget_finished() == 1
