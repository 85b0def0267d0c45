"""Reads of the coalition that its services and tasks share."""

from tadamun.coalition.models import Endorsement, Organisation
from tadamun.core.text import name_key


def same_organisation(name: str, country: str):
    """The organisation of this name in this country, compared as the unique constraint does
    (see core.text.name_key)."""
    return Organisation.objects.filter(name_key=name_key(name), country=country)


def standing_endorsement(submission: Endorsement) -> Endorsement | None:
    """The endorsement of the campaign, confirmed and not rejected, by the organisation a
    submission names: if there is one, the submission changes nothing."""
    return (
        Endorsement.objects.filter(
            campaign=submission.campaign,
            organisation__in=_named_organisation(submission),
            status__in=[Endorsement.Status.PENDING, Endorsement.Status.APPROVED],
        )
        .select_related("organisation")
        .first()
    )


def _named_organisation(submission: Endorsement):
    if submission.organisation_id:  # submitted before organisations waited for confirmation
        return Organisation.objects.filter(pk=submission.organisation_id)
    return same_organisation(submission.submitted_name, submission.submitted_country)
