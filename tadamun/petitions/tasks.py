"""Background work for petitions. Tasks take ids and are safe to run twice."""

import logging
from datetime import timedelta

from django.core.cache import cache
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from tadamun import vault
from tadamun.core import fanout, outbox
from tadamun.petitions import counters, services
from tadamun.petitions.intake import record_batch
from tadamun.petitions.models import Petition, Signature, SignatureIntake

logger = logging.getLogger(__name__)


@task()
def reconcile_counters() -> int:
    """Recompute every open petition's counters from its rows; returns how many had drifted."""
    drifted = 0
    for petition in Petition.objects.exclude(status=Petition.Status.DRAFT).iterator():
        if counters.reconcile(petition):
            drifted += 1
            logger.warning("petition %s: counters had drifted and were corrected", petition.pk)
    return drifted


# Rows recorded per transaction: on SQLite the sign form waits while one holds the lock.
INTAKE_BATCH = 50
# A row that failed this often waits for a person (see /healthz): it is not retried for ever.
INTAKE_MAX_ATTEMPTS = 5
# Set while a wake-up is queued (submissions.accept): at most one per INTAKE_KICK_SECONDS.
INTAKE_KICK_KEY = "petitions:intake-kick"


@task()
def process_intake() -> int:
    """Record every waiting submission (see SignatureIntake), a batch at a time (see
    petitions.intake); returns how many.

    Safe to run in several workers at once: each row is deleted by exactly one transaction.
    A batch that fails is recorded row by row, so a row that cannot be recorded stays for a
    later run and never holds up the others. While the vault is locked nothing is opened and
    nothing counts as an attempt: vault.Locked makes the worker wait for the keys.
    """
    vault.keys()  # raises vault.Locked: the rows wait, sealed, for the unlock
    recorded = 0
    last_pk = 0
    waiting = SignatureIntake.objects.filter(attempts__lt=INTAKE_MAX_ATTEMPTS).order_by("pk")
    while ids := list(waiting.filter(pk__gt=last_pk).values_list("pk", flat=True)[:INTAKE_BATCH]):
        last_pk = ids[-1]
        fanout.ask_for_help("intake", process_intake, batch_was_full=len(ids) == INTAKE_BATCH)
        try:
            recorded += record_batch(ids)
        except vault.Locked:
            raise  # locked midway: the batch rolled back, the worker waits
        except Exception:  # noqa: BLE001 - the batch rolled back: find the row at fault
            recorded += _record_one_by_one(ids)
    cache.delete(INTAKE_KICK_KEY)  # the next submission wakes a worker again
    if recorded:
        outbox.drain()  # their links, at once: no wait for another worker to be woken
    return recorded


def _record_one_by_one(ids: list[int]) -> int:
    recorded = 0
    for intake in SignatureIntake.objects.filter(pk__in=ids).select_related("petition"):
        try:
            if services.record_intake(intake) is not None:
                recorded += 1
        except vault.Locked:
            raise
        except Exception as error:  # noqa: BLE001 - one bad row must not block the rest
            SignatureIntake.objects.filter(pk=intake.pk).update(attempts=F("attempts") + 1)
            # The kind of error only: its text could quote what the person typed.
            logger.error("intake %s not recorded: %s", intake.pk, type(error).__name__)
    return recorded


NETWORK_MEMORY = timedelta(days=2)


@task()
def forget_networks() -> int:
    """Clear the network hash and email domain of signatures older than two days: they
    serve the abuse review of the last hour, and nothing afterwards."""
    return (
        Signature.objects.filter(created_at__lt=timezone.now() - NETWORK_MEMORY)
        .exclude(ip_hash="", email_domain="")
        .update(ip_hash="", email_domain="")
    )
