"""Every write to petitions and signatures: the views, admin, demo loader and tasks call these."""

import json
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from tadamun.coalition.models import Organisation
from tadamun.core.crypto import decrypt, encrypt
from tadamun.core.privacy import email_domain
from tadamun.core.tasks import enqueue_on_commit
from tadamun.petitions import counters
from tadamun.petitions.models import Petition, Signature, SignatureIntake
from tadamun.petitions.tasks import process_intake, send_signature_confirmation
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent

CONFIRMATION_SALT = "tadamun.signature.confirm"
INTAKE_KICK_KEY = "petitions:intake-kick"


@dataclass(frozen=True)
class SignatureRequest:
    """What a signer submitted, plus where it came from."""

    name: str
    email: str
    country: str
    comment: str = ""
    show_name: bool = False
    wants_updates: bool = False
    shares_with_partner: bool = False
    source: str = ""
    language: str = settings.LANGUAGE_CODE
    ip_hash: str = ""


def accept(petition: Petition, request: SignatureRequest) -> SignatureIntake:
    """Keep a submitted signature, sealed, for a worker to record (see SignatureIntake).

    This is all the sign form does while the person waits: one INSERT. The worker is
    woken at most once per INTAKE_KICK_SECONDS; the scheduler also drains the intake
    every few seconds, in case a wake-up was missed.
    """
    intake = SignatureIntake.objects.create(
        petition=petition, sealed=encrypt(json.dumps(asdict(request)))
    )
    transaction.on_commit(_wake_intake_worker)
    return intake


def _wake_intake_worker() -> None:
    if cache.add(INTAKE_KICK_KEY, 1, settings.INTAKE_KICK_SECONDS):
        process_intake.enqueue()


def record_intake(intake: SignatureIntake) -> Signature | None:
    """Record one sealed submission as a signature and delete it, in one transaction."""
    with transaction.atomic():
        if not SignatureIntake.objects.filter(pk=intake.pk).delete()[0]:
            return None  # another worker recorded it a moment ago
        request = SignatureRequest(**json.loads(decrypt(intake.sealed)))
        return sign(intake.petition, request)


def partner_for(source: str) -> Organisation | None:
    return Organisation.objects.filter(partner_code=source).first() if source else None


def sign(petition: Petition, request: SignatureRequest) -> Signature:
    """Record a signature and email a confirmation link.

    The same email on the same petition is one signature, also when two submissions race:
    the database's unique constraint decides and the loser gets the winner's row. Signing again
    before confirming sends the link again; after confirming it changes nothing.
    """
    first_name = request.name.split()[0][:60] if request.show_name and request.name.split() else ""
    # One transaction: the supporter, the signature and the consents are written together.
    with transaction.atomic():
        supporter = supporters.find_or_create_supporter(
            request.email,
            name=request.name,
            country=request.country,
            language=request.language,
            source=request.source,
        )
        try:
            with transaction.atomic():
                signature = Signature.objects.create(
                    petition=petition,
                    supporter=supporter,
                    country=request.country,
                    public_name=first_name,
                    comment=request.comment,
                    source=request.source,
                    language=request.language,
                    ip_hash=request.ip_hash,
                    email_domain=email_domain(request.email),
                )
        except IntegrityError:
            signature = Signature.objects.get(petition=petition, supporter=supporter)
        _record_consents(supporter, petition, request)
        if signature.status == Signature.Status.UNCONFIRMED:
            enqueue_on_commit(send_signature_confirmation, signature.pk)
    return signature


def _record_consents(supporter, petition, request: SignatureRequest) -> None:
    where = f"petition:{petition.slug}"
    if request.wants_updates:
        supporters.give_consent(supporter, Consent.Purpose.UPDATES, source=where)
    partner = partner_for(request.source)
    if request.shares_with_partner and partner:
        supporters.give_consent(
            supporter, Consent.Purpose.PARTNER, organisation=partner, source=where
        )


def confirmation_token(signature: Signature) -> str:
    return signing.dumps(signature.pk, salt=CONFIRMATION_SALT)


def signature_from_token(token: str) -> Signature | None:
    try:
        pk = signing.loads(
            token, salt=CONFIRMATION_SALT, max_age=settings.CONFIRMATION_LINK_MAX_AGE
        )
    except signing.BadSignature:
        return None
    return Signature.objects.select_related("petition").filter(pk=pk).first()


def confirm(signature: Signature) -> Signature:
    """The signer confirmed their email: the signature counts. Confirming twice counts once."""
    with transaction.atomic():
        now = timezone.now()
        changed = Signature.objects.filter(
            pk=signature.pk, status=Signature.Status.UNCONFIRMED
        ).update(status=Signature.Status.CONFIRMED, confirmed_at=now)
        signature.refresh_from_db()
        if changed:
            counters.add(signature, +1)
    return signature


def invalidate(signatures, reason: str) -> int:
    """Mark signatures invalid (they are kept, for the record) and take them out of the counts."""
    count = 0
    with transaction.atomic():
        for signature in signatures.select_for_update().exclude(
            status=Signature.Status.INVALIDATED
        ):
            was_counted = signature.status == Signature.Status.CONFIRMED
            Signature.objects.filter(pk=signature.pk).update(
                status=Signature.Status.INVALIDATED, invalidated_reason=reason[:200]
            )
            if was_counted:
                counters.add(signature, -1)
            count += 1
    return count
