"""Sending a mailing: one Recipient row per person, claimed in batches by any number of
workers, each copy sent at most once and none lost when a worker dies.

How a copy is never sent twice nor lost:
1. A worker claims a batch: QUEUED -> SENDING with its own claim token, in one transaction
   (row locks skipped on PostgreSQL, the write lock on SQLite), so two workers never hold the
   same row.
2. For each copy it gives the SMTP server the envelope and the whole message, but not the
   final "." that makes the server accept it. Then it marks the row SENT (committed, and
   only if its claim still holds), and only then sends the ".".
3. A worker killed before step 2's commit leaves a SENDING row whose message the server
   never accepted (a dropped connection discards an unfinished DATA): after
   MAILING_CLAIM_TIMEOUT it goes back to the queue and is sent once. A worker too slow to
   keep its claim finds the row taken from it at step 2 and aborts the message (RSET).
The copy is lost only if the worker dies in the microseconds between that commit and the
write of the "." itself. A line that breaks after the "." leaves the copy marked sent: the
server may have it, and sending it again could deliver it twice. Other mail backends (file,
console, memory: development) send first and mark after.
"""

import functools
import logging
import secrets
import smtplib
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone

from tadamun import vault
from tadamun.core.smtp import ClaimLost, OutcomeUnknown, Sender, is_permanent
from tadamun.core.tasks import MAIL_RETRY_DELAYS
from tadamun.mailings import throttle
from tadamun.mailings.audience import audience, language_for
from tadamun.mailings.models import Mailing, Recipient, Suppression
from tadamun.mailings.rendering import freeze, sent_edition

logger = logging.getLogger(__name__)

CREATE_CHUNK = 2000


def translated_languages(mailing: Mailing) -> set[str]:
    return {mailing.language, *mailing.translations.values_list("language", flat=True)}


def create_recipients(mailing: Mailing) -> int:
    """One row per person in the audience, a page at a time; running it again adds only who
    is missing, so a start interrupted half-way is finished by the next.

    Each page is read whole before it is written: on SQLite a connection still reading
    cannot write once another worker has committed (its snapshot is stale).
    """
    translated = translated_languages(mailing)
    people = audience(mailing).order_by("pk").values_list("pk", "language")
    created = 0
    last = 0
    while page := list(people.filter(pk__gt=last)[:CREATE_CHUNK]):
        last = page[-1][0]
        created += len(
            Recipient.objects.bulk_create(
                [
                    Recipient(
                        mailing=mailing,
                        supporter_id=supporter_id,
                        language=language_for(mailing, language, translated),
                    )
                    for supporter_id, language in page
                ],
                ignore_conflicts=True,
            )
        )
    return created


def start(mailing: Mailing) -> bool:
    """Freeze the audience and the text, and let the workers send. True if this call started
    it. The lock (status SENDING: no admin changes the text any more) and the frozen copies
    are one commit, so every worker sends the copies frozen here and nothing edited later."""
    if not mailing.is_editable:
        return False
    create_recipients(mailing)
    with transaction.atomic():
        started = Mailing.objects.filter(pk=mailing.pk, status__in=Mailing.EDITABLE).update(
            status=Mailing.Status.SENDING, started_at=timezone.now()
        )
        if started:
            locked = Mailing.objects.get(pk=mailing.pk)
            Mailing.objects.filter(pk=mailing.pk).update(editions=freeze(locked))
    return bool(started)


def release_stale_claims(now=None) -> int:
    """Give back to the queue what dead workers had claimed (see the module's docstring)."""
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.MAILING_CLAIM_TIMEOUT)
    return Recipient.objects.filter(status=Recipient.Status.SENDING, claimed_at__lt=stale).update(
        status=Recipient.Status.QUEUED, claim="", claimed_at=None
    )


def claim(mailing_id: int, batch: int) -> tuple[str, list[Recipient]]:
    now = timezone.now()
    token = secrets.token_hex(8)
    with transaction.atomic():
        due = Recipient.objects.filter(
            mailing_id=mailing_id, status=Recipient.Status.QUEUED
        ).filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.order_by("pk").values_list("pk", flat=True)[:batch])
        Recipient.objects.filter(pk__in=ids, status=Recipient.Status.QUEUED).update(
            status=Recipient.Status.SENDING, claim=token, claimed_at=now
        )
    claimed = Recipient.objects.filter(pk__in=ids, claim=token).select_related("supporter")
    try:
        return token, list(claimed.order_by("pk"))
    except vault.Locked:  # locked between the claim and the read
        give_back(token)
        raise


def _mark(recipient: Recipient, token: str, **values) -> bool:
    return bool(
        Recipient.objects.filter(
            pk=recipient.pk, status=Recipient.Status.SENDING, claim=token
        ).update(**values)
    )


def _mark_sent(recipient: Recipient, token: str) -> bool:
    return _mark(
        recipient,
        token,
        status=Recipient.Status.SENT,
        sent_at=timezone.now(),
        attempts=recipient.attempts + 1,
    )


