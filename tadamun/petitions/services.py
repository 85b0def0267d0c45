"""Every write to petitions and signatures: the views, admin, demo loader and tasks call these.

A submission from the sign form is first kept sealed (submissions.accept) and recorded here
by the intake worker (tasks.process_intake): these services never queue that worker."""

import json
import re
import unicodedata
from dataclasses import dataclass, field, fields

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tadamun.coalition.models import Organisation
from tadamun.core import outbox, signals
from tadamun.core.privacy import email_domain
from tadamun.core.records import create_or_replace_pending
from tadamun.core.signals import send_on_commit
from tadamun.petitions import counters
from tadamun.petitions.models import Petition, Signature, SignatureIntake
from tadamun.petitions.outbox import SIGNATURE, lane
from tadamun.questions import services as questions
from tadamun.supporters import consents
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent


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
    # The partner organisation the source code named when the signer submitted (filled in by
    # submissions.accept() or given by the partner API): codes can change before the
    # signature is recorded.
    partner_id: int | None = None
    language: str = settings.LANGUAGE_CODE
    ip_hash: str = ""
    # The answers to the petition's custom questions, by question id, as checked by the form
    # (or the API): sealed in the intake row with the rest.
    answers: dict[str, str] = field(default_factory=dict)


def request_of(intake: SignatureIntake) -> SignatureRequest:
    submitted = json.loads(intake.sealed)
    # Only the fields this version knows: a row written before a deploy still records.
    known = {f.name for f in fields(SignatureRequest)}
    return SignatureRequest(**{k: v for k, v in submitted.items() if k in known})


def record_intake(intake: SignatureIntake) -> Signature | None:
    """Record one sealed submission as a signature and delete it, in one transaction."""
    with transaction.atomic():
        if not SignatureIntake.objects.filter(pk=intake.pk).delete()[0]:
            return None  # another worker recorded it a moment ago
        return sign(intake.petition, request_of(intake))


def partner_for(source: str) -> Organisation | None:
    return Organisation.objects.filter(partner_code=source).first() if source else None


def shown_first_name(name: str) -> str:
    """The first name a signer lets the petition page show among recent signers, if it reads
    as a name: letters (any script), marks, inner hyphens and apostrophes, at most 30. Nothing
    else: the page shows it without a moderator, so it must not carry a link, digits or a
    sentence (docs/security.md, "Moderation")."""
    first = name.split()[0] if name.split() else ""
    parts = re.split(r"[-'’]", first)
    readable = all(
        part and all(unicodedata.category(char)[0] in "LM" for char in part) for part in parts
    )
    return first if readable and len(first) <= 30 else ""


def partner_of(request: SignatureRequest) -> Organisation | None:
    """The organisation fixed at submission, else the one the code names now."""
    if request.partner_id is not None:
        return Organisation.objects.filter(pk=request.partner_id).first()
    return partner_for(request.source)


def pending_values(request: SignatureRequest, partner: Organisation | None) -> dict:
    """What a submission puts on its signature until the owner of the address confirms."""
    return {
        "country": request.country,
        "public_name": shown_first_name(request.name) if request.show_name else "",
        "comment": request.comment,
        "name": request.name,
        "wants_updates": request.wants_updates,
        "shares_with_partner": request.shares_with_partner and partner is not None,
        "source": request.source,
        "partner": partner,
        "language": request.language,
        "ip_hash": request.ip_hash,
        "email_domain": email_domain(request.email),
    }


def is_pending(signature: Signature) -> bool:
    return signature.status == Signature.Status.UNCONFIRMED


def sign(petition: Petition, request: SignatureRequest) -> Signature:
    """Record a signature and promise a confirmation link (core.outbox).

    The same email on the same petition is one signature, also when two submissions race:
    the database's unique constraint decides and the loser gets the winner's row. Until the
    signature is confirmed, what was submitted (name, country, consents) stays on the
    signature, pending: anyone can type anyone's address, so nothing reaches the supporter
    record or a partner before the owner of the address confirms. Signing again before
    confirming replaces the pending submission and sends a new link (older links stop
    working); after confirming it changes nothing.
    """
    submitted = pending_values(request, partner_of(request))
    with transaction.atomic():
        supporter = supporters.find_or_create_supporter(
            request.email, language=request.language, source=request.source
        )
        signature = create_or_replace_pending(
            Signature,
            {"petition": petition, "supporter": supporter},
            submitted,
            is_pending=is_pending,
        )
        if is_pending(signature):
            questions.record(signature, request.answers)
            outbox.put(SIGNATURE, signature.pk, lane=lane(petition.pk))
    return signature


def _apply_confirmed_submission(signature: Signature) -> None:
    """The owner of the address confirmed: what they submitted becomes theirs."""
    supporter = signature.supporter
    assert supporter is not None, "only an erasure unlinks a signature, and no unconfirmed one"
    supporter.name = signature.name
    supporter.country = signature.country
    supporter.save(update_fields=["name", "country", "email_hash", "updated_at"])
    where = f"petition:{signature.petition.slug}"
    if signature.wants_updates:
        supporters.give_consent(supporter, Consent.Purpose.UPDATES, source=where)
    if signature.shares_with_partner and signature.partner_id:
        supporters.give_consent(
            supporter,
            Consent.Purpose.PARTNER,
            organisation=signature.partner,
            source=where,
            wording=sharing_wording(signature),
        )


def sharing_wording(signature: Signature) -> str:
    """The version of the sharing question the signer saw: to hear from the organisation
    whose petition it is (consents.OWNER), or to share with the partner whose link it was."""
    if signature.partner_id and signature.partner_id == signature.petition.organisation_id:
        return consents.OWNER
    return consents.CURRENT["partner"]


def confirm(signature: Signature) -> Signature:
    """The signer confirmed their email: the signature counts. Confirming twice counts once."""
    if signature.supporter_id is None:
        return signature  # erased: there is nobody left to confirm
    with transaction.atomic():
        now = timezone.now()
        changed = Signature.objects.filter(
            pk=signature.pk, status=Signature.Status.UNCONFIRMED
        ).update(status=Signature.Status.CONFIRMED, confirmed_at=now)
        signature.refresh_from_db()
        if changed:
            counters.add(signature, +1)
            _apply_confirmed_submission(signature)
            send_on_commit(signals.signature_confirmed, signature=signature)
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
