"""Every write to the coalition: views, the admin and the demo loader call these."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tadamun.coalition import outbox as coalition_outbox
from tadamun.coalition.access import organisations_for
from tadamun.coalition.models import (
    Campaign,
    Endorsement,
    Feature,
    Organisation,
    OrganisationChange,
)
from tadamun.coalition.queries import same_organisation, standing_endorsement
from tadamun.coalition.tasks import send_feature_request, send_moderation_result
from tadamun.core import outbox, signals
from tadamun.core.images import reencode_logo
from tadamun.core.intake import sealed_when_locked
from tadamun.core.signals import send_on_commit
from tadamun.core.tasks import enqueue_on_commit
from tadamun.core.text import name_key, normalise_name


@dataclass(frozen=True)
class OrganisationDetails:
    name: str
    country: str
    kind: str
    website: str = ""
    logo: object = None  # an upload, checked by core.images.validate_logo


def find_or_create_organisation(details: OrganisationDetails) -> Organisation:
    """The organisation of that name (any capitalisation) in that country, created if new.

    An existing organisation's details are never overwritten from a public form: a different
    website or logo becomes a change for moderators (see propose_identity_change).
    """
    logo = reencode_logo(details.logo) if details.logo else None
    if existing := same_organisation(details.name, details.country).first():
        propose_identity_change(existing, website=details.website, logo=logo)
        return existing
    organisation = Organisation(
        name=normalise_name(details.name),
        country=details.country,
        kind=details.kind,
        website=details.website,
    )
    if logo:
        organisation.logo.save(logo.name, logo, save=False)
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


def propose_identity_change(
    organisation: Organisation, *, name: str = "", website: str = "", logo=None, by=None
) -> OrganisationChange | None:
    """Queue a change to what the public sees of an organisation (its name, website or logo)
    for moderators; the approved values stay public meanwhile. Empty values and values equal
    to the current ones change nothing; returns None when nothing would change. `logo` is
    stored as given: an upload goes through core.images.reencode_logo first."""
    change = OrganisationChange(organisation=organisation, proposed_by=by)
    if name and normalise_name(name) != organisation.name:
        change.name = normalise_name(name)
    if website and website != organisation.website:
        change.website = website
    if not (change.name or change.website or logo):
        return None
    if logo:
        change.logo.save("logo.png", logo, save=False)
    change.save()
    return change


def _apply(change: OrganisationChange) -> None:
    organisation = change.organisation
    if change.name:
        organisation.name = change.name
    if change.website:
        organisation.website = change.website
    if change.logo:
        organisation.logo.save("logo.png", ContentFile(change.logo.read()), save=False)
    organisation.save()


def moderate_identity_changes(changes, *, approve: bool, by) -> int:
    """Apply (or refuse) proposed changes to organisations; returns how many were decided.
    A new name another organisation of the country already has is left pending."""
    status = OrganisationChange.Status.APPROVED if approve else OrganisationChange.Status.REJECTED
    decided = 0
    for change in changes.select_related("organisation").filter(
        status=OrganisationChange.Status.PENDING
    ):
        try:
            with transaction.atomic():
                if approve:
                    _apply(change)
                change.status = status
                change.moderated_at = timezone.now()
                change.moderated_by = by
                change.save(update_fields=["status", "moderated_at", "moderated_by"])
        except IntegrityError:
            continue
        if change.logo:
            change.logo.delete(save=False)  # applied (copied under logos/) or refused
        decided += 1
    return decided


@sealed_when_locked(email=lambda *args, contact_email, **kwargs: contact_email)
def submit_endorsement(
    campaign: Campaign,
    organisation: OrganisationDetails,
    *,
    contact_name: str,
    contact_email: str,
    public_message: str = "",
    language: str = settings.LANGUAGE_CODE,
) -> Endorsement:
    """Record a submission and email its contact a confirmation link.

    Nothing else is created or stored before the contact confirms: no organisation, no logo
    file (the re-encoded logo waits in the submission's row, which the public never sees).
    Submitting again for the same organisation (a double click, a retry, someone else)
    replaces the unconfirmed submission and sends a new link; links sent for the old content
    stop working (the token carries a fingerprint of the content).

    The answer does not depend on whether the organisation already endorses the campaign or
    waits for a moderator: only the email to the address typed tells (see
    tasks.send_endorsement_confirmation), so a stranger learns nothing.
    """
    logo = reencode_logo(organisation.logo).read() if organisation.logo else None
    submitted = {
        "contact_name": contact_name,
        "contact_email": contact_email,
        "public_message": public_message,
        "language": language,
        "submitted_name": normalise_name(organisation.name),
        "submitted_kind": organisation.kind,
        "submitted_website": organisation.website,
        "submitted_logo": logo,
        "status": Endorsement.Status.UNCONFIRMED,
    }
    with transaction.atomic():
        endorsement, created = Endorsement.objects.select_for_update().get_or_create(
            campaign=campaign,
            organisation=None,
            submitted_name_key=name_key(organisation.name),
            submitted_country=organisation.country,
            defaults=submitted,
        )
        if not created:
            for field, value in submitted.items():
                setattr(endorsement, field, value)
            endorsement.save(update_fields=list(submitted))
        outbox.put(coalition_outbox.ENDORSEMENT, endorsement.pk, lane=coalition_outbox.LANE)
    return endorsement


def confirm(endorsement: Endorsement) -> Endorsement:
    """The contact confirmed their email: the organisation is found (or created, with its
    logo stored), and the endorsement goes to the moderation queue.

    A submission for an organisation that already endorses the campaign (or waits for a
    moderator) is dropped, and that endorsement is returned unchanged; one for an
    organisation rejected before replaces the rejected endorsement's content. Confirming
    twice, or after moderation, changes nothing.
    """
    with transaction.atomic():
        submission = (
            Endorsement.objects.select_for_update()
            .filter(pk=endorsement.pk, status=Endorsement.Status.UNCONFIRMED)
            .first()
        )
        if submission is None:
            endorsement.refresh_from_db()
            return endorsement
        if standing := standing_endorsement(submission):
            submission.delete()
            return standing
        organisation = submission.organisation or find_or_create_organisation(
            _submitted_details(submission)
        )
        earlier = (
            Endorsement.objects.select_for_update()
            .filter(campaign=submission.campaign, organisation=organisation)
            .exclude(pk=submission.pk)
            .first()
        )
        confirmed = earlier or submission
        for field in ("contact_name", "contact_email", "public_message", "language"):
            setattr(confirmed, field, getattr(submission, field))
        if earlier:
            submission.delete()
        confirmed.organisation = organisation
        confirmed.status = Endorsement.Status.PENDING
        confirmed.confirmed_at = timezone.now()
        confirmed.moderation_note = ""
        for field, empty in SUBMITTED_EMPTY.items():
            setattr(confirmed, field, empty)
        confirmed.save()
    return confirmed


SUBMITTED_EMPTY = {
    "submitted_name": "",
    "submitted_name_key": "",
    "submitted_country": "",
    "submitted_kind": "",
    "submitted_website": "",
    "submitted_logo": None,
}


def _submitted_details(submission: Endorsement) -> OrganisationDetails:
    logo = submission.submitted_logo
    return OrganisationDetails(
        name=submission.submitted_name,
        country=submission.submitted_country,
        kind=submission.submitted_kind,
        website=submission.submitted_website,
        logo=ContentFile(bytes(logo), name="logo.png") if logo else None,
    )


def moderate_endorsements(endorsements, *, approve: bool, by) -> int:
    """Approve or reject confirmed endorsements; tell each contact. Returns how many changed."""
    status = Endorsement.Status.APPROVED if approve else Endorsement.Status.REJECTED
    changed = []
    with transaction.atomic():
        # Only the endorsements' rows: their organisation may be missing (an outer join).
        for endorsement in endorsements.select_for_update(of=("self",)).exclude(
            status__in=[Endorsement.Status.UNCONFIRMED, status]
        ):
            endorsement.status = status
            endorsement.moderated_at = timezone.now()
            endorsement.moderated_by = by
            endorsement.save(update_fields=["status", "moderated_at", "moderated_by"])
            changed.append(endorsement.pk)
            if approve:
                send_on_commit(signals.endorsement_approved, endorsement=endorsement)
        if not approve:
            _drop_unvouched_identities(Endorsement.objects.filter(pk__in=changed))
        for pk in changed:
            enqueue_on_commit(send_moderation_result, pk)
    return len(changed)


def _drop_unvouched_identities(rejected) -> None:
    """An organisation that no moderator vouched for (no approved endorsement, no organisers,
    no partner code) keeps no website or logo from a rejected submission: they would stick to
    the real organisation when it comes to endorse (they were only the submitter's words)."""
    organisations = Organisation.objects.filter(
        pk__in=rejected.values("organisation"), organisers=None, partner_code=None
    ).exclude(endorsements__status=Endorsement.Status.APPROVED)
    for organisation in organisations:
        if organisation.logo:
            organisation.logo.delete(save=False)
        organisation.website = ""
        organisation.save(update_fields=["website", "logo"])


# Promotion between member organisations (issue 19, item 5) -------------------------------


def request_feature(user, organisation: Organisation, action) -> Feature:
    """`user`, an organiser of `organisation`, asks to feature another organisation's public
    action (petition, letter campaign or event) on its page; the owner's organisers are
    emailed. Asking twice changes nothing."""
    if not organisations_for(user).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    if action.organisation_id in (None, organisation.pk):
        raise ValidationError(_("Only another member organisation's action can be featured."))
    if not type(action)._default_manager.public().filter(pk=action.pk).exists():
        raise ValidationError(_("Only a public action can be featured."))
    field = {model._meta.label: name for name, model in _feature_models().items()}
    feature, created = Feature.objects.get_or_create(
        organisation=organisation, **{field[action._meta.label]: action}
    )
    if created:  # the owner's organisers hear of it, each in the owner's language
        for organiser_id in action.organisation.organisers.values_list("pk", flat=True):
            enqueue_on_commit(send_feature_request, feature.pk, organiser_id)
    return feature


def _feature_models() -> dict:
    return {name: Feature._meta.get_field(name).related_model for name in Feature.ACTION_FIELDS}


def answer_feature(user, feature: Feature, *, approve: bool) -> None:
    """The owner's organisers (or a coalition admin) approve or decline a feature; no one
    else may answer for the owner."""
    if not organisations_for(user).filter(pk=feature.owner_id).exists():
        raise PermissionDenied
    feature.status = Feature.Status.APPROVED if approve else Feature.Status.DECLINED
    feature.save(update_fields=["status"])


def withdraw_feature(user, feature: Feature) -> bool:
    """The requesting organisation's organisers take back their request, waiting or approved
    (the action leaves their page). A declined one stays: asking again would not reopen it.
    Returns whether it was withdrawn."""
    if not organisations_for(user).filter(pk=feature.organisation_id).exists():
        raise PermissionDenied
    if feature.status == Feature.Status.DECLINED:
        return False
    feature.delete()
    return True