def _failed(recipient: Recipient, token: str, error: Exception) -> str:
    """Record a failed attempt: retried later with back-off, or given up."""
    attempt = recipient.attempts + 1
    permanent = is_permanent(error)
    if permanent and isinstance(error, smtplib.SMTPRecipientsRefused) and recipient.supporter:
        Suppression.objects.get_or_create(
            email_hash=recipient.supporter.email_hash,
            defaults={"reason": Suppression.Reason.BOUNCE},
        )
    if permanent or attempt > len(MAIL_RETRY_DELAYS):
        values = {"status": Recipient.Status.FAILED}
    else:
        values = {
            "status": Recipient.Status.QUEUED,
            "not_before": timezone.now() + timedelta(seconds=MAIL_RETRY_DELAYS[attempt - 1]),
        }
    values |= {
        "attempts": attempt,
        "error": type(error).__name__[:60],
        "claim": "",
        "sent_at": None,
    }
    # The row may already say SENT: the server refused the message after the final ".".
    Recipient.objects.filter(pk=recipient.pk, claim=token).update(**values)
    logger.warning(
        "mailing copy %s: %s, now %s", recipient.pk, type(error).__name__, values["status"]
    )
    return values["status"]


def give_back(token: str) -> int:
    """Put back in the queue the copies of `token` not sent yet (the vault locked under the
    worker): none is marked sent or failed, each goes once after unlock."""
    return Recipient.objects.filter(claim=token, status=Recipient.Status.SENDING).update(
        status=Recipient.Status.QUEUED, claim="", claimed_at=None
    )


def send_batch(
    mailing: Mailing, token: str, recipients: list[Recipient], sender: Sender, editions: dict
) -> dict:
    """Send a claimed batch. The vault locking midway (vault.Locked: addresses cannot be read)
    gives the rest back to the queue and stops: the worker waits for the keys."""
    try:
        return _send_batch(mailing, token, recipients, sender, editions)
    except vault.Locked:
        give_back(token)
        raise


def _send_batch(
    mailing: Mailing, token: str, recipients: list[Recipient], sender: Sender, editions: dict
) -> dict:
    outcomes: dict[str, int] = {}
    suppressed = set(
        Suppression.objects.filter(
            email_hash__in=[r.supporter.email_hash for r in recipients if r.supporter]
        ).values_list("email_hash", flat=True)
    )
    for recipient in recipients:
        supporter = recipient.supporter
        if supporter is None or supporter.email_hash in suppressed:
            _mark(recipient, token, status=Recipient.Status.SKIPPED)
            outcome = Recipient.Status.SKIPPED
        else:
            if recipient.language not in editions:
                editions[recipient.language] = sent_edition(mailing, recipient.language)
            copy = editions[recipient.language]
            copy = (copy.raw if sender.is_smtp else copy.message)(
                recipient, supporter.email, supporter.first_name
            )
            throttle.wait_for_slot()
            try:
                sender.deliver(copy, functools.partial(_mark_sent, recipient, token))
                outcome = Recipient.Status.SENT
            except ClaimLost:
                outcome = "lost claim"
            except OutcomeUnknown:
                logger.warning("mailing copy %s: connection lost after the message", recipient.pk)
                outcome = Recipient.Status.SENT
            except (smtplib.SMTPException, OSError) as error:
                outcome = _failed(recipient, token, error)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def send_some(mailing_id: int, *, batch: int | None = None, max_batches: int | None = None) -> dict:
    """Claim and send batches of one mailing until none is left, the mailing is paused or
    `max_batches` were sent; returns the count of each outcome."""
    batch = batch or settings.MAILING_BATCH_SIZE
    outcomes: dict[str, int] = {}
    editions: dict = {}
    sender = Sender()
    batches = 0
    try:
        with _commits_without_waiting():
            while max_batches is None or batches < max_batches:
                mailing = Mailing.objects.filter(
                    pk=mailing_id, status=Mailing.Status.SENDING
                ).first()
                if mailing is None:
                    break
                vault.keys()  # locked: claim nothing, the worker waits (raises vault.Locked)
                token, recipients = claim(mailing_id, batch)
                if not recipients:
                    finish_if_done(mailing)
                    break
                sent = send_batch(mailing, token, recipients, sender, editions)
                for outcome, count in sent.items():
                    outcomes[outcome] = outcomes.get(outcome, 0) + count
                batches += 1
    finally:
        sender.close()
    return outcomes


@contextmanager
def _commits_without_waiting():
    """On PostgreSQL, let this worker's commits return before the server has flushed them
    to disk (`synchronous_commit = off`): every copy's "sent" mark is a commit, and waiting
    for each flush halves the rate. The marks are visible to every other worker at once and
    survive any worker being killed; only a crash of the PostgreSQL server itself could
    lose the last fraction of a second of them, and those copies would be sent again.
    The connection gets back the setting it had."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        (before,) = cursor.fetchone()
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('synchronous_commit', %s, false)", [before])


def finish_if_done(mailing: Mailing) -> bool:
    waiting = mailing.recipients.filter(
        status__in=[Recipient.Status.QUEUED, Recipient.Status.SENDING]
    ).exists()
    if waiting:
        return False
    return bool(
        Mailing.objects.filter(pk=mailing.pk, status=Mailing.Status.SENDING).update(
            status=Mailing.Status.SENT, finished_at=timezone.now()
        )
    )


def progress(mailing: Mailing) -> dict[str, int]:
    counts = dict(
        mailing.recipients.order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    counts = {status: counts.get(status, 0) for status in Recipient.Status.values}
    counts["total"] = sum(counts.values())
    counts["done"] = counts["sent"] + counts["failed"] + counts["skipped"]
    return counts
