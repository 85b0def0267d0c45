"""Every write to the coalition: views, the admin and the demo loader call these."""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tadamun.coalition.models import Campaign, Endorsement, Organisation
from tadamun.coalition.tasks import send_endorsement_confirmation, send_moderation_result
from tadamun.core import links, signals
from tadamun.core.images import reencode_logo
from tadamun.core.privacy import keyed_hash
from tadamun.core.signals import send_on_commit
from tadamun.core.tasks import enqueue_on_commit
from tadamun.core.text import name_key, normalise_name

CONFIRMATION_SALT = "tadamun.endorsement.confirm"


@dataclass(frozen=True)
class OrganisationDetails:
    name: str
    country: str
    kind: str
    website: str = ""
    logo: object = None


def same_organisation(name: str, country: str):
    """The organisation of this name in this country, compared as the unique constraint does
    (see core.text.name_key)."""
    return Organisation.objects.filter(name_key=name_key(name), country=country)


def find_or_create_organisation(details: OrganisationDetails) -> Organisation:
    """The organisation of that name (any capitalisation) in that country, created if new.

    An existing organisation's details are never overwritten from a public form: moderators
    and the organisation's organisers keep them.
    """
    if existing := same_organisation(details.name, details.country).first():
        return existing
    organisation = Organisation(
        name=normalise_name(details.name),
        country=details.country,
        kind=details.kind,
        website=details.website,
    )
    if details.logo:
        set_logo(organisation, details.logo)
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        # Another request created it a moment ago.
        if organisation.logo:
            organisation.logo.delete(save=False)
        return same_organisation(details.name, details.country).get()
    return organisation


def set_logo(organisation: Organisation, upload) -> None:
    """Store a checked upload as the organisation's logo, re-encoded (see core.images)."""
    organisation.logo.save("logo.png", reencode_logo(upload), save=False)


class AlreadyEndorsed(Exception):
    """The organisation's endorsement of this campaign is already confirmed."""


def submit_endorsement(
    campaign: Campaign,
    organisation: OrganisationDetails,
    *,
    contact_name: str,
    contact_email: str,
    public_message: str = "",
    language: str = settings.LANGUAGE_CODE,
) -> Endorsement:
    """Record an organisation's endorsement and email its contact a confirmation link.

    Submitting again (a double click, a retry) keeps one endorsement. While it is unconfirmed,
    or after a rejection, the new submission replaces the old one and a new link is sent; links
    sent for the old content stop working (the token carries a fingerprint of the content).
    Once confirmed, it raises AlreadyEndorsed: only moderators change it then.
    """
    org = find_or_create_organisation(organisation)
    submitted = {
        "contact_name": contact_name,
        "contact_email": contact_email,
        "public_message": public_message,
        "language": language,
    }
    with transaction.atomic():
        endorsement, created = Endorsement.objects.select_for_update().get_or_create(
            campaign=campaign, organisation=org, defaults=submitted
        )
        if endorsement.status in (Endorsement.Status.PENDING, Endorsement.Status.APPROVED):
            raise AlreadyEndorsed
        if not created:
            for field, value in submitted.items():
                setattr(endorsement, field, value)
            endorsement.status = Endorsement.Status.UNCONFIRMED
            endorsement.save(update_fields=[*submitted, "status"])
        enqueue_on_commit(send_endorsement_confirmation, endorsement.pk)
    return endorsement


def _fingerprint(endorsement: Endorsement) -> str:
    content = "\n".join(
        [endorsement.contact_email, endorsement.contact_name, endorsement.public_message]
    )
    return keyed_hash("endorsement", content)[:16]


def confirmation_token(endorsement: Endorsement) -> str:
    return links.make_token(endorsement.pk, _fingerprint(endorsement), salt=CONFIRMATION_SALT)


def endorsement_from_token(token: str) -> Endorsement | None:
    """The endorsement a confirmation link names, or None when the link is bad or expired."""
    if not (
        read := links.read_token(
            token, salt=CONFIRMATION_SALT, max_age=settings.CONFIRMATION_LINK_MAX_AGE
        )
    ):
        return None
    pk, fingerprint = read
    endorsement = (
        Endorsement.objects.select_related("campaign", "organisation").filter(pk=pk).first()
    )
    # A link confirms only the content it was sent for, not a later resubmission's.
    if endorsement is None or _fingerprint(endorsement) != fingerprint:
        return None
    return endorsement


def confirm_endorsement(endorsement: Endorsement) -> Endorsement:
    """The contact confirmed their email: the endorsement goes to the moderation queue."""
    # A conditional UPDATE: confirming twice, or after moderation, changes nothing.
    Endorsement.objects.filter(pk=endorsement.pk, status=Endorsement.Status.UNCONFIRMED).update(
        status=Endorsement.Status.PENDING, confirmed_at=timezone.now()
    )
    endorsement.refresh_from_db()
    return endorsement


def moderate_endorsements(endorsements, *, approve: bool, by) -> int:
    """Approve or reject confirmed endorsements; tell each contact. Returns how many changed."""
    status = Endorsement.Status.APPROVED if approve else Endorsement.Status.REJECTED
    changed = []
    with transaction.atomic():
        for endorsement in endorsements.select_for_update().exclude(
            status__in=[Endorsement.Status.UNCONFIRMED, status]
        ):
            endorsement.status = status
            endorsement.moderated_at = timezone.now()
            endorsement.moderated_by = by
            endorsement.save(update_fields=["status", "moderated_at", "moderated_by"])
            changed.append(endorsement.pk)
            if approve:
                send_on_commit(signals.endorsement_approved, endorsement=endorsement)
        for pk in changed:
            enqueue_on_commit(send_moderation_result, pk)
    return len(changed)
