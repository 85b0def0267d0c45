"""The sign form's one write while the person waits: keep the submission, sealed, in the
intake and wake the intake worker (tasks.process_intake), which records it through the
services (services.record_intake, petitions.intake).

It lives apart from the services so that the services never import the tasks that call
them: the form (and anything else that accepts a submission) calls this module, this module
queues the worker, and the worker calls the services.
"""

import json
from dataclasses import asdict, replace

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from tadamun import vault
from tadamun.core.privacy import email_hash
from tadamun.petitions.intake import INTAKE_KICK_KEY
from tadamun.petitions.models import Petition, SignatureIntake
from tadamun.petitions.services import SignatureRequest, partner_for
from tadamun.petitions.tasks import process_intake


def accept(petition: Petition, request: SignatureRequest) -> SignatureIntake:
    """Keep a submitted signature, sealed, for a worker to record (see SignatureIntake).

    This is all the sign form does while the person waits: one INSERT. The worker is
    woken at most once per INTAKE_KICK_SECONDS; the scheduler also drains the intake
    every few seconds, in case a wake-up was missed.
    """
    if request.partner_id is None and (partner := partner_for(request.source)):
        request = replace(request, partner_id=partner.pk)
    intake = SignatureIntake.objects.create(
        petition=petition, sealed=json.dumps(asdict(request)), email_hash=_hash_if_open(request)
    )
    # Robust: a queue down at that moment must not turn a recorded submission into an error
    # (the scheduler drains the intake anyway).
    transaction.on_commit(_wake_intake_worker, robust=True)
    return intake


def _hash_if_open(request: SignatureRequest) -> str:
    """The address's keyed hash, or nothing while the vault is locked: the submission is
    sealed to the public key anyway (vault/sealing.py) and the worker hashes it on unlock."""
    try:
        return email_hash(request.email)
    except vault.Locked:
        return ""


def _wake_intake_worker() -> None:
    if cache.add(INTAKE_KICK_KEY, 1, settings.INTAKE_KICK_SECONDS):
        process_intake.enqueue()
