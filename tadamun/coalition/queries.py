"""Reads of the coalition that its services and tasks share, and the public reads its pages
and the front pages (tadamun.front) share."""

from django.db.models import Count, Exists, OuterRef, Q

from tadamun.coalition.member_actions import has_organisers
from tadamun.coalition.models import Campaign, Endorsement, Organisation
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


def public_organisations():
    """The organisations with a public page: those endorsing a public campaign (a moderator
    approved the endorsement) and the member organisations (a coalition admin gave them
    organisers). An organisation only ever submitted, or whose endorsements were all rejected,
    has none."""
    endorsing = Endorsement.objects.approved().filter(
        organisation=OuterRef("pk"), campaign__in=Campaign.objects.public()
    )
    return Organisation.objects.filter(Q(Exists(endorsing)) | Q(has_organisers()))


def endorsed_campaigns(organisation: Organisation):
    """The public campaigns the organisation endorses (approved endorsements)."""
    endorsed = Endorsement.objects.approved().filter(organisation=organisation)
    return Campaign.objects.public().filter(pk__in=endorsed.values("campaign")).for_reader()


def public_campaigns():
    """Campaigns readers may see, with only the translation in the reader's language."""
    return Campaign.objects.public().for_reader()


def coalition_size(campaign: Campaign) -> dict:
    """How many organisations, and from how many countries, endorse the campaign (approved)."""
    return (
        Endorsement.objects.approved()
        .filter(campaign=campaign)
        .aggregate(
            organisations=Count("pk"), countries=Count("organisation__country", distinct=True)
        )
    )
