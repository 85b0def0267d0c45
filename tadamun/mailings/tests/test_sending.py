"""Sending through a real SMTP server: each copy once, in its language, none lost."""

import smtplib
from email.header import decode_header, make_header

import pytest
from django.core import mail

from tadamun.mailings import rendering, sending
from tadamun.mailings.models import Mailing, Recipient, Suppression


@pytest.fixture
def audience(make_supporter):
    return [
        make_supporter("amal@example.org", name="Amal Haddad", language="ar"),
        make_supporter("hugo@example.org", name="Hugo Petit", language="fr"),
        make_supporter("lena@example.org", name="", language="de"),
    ]


def test_each_supporter_gets_one_copy_in_their_language_with_their_name(
    smtp_sink, audience, make_mailing
):
    mailing = make_mailing()
    assert sending.start(mailing)
    assert sending.send_some(mailing.pk) == {"sent": 3}
    (hugo,) = smtp_sink.to("hugo@example.org")
    assert hugo["Subject"] == "La journée d'action approche"
    text, html = (part.get_payload(decode=True).decode() for part in hugo.get_payload())
    assert text.startswith("Cher·e Hugo,")
    assert "<strong>événement local</strong>" in html and "Hugo" in html
    # Arabic has no translation: the source language, and "friend" for a nameless German.
    (amal,) = smtp_sink.to("amal@example.org")
    assert amal["Subject"] == "The day of action is coming"
    (lena,) = smtp_sink.to("lena@example.org")
    lenas_text = lena.get_payload()[0].get_payload(decode=True).decode()
    assert lenas_text.startswith("Join us on Saturday.\r\n\r\nDear friend,")  # the summary first
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    assert sending.progress(mailing)["sent"] == 3


