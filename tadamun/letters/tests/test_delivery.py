"""The platform's delivery: throttled per official per day, retried, never lost, never twice."""

import smtplib
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection

from tadamun.letters import counters, delivery, services
from tadamun.letters.models import Delivery, Letter

NOON = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def confirmed_letters(campaign, how_many, country="DE"):
    for number in range(how_many):
        letter = services.write(
            campaign,
            services.LetterRequest(
                name=f"Writer {number}",
                email=f"writer{number}@example.org",
                country=country,
                subject="Safe routes for Idlib",
                text="Dear {target_name}, please open safe routes for the civilians of Idlib.",
            ),
        )
        Letter.objects.filter(pk=letter.pk).update(status="confirmed")
        queued = campaign.group.targets.get(country=country).delivery(
            letter=letter, campaign=campaign, country=country, not_before=NOON - timedelta(hours=1)
        )
        queued.save()
        counters.add_letter(letter)  # as services.confirm counts them
        counters.add_deliveries([queued])


def letters_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def test_an_official_gets_at_most_the_daily_cap_and_the_rest_wait_for_tomorrow(
    platform_campaign, settings
):
    settings.LETTERS_PER_TARGET_PER_DAY = 3
    confirmed_letters(platform_campaign, 5)
    mail.outbox.clear()

    assert delivery.deliver_due(now=NOON) == {"sent": 3}
    assert len(letters_to("jana@interior-de.example.org")) == 3
    waiting = Delivery.objects.filter(status="queued")
    assert waiting.count() == 2
    assert {d.not_before for d in waiting} == {datetime(2026, 11, 26, tzinfo=UTC)}
    # Later the same day: nothing more goes out.
    assert delivery.deliver_due(now=NOON + timedelta(hours=6)) == {}
    # The next day the rest goes.
    assert delivery.deliver_due(now=NOON + timedelta(days=1)) == {"sent": 2}
    assert len(letters_to("jana@interior-de.example.org")) == 5


def test_the_cap_is_per_official(platform_campaign, settings):
    settings.LETTERS_PER_TARGET_PER_DAY = 2
    confirmed_letters(platform_campaign, 3, country="DE")
    confirmed_letters(platform_campaign, 2, country="FR")
    mail.outbox.clear()
    assert delivery.deliver_due(now=NOON) == {"sent": 4}
    assert len(letters_to("jana@interior-de.example.org")) == 2
    assert len(letters_to("claire@interieur.example.org")) == 2


class FlakyBackend:
    """A mail server that fails as told, then accepts."""

    failures: list = []
    sent: list = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if FlakyBackend.failures:
            raise FlakyBackend.failures.pop(0)
        FlakyBackend.sent.extend(messages)
        return len(messages)


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.failures = []
    FlakyBackend.sent = []
    return FlakyBackend


def test_a_temporary_failure_is_retried_later_and_then_sent(platform_campaign, flaky_mail):
    confirmed_letters(platform_campaign, 1)
    flaky_mail.failures = [smtplib.SMTPServerDisconnected("gone"), ConnectionRefusedError()]
    assert delivery.deliver_due(now=NOON) == {"queued": 1}
    queued = Delivery.objects.get()
    assert (queued.status, queued.attempts) == ("queued", 1)
    assert queued.not_before == NOON + timedelta(seconds=60)
    assert delivery.deliver_due(now=NOON + timedelta(seconds=30)) == {}  # not yet
    assert delivery.deliver_due(now=NOON + timedelta(seconds=61)) == {"queued": 1}
    assert Delivery.objects.get().not_before == NOON + timedelta(seconds=61 + 300)
    assert delivery.deliver_due(now=NOON + timedelta(hours=1)) == {"sent": 1}
    assert len(flaky_mail.sent) == 1
    assert Delivery.objects.get().attempts == 3


def test_a_permanent_refusal_is_not_retried(platform_campaign, flaky_mail):
    confirmed_letters(platform_campaign, 1)
    refused = {"jana@interior-de.example.org": (550, b"no such user")}
    flaky_mail.failures = [smtplib.SMTPRecipientsRefused(refused)]
    assert delivery.deliver_due(now=NOON) == {"failed": 1}
    assert Delivery.objects.get().status == "failed"
    assert services.counts_by_target(platform_campaign) == []  # a failed letter is not counted


