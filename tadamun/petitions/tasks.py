"""Background work for petitions. Tasks take ids and are safe to run twice."""

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from tadamun.core import intake_worker
from tadamun.petitions import counters
from tadamun.petitions.intake import SIGNATURES
from tadamun.petitions.models import Petition, Signature

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


@task()
def process_intake() -> int:
    """Record every waiting submission (see SignatureIntake), a batch at a time (see
    petitions.intake and core.intake_worker); returns how many.

    Safe to run in several workers at once: each row is deleted by exactly one transaction.
    A batch that fails is recorded row by row, so a row that cannot be recorded stays for a
    later run and never holds up the others. While the vault is locked nothing is opened and
    nothing counts as an attempt: vault.Locked makes the worker wait for the keys.
    """
    return intake_worker.drain(SIGNATURES, helper=process_intake)


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