def test_every_copy_carries_one_click_unsubscribe(smtp_sink, audience, make_mailing):
    mailing = make_mailing()
    sending.start(mailing)
    sending.send_some(mailing.pk)
    (hugo,) = smtp_sink.to("hugo@example.org")
    assert hugo["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = str(hugo["List-Unsubscribe"]).strip().strip("<>")
    assert link.startswith("http://127.0.0.1:8000/fr/unsubscribe/mailing/")
    assert link in hugo.get_payload()[0].get_payload(decode=True).decode()  # and visibly


def test_sending_again_sends_nothing_twice(smtp_sink, audience, make_mailing):
    mailing = make_mailing()
    sending.start(mailing)
    sending.send_some(mailing.pk)
    Mailing.objects.filter(pk=mailing.pk).update(status="sending")
    sending.release_stale_claims()
    assert sending.send_some(mailing.pk) == {}
    assert not sending.start(mailing)
    assert len(smtp_sink.messages) == 3


def test_a_worker_killed_before_the_commit_leaves_the_copy_to_be_sent_once(
    smtp_sink, audience, make_mailing, settings
):
    """The worker dies after giving the server the whole message but before marking the
    copy sent: the server never accepted it, and the copy is sent once, later."""
    mailing = make_mailing()
    sending.start(mailing)
    token, claimed = sending.claim(mailing.pk, batch=10)
    sender = sending.Sender()

    class Killed(BaseException):
        pass

    def die():
        raise Killed

    recipient = claimed[0]
    edition = rendering.edition(mailing, recipient.language)
    copy = edition.raw(recipient, recipient.supporter.email, "")
    with pytest.raises(Killed):
        sender.deliver(copy, die)
    sender.backend.connection.sock.close()  # the process is gone: so is its socket
    assert smtp_sink.messages == []

    settings.MAILING_CLAIM_TIMEOUT = 0
    assert sending.release_stale_claims() == 3
    assert sending.send_some(mailing.pk) == {"sent": 3}
    assert sorted(rcpt for rcpt, _message in smtp_sink.messages) == [
        "amal@example.org",
        "hugo@example.org",
        "lena@example.org",
    ]


def test_a_worker_that_lost_its_claim_does_not_send(smtp_sink, audience, make_mailing, settings):
    mailing = make_mailing()
    sending.start(mailing)
    slow_token, slow_batch = sending.claim(mailing.pk, batch=10)
    settings.MAILING_CLAIM_TIMEOUT = 0
    sending.release_stale_claims()  # the slow worker is thought dead...
    assert sending.send_some(mailing.pk) == {"sent": 3}  # ...and another sends everything
    outcomes = sending.send_batch(mailing, slow_token, slow_batch, sending.Sender(), {})
    assert outcomes == {"lost claim": 3}
    assert len(smtp_sink.messages) == 3


def test_two_workers_at_once_send_each_copy_once(smtp_sink, make_supporter, make_mailing):
    for number in range(40):
        make_supporter(f"person{number}@example.org")
    mailing = make_mailing()
    sending.start(mailing)
    first = sending.send_some(mailing.pk, batch=5, max_batches=3)
    second = sending.send_some(mailing.pk, batch=5)
    assert first["sent"] + second["sent"] == 40
    recipients = [rcpt for rcpt, _message in smtp_sink.messages]
    assert len(recipients) == len(set(recipients)) == 40


def test_a_temporary_refusal_is_retried_later(smtp_sink, audience, make_mailing):
    smtp_sink.refuse["hugo@example.org"] = "451 Try again later"
    mailing = make_mailing()
    sending.start(mailing)
    assert sending.send_some(mailing.pk) == {"sent": 2, "queued": 1}
    hugo = Recipient.objects.get(supporter=audience[1])
    assert (hugo.status, hugo.attempts, hugo.error) == ("queued", 1, "SMTPRecipientsRefused")
    assert hugo.not_before is not None
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENDING  # not finished while a copy waits
    del smtp_sink.refuse["hugo@example.org"]
    Recipient.objects.filter(pk=hugo.pk).update(not_before=None)
    assert sending.send_some(mailing.pk) == {"sent": 1}
    assert len(smtp_sink.to("hugo@example.org")) == 1


def test_a_permanent_refusal_fails_and_suppresses_the_address(smtp_sink, audience, make_mailing):
    smtp_sink.refuse["hugo@example.org"] = "550 No such user"
    mailing = make_mailing()
    sending.start(mailing)
    assert sending.send_some(mailing.pk) == {"sent": 2, "failed": 1}
    assert Suppression.objects.filter(email_hash=audience[1].email_hash).exists()
    second = make_mailing()
    sending.start(second)
    assert second.recipients.count() == 2  # the next mailing leaves the address out


def test_an_unreachable_server_keeps_every_copy_queued(audience, make_mailing, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    mailing = make_mailing()
    sending.start(mailing)
    assert sending.send_some(mailing.pk) == {"queued": 3}
    assert Recipient.objects.filter(status="queued", attempts=1).count() == 3


def test_a_paused_mailing_stops_and_resumes_where_it_was(smtp_sink, make_supporter, make_mailing):
    for number in range(10):
        make_supporter(f"person{number}@example.org")
    mailing = make_mailing()
    sending.start(mailing)
    sending.send_some(mailing.pk, batch=4, max_batches=1)
    Mailing.objects.filter(pk=mailing.pk).update(status="paused")
    assert sending.send_some(mailing.pk) == {}
    assert len(smtp_sink.messages) == 4
    Mailing.objects.filter(pk=mailing.pk).update(status="sending")
    assert sending.send_some(mailing.pk) == {"sent": 6}


def test_other_backends_send_too(audience, make_mailing):
    mailing = make_mailing()
    sending.start(mailing)
    assert sending.send_some(mailing.pk) == {"sent": 3}
    assert len(mail.outbox) == 3


def test_a_supporter_erased_after_the_start_gets_nothing(smtp_sink, audience, make_mailing):
    from tadamun.supporters import services as supporters

    mailing = make_mailing()
    sending.start(mailing)
    supporters.erase(audience[0])
    assert sending.send_some(mailing.pk) == {"sent": 2}
    assert sending.progress(mailing)["skipped"] == 1


def test_smtp_errors_are_told_apart():
    assert sending.is_permanent(smtplib.SMTPRecipientsRefused({"a": (550, b"no")}))
    assert not sending.is_permanent(smtplib.SMTPRecipientsRefused({"a": (451, b"later")}))
    assert not sending.is_permanent(smtplib.SMTPServerDisconnected())


def test_mailings_appear_in_your_data_and_erasure_keeps_the_counts(
    smtp_sink, audience, make_mailing
):
    from tadamun.supporters import services as supporters
    from tadamun.supporters.registry import providers

    mailing = make_mailing()
    sending.start(mailing)
    sending.send_some(mailing.pk)
    provider = next(p for p in providers() if p.name == "mailings")
    (described,) = provider.describe(audience[1])
    assert described["mailing"] == "The day of action is coming" and described["sent"]
    supporters.erase(audience[1])
    assert sending.progress(mailing)["sent"] == 3


def test_the_rate_holds_across_calls(monkeypatch, settings):
    from tadamun.mailings import throttle

    slept = []
    monkeypatch.setattr(throttle.time, "time", lambda: 1000.2 + len(slept))
    monkeypatch.setattr(throttle.time, "sleep", slept.append)
    for _copy in range(3):
        throttle.wait_for_slot(rate=3)
    assert slept == []
    throttle.wait_for_slot(rate=3)  # the fourth waits for the next second
    assert len(slept) == 1 and 0 < slept[0] <= 0.8


def test_the_raw_copy_says_what_djangos_message_says(audience, make_mailing):
    """Workers assemble SMTP copies themselves (for speed); other backends get Django's
    EmailMessage. Both must carry the same message."""
    from email import message_from_bytes, policy

    mailing = make_mailing()
    sending.start(mailing)
    recipient = Recipient.objects.get(supporter=audience[1])  # French
    copy = rendering.edition(mailing, "fr")
    _sender, to, data = copy.raw(recipient, "hugo@example.org", "Hugo")
    raw = message_from_bytes(data, policy=policy.default)
    django = message_from_bytes(
        copy.message(recipient, "hugo@example.org", "Hugo").message().as_bytes(),
        policy=policy.default,
    )
    assert to == "hugo@example.org"
    for header in ("Subject", "To", "List-Unsubscribe", "List-Unsubscribe-Post", "Message-ID"):
        assert str(raw[header]).strip() == str(django[header]).strip(), header
    for raw_part, django_part in zip(raw.iter_parts(), django.iter_parts(), strict=True):
        assert raw_part.get_content_type() == django_part.get_content_type()
        lines = [
            part.get_content().replace("\r\n", "\n").strip() for part in (raw_part, django_part)
        ]
        assert lines[0] == lines[1]


def test_a_line_cut_after_the_message_does_not_send_it_again(smtp_sink, audience, make_mailing):
    smtp_sink.hang_up_after.add("hugo@example.org")
    mailing = make_mailing()
    sending.start(mailing)
    assert sending.send_some(mailing.pk) == {"sent": 3}
    assert Recipient.objects.get(supporter=audience[1]).status == "sent"
    assert len(smtp_sink.to("hugo@example.org")) == 1
    assert len(smtp_sink.messages) == 3  # the next copy went over a new connection


def test_a_worker_leaves_its_connection_as_it_found_it(smtp_sink, audience, make_mailing):
    from django.db import connection

    mailing = make_mailing()
    sending.start(mailing)
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO local")  # what the caller had chosen
    sending.send_some(mailing.pk)
    if postgresql:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "local"
    assert sending.progress(mailing)["sent"] == 3


def test_copies_come_from_the_sites_sender_in_the_readers_language(
    smtp_sink, audience, make_mailing, coalition_identity
):
    mailing = make_mailing()
    assert sending.start(mailing)
    sending.send_some(mailing.pk)
    (hugo,) = smtp_sink.to("hugo@example.org")
    (lena,) = smtp_sink.to("lena@example.org")
    assert str(make_header(decode_header(hugo["From"]))) == (
        "L’équipe Solidarité Nord <hello@north.example>"
    )
    assert lena["From"] == "North Solidarity team <hello@north.example>"