def test_after_the_last_retry_the_delivery_fails(platform_campaign, flaky_mail):
    confirmed_letters(platform_campaign, 1)
    flaky_mail.failures = [TimeoutError()] * 10
    now = NOON
    for _attempt in range(6):
        delivery.deliver_due(now=now)
        now += timedelta(days=1)
    failed = Delivery.objects.get()
    assert (failed.status, failed.attempts) == ("failed", 6)


def test_a_claim_left_by_a_killed_worker_goes_back_to_the_queue(platform_campaign):
    confirmed_letters(platform_campaign, 2)
    mail.outbox.clear()
    delivery.claim(platform_campaign.group.targets.get(country="DE").pk, batch=1, now=NOON)
    assert [d.status for d in Delivery.objects.order_by("pk")] == ["sending", "queued"]
    # The worker dies here. Another worker does not touch the claim at first...
    assert delivery.deliver_due(now=NOON + timedelta(minutes=1)) == {"sent": 1}
    # ...and sends it once the claim is stale.
    assert delivery.deliver_due(now=NOON + timedelta(minutes=20)) == {"sent": 1}
    assert Delivery.objects.filter(status="sent").count() == 2
    assert len(mail.outbox) == 2


def test_a_writer_who_erased_their_data_meanwhile_is_not_written_for(platform_campaign):
    from tadamun.supporters import services as supporters

    confirmed_letters(platform_campaign, 1)
    supporters.erase(Letter.objects.get().supporter)
    mail.outbox.clear()
    assert delivery.deliver_due(now=NOON) == {}
    assert not mail.outbox and not Delivery.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_each_letter_once_and_keep_the_cap(platform_campaign, settings):
    settings.LETTERS_PER_TARGET_PER_DAY = 7
    confirmed_letters(platform_campaign, 10)
    mail.outbox.clear()
    results = []

    def worker():
        try:
            results.append(delivery.deliver_due(batch=2, now=NOON))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(result.get("sent", 0) for result in results) == 7
    assert len(mail.outbox) == 7
    assert Delivery.objects.filter(status="sent").count() == 7
    assert Delivery.objects.filter(status="queued").count() == 3


def test_unconfirmed_letters_are_forgotten_after_the_retention_time(platform_campaign, settings):
    from django.utils import timezone

    from tadamun.supporters.models import Supporter
    from tadamun.supporters.retention import forget_unconfirmed

    settings.UNCONFIRMED_RETENTION_DAYS = 30
    confirmed_letters(platform_campaign, 1)
    sent = Letter.objects.get()
    services.write(
        platform_campaign,
        services.LetterRequest(
            name="Never", email="never@example.org", country="DE", subject="S", text="T"
        ),
    )
    long_ago = timezone.now() - timedelta(days=31)
    Letter.objects.update(created_at=long_ago)
    Supporter.objects.update(created_at=long_ago)
    recent = services.write(
        platform_campaign,
        services.LetterRequest(
            name="Late", email="late@example.org", country="DE", subject="S", text="T"
        ),
    )

    counts = forget_unconfirmed()
    assert (counts["letters"], counts["supporters"]) == (1, 1)
    assert set(Letter.objects.values_list("pk", flat=True)) == {sent.pk, recent.pk}
    assert services.letter_count(platform_campaign) == 1


def test_officials_get_letters_from_the_sites_sender_with_its_footer_in_the_letters_language(
    platform_campaign, coalition_identity
):
    """The footer is the identity's (DESIGN.md, principle 8), with the writer's name."""
    confirmed_letters(platform_campaign, 1, country="DE")
    Letter.objects.update(language="fr")
    delivery.deliver_due(now=NOON)
    (letter,) = letters_to(platform_campaign.group.targets.get(country="DE").email)
    assert letter.from_email == "L’équipe Solidarité Nord <hello@north.example>"
    assert letter.body.endswith("-- \nEnvoyée pour Writer 0 par la coalition du Nord.\n")
