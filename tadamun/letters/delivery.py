"""Sending letters to officials: claimed in batches, throttled per official per day, retried.

A worker claims deliveries (QUEUED -> SENDING) under a lock on the official's row, so two
workers never claim the same delivery and together never pass the official's daily cap
(settings.LETTERS_PER_TARGET_PER_DAY): officials' mail servers are not flooded, and letters
beyond the cap wait for the next day rather than being dropped. A temporary failure queues
the delivery again later; a permanent refusal (5xx) or too many failures marks it FAILED.
A worker killed between claiming and sending leaves SENDING rows that go back to the queue
after CLAIM_TIMEOUT.
"""

import logging
import smtplib
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tadamun.core import signals
from tadamun.core.identity import site_identity
from tadamun.core.tasks import MAIL_RETRY_DELAYS
from tadamun.letters import counters
from tadamun.letters.models import Delivery, Target

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(minutes=15)


def start_of_day(now: datetime) -> datetime:
    return datetime.combine(now.date(), time.min, tzinfo=now.tzinfo)


def release_stale_claims(now=None) -> int:
    """Put back in the queue what a killed worker had claimed and not sent."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        status=Delivery.Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    ).update(status=Delivery.Status.QUEUED, claimed_at=None)


def claim(target_id: int, *, batch: int, now=None) -> list[Delivery]:
    """Claim up to `batch` due deliveries to one official, within what their cap allows today.

    When the cap is reached, the official's other due deliveries wait until tomorrow (UTC).
    """
    now = now or timezone.now()
    cap = settings.LETTERS_PER_TARGET_PER_DAY
    today = start_of_day(now)
    with transaction.atomic():
        Target.objects.select_for_update().filter(pk=target_id).first()
        # One query, so a delivery turning from SENDING to SENT meanwhile is counted once.
        used = (
            Delivery.objects.filter(target_id=target_id)
            .filter(Q(sent_at__gte=today) | Q(status=Delivery.Status.SENDING))
            .count()
        )
        due = Delivery.objects.due(now).filter(target_id=target_id).order_by("pk")
        allowed = max(0, min(batch, cap - used))
        ids = list(due.values_list("pk", flat=True)[:allowed])
        Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.SENDING, claimed_at=now)
        if used + len(ids) >= cap:
            due.exclude(pk__in=ids).update(not_before=today + timedelta(days=1))
    return list(Delivery.objects.filter(pk__in=ids).select_related("letter__supporter", "target"))


def letter_message(delivery: Delivery) -> EmailMessage:
    """The letter as the official receives it: from the platform, answered to the writer."""
    from tadamun.letters.queries import fill

    letter = delivery.letter
    target = delivery.target
    identity = site_identity(letter.language)
    text = fill(letter.text, name=letter.name, city=letter.city, target=target)
    footer = fill(identity.letter_footer, name=letter.name, city=letter.city, target=target)
    return EmailMessage(
        subject=fill(letter.subject, name=letter.name, city=letter.city, target=target),
        body=f"{text.rstrip()}\n\n-- \n{footer.strip()}\n",
        from_email=identity.from_email,
        to=[target.email],
        reply_to=[letter.supporter.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def is_permanent(error: Exception) -> bool:
    """A refusal that retrying cannot change: the server answered 5xx for the recipient."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def send(delivery: Delivery, now=None) -> str:
    """Send one claimed delivery; returns its new status."""
    now = now or timezone.now()
    if delivery.letter.supporter_id is None:  # the writer erased their data meanwhile
        with transaction.atomic():
            counters.add_deliveries(counters.counted(Delivery.objects.filter(pk=delivery.pk)), -1)
            Delivery.objects.filter(pk=delivery.pk).delete()
        return "erased"
    try:
        letter_message(delivery).send()
    except (smtplib.SMTPException, OSError) as error:
        attempt = delivery.attempts + 1
        if attempt > len(MAIL_RETRY_DELAYS) or is_permanent(error):
            status, not_before = Delivery.Status.FAILED, now
        else:
            status = Delivery.Status.QUEUED
            not_before = now + timedelta(seconds=MAIL_RETRY_DELAYS[attempt - 1])
        # The kind of error only: the server's text may quote an address.
        logger.warning("delivery %s: %s, now %s", delivery.pk, type(error).__name__, status)
        with transaction.atomic():
            if status == Delivery.Status.FAILED:
                counters.add_deliveries(
                    counters.counted(Delivery.objects.filter(pk=delivery.pk)), -1
                )
            Delivery.objects.filter(pk=delivery.pk).update(
                status=status, attempts=attempt, not_before=not_before, claimed_at=None
            )
        return status
    # Named as the letter addressed them, should the official have changed while it waited.
    with transaction.atomic():
        sending = Delivery.objects.filter(pk=delivery.pk)
        counters.add_deliveries(counters.counted(sending), -1)  # counted again as named now
        sending.update(
            status=Delivery.Status.SENT,
            sent_at=now,
            attempts=delivery.attempts + 1,
            target_name=delivery.target.name,
            target_title=delivery.target.role,
        )
        counters.add_deliveries(counters.counted(sending))
    signals.letter_sent.send(sender=None, delivery=delivery)
    return Delivery.Status.SENT


def deliver_due(*, batch: int = 50, now=None) -> dict[str, int]:
    """Send every delivery that is due, official by official; returns counts by outcome."""
    now = now or timezone.now()
    outcomes: dict[str, int] = {}
    release_stale_claims(now)
    targets = Delivery.objects.due(now).order_by().values_list("target_id", flat=True).distinct()
    for target_id in list(targets):
        while claimed := claim(target_id, batch=batch, now=now):
            for delivery in claimed:
                outcome = send(delivery, now)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
