"""OSDI advocacy campaigns (letter campaigns) and their outreaches (letters), and the record
outreach helper."""

from django.conf import settings
from django.core.exceptions import ValidationError
from ninja import Field, Query
from ninja.errors import HttpError

from tadamun.api import schemas
from tadamun.api.osdi.common import (
    FilteredPaging,
    exported,
    hal,
    link,
    modified_since,
    one_or_404,
    page_of,
)
from tadamun.api.osdi.person import Background, answered, full_name, person_link
from tadamun.api.osdi.recording import ActionIn, Submission, record_action, submission
from tadamun.letters import queries as letter_queries
from tadamun.letters import services as letters
from tadamun.letters.forms import LetterForm
from tadamun.letters.models import Letter, LetterCampaign
from tadamun.questions import queries as custom
from tadamun.supporters import partners

CampaignsPage = schemas.osdi_collection("advocacy_campaigns", schemas.OsdiAdvocacyCampaign)


OutreachesPage = schemas.osdi_collection("outreaches", schemas.OsdiOutreach)


def advocacy_campaign_out(campaign: LetterCampaign) -> dict:
    return {
        "identifiers": [f"tadamun:{campaign.slug}"],
        "title": campaign.title,
        "description": campaign.body_html,
        "type": "email",
        "total_outreaches": letters.letter_count(campaign),
        "created_date": campaign.created_at.isoformat(),
        "modified_date": campaign.updated_at.isoformat(),
        "browser_url": settings.SITE_URL + campaign.get_absolute_url(),
        "_links": {
            "self": link(f"advocacy_campaigns/{campaign.slug}"),
            "osdi:outreaches": link(f"advocacy_campaigns/{campaign.slug}/outreaches"),
            "osdi:record_outreach_helper": link(f"advocacy_campaigns/{campaign.slug}/outreaches"),
        },
    }


@hal("GET", "/advocacy_campaigns", CampaignsPage)
def advocacy_campaigns(request, paging: Query[FilteredPaging]):
    found = modified_since(
        LetterCampaign.objects.public().order_by("pk"), paging.filter, "updated_at"
    )
    return page_of(found, paging, "advocacy_campaigns", "advocacy_campaigns", advocacy_campaign_out)


@hal("GET", "/advocacy_campaigns/{slug:slug}", schemas.OsdiAdvocacyCampaign)
def advocacy_campaign(request, slug: str):
    return advocacy_campaign_out(one_or_404(LetterCampaign.objects.public(), slug=slug))


def outreach_out(letter: Letter, reader) -> dict:
    """As `reader` (the token's) sees it: custom answers only where answers_go_to()."""
    slug = letter.campaign.slug
    return {
        "identifiers": [f"tadamun:letter:{letter.pk}"],
        "type": "email",
        "subject": letter.subject,
        "targets": [
            {"given_name": d.target.name, "title": d.target.role} for d in letter.deliveries.all()
        ],
        "created_date": letter.created_at.isoformat(),
        "custom_fields": (
            custom.custom_fields(letter)
            if partners.answers_go_to(reader.organisation_id, letter.campaign, letter.supporter_id)
            else {}
        ),
        "_links": {
            "self": link(f"advocacy_campaigns/{slug}/outreaches/{letter.pk}"),
            "osdi:advocacy_campaign": link(f"advocacy_campaigns/{slug}"),
            "osdi:person": person_link(letter.partner_person),
        },
    }


class OutreachIn(ActionIn):
    """Action Network's record_outreach_helper: the person, and the letter if the partner's
    page let them change it (else the campaign's own, in their language)."""

    subject: str | None = Field(None, max_length=500)
    message: str | None = Field(None, max_length=20_000)


def letter_of(campaign: LetterCampaign, payload: OutreachIn, submitted: Submission) -> dict:
    """The subject and text of the letter, checked by the letter form's own fields (the
    rules of a letter written on the site), or a 422."""
    template = campaign.localized(submitted.language)
    name = full_name(submitted.person)
    written = {
        "subject": payload.subject or letter_queries.fill(template.subject, name=name),
        "text": payload.message or letter_queries.fill(template.letter, name=name),
    }
    try:
        return {field: LetterForm.base_fields[field].clean(written[field]) for field in written}
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None


@hal("POST", "/advocacy_campaigns/{slug:slug}/outreaches", schemas.OsdiSubmission)
def record_outreach_helper(request, slug: str, payload: OutreachIn, options: Query[Background]):
    """Record a letter the partner's supporter wrote. As on the site, it is sent to the
    officials once its writer confirms it from the email we send them."""
    campaign = one_or_404(LetterCampaign.objects.public(), slug=slug)
    if not (campaign.is_open() and campaign.sent_by_platform):
        raise HttpError(409, "This campaign takes no letters through the API.")
    submitted = submission(
        payload,
        campaign.questions.all(),
        country_needed="A letter needs its writer's country (postal_addresses).",
    )
    letter = letters.LetterRequest(
        **submitted.request_fields(),
        country=submitted.country,
        **letter_of(campaign, payload, submitted),
    )
    return record_action(
        request,
        payload,
        submitted,
        route="osdi-outreach",
        record=lambda: letters.write(campaign, letter),
        audit=("record_outreach", f"on {slug}"),
        links={"osdi:advocacy_campaign": link(f"advocacy_campaigns/{slug}")},
    )


def shared_outreaches(reader, slug: str):
    """Confirmed letters of the people who share their data with the partner."""
    campaign = one_or_404(LetterCampaign.objects.public(), slug=slug)
    written = campaign.letters.filter(status=Letter.Status.CONFIRMED)
    return (
        reader.actions(written)
        .select_related("campaign")
        .prefetch_related("deliveries__target", answered())
        .order_by("pk")
    )


@hal("GET", "/advocacy_campaigns/{slug:slug}/outreaches", OutreachesPage)
def outreaches(request, slug: str, paging: Query[FilteredPaging]):
    found = modified_since(shared_outreaches(request.reader, slug), paging.filter, "confirmed_at")
    exported(request, f"OSDI outreaches of {slug}")
    path = f"advocacy_campaigns/{slug}/outreaches"
    return page_of(found, paging, "outreaches", path, lambda row: outreach_out(row, request.reader))


@hal("GET", "/advocacy_campaigns/{slug:slug}/outreaches/{int:outreach_id}", schemas.OsdiOutreach)
def outreach(request, slug: str, outreach_id: int):
    found = one_or_404(shared_outreaches(request.reader, slug), pk=outreach_id)
    exported(request, f"OSDI outreach {outreach_id}")
    return outreach_out(found, request.reader)
