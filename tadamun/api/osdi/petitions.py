"""OSDI petitions and their signatures, and the record signature helper."""

from django.conf import settings
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
from tadamun.api.osdi.person import Background, answered, person_link
from tadamun.api.osdi.recording import ActionIn, record_action, submission
from tadamun.petitions import services as petitions
from tadamun.petitions.models import Petition, Signature
from tadamun.questions import queries as custom
from tadamun.supporters import partners

PetitionsPage = schemas.osdi_collection("petitions", schemas.OsdiPetition)


SignaturesPage = schemas.osdi_collection("signatures", schemas.OsdiSignature)


def petition_out(petition: Petition) -> dict:
    return {
        "identifiers": [f"tadamun:{petition.slug}"],
        "title": petition.title,
        "description": petition.body_html,
        "petition_text": petition.summary,
        "target": [{"name": petition.target}],
        "total_signatures": petition.confirmed_count,
        "created_date": petition.created_at.isoformat(),
        "modified_date": petition.updated_at.isoformat(),
        "browser_url": settings.SITE_URL + petition.get_absolute_url(),
        "_links": {
            "self": link(f"petitions/{petition.slug}"),
            "osdi:signatures": link(f"petitions/{petition.slug}/signatures"),
            "osdi:record_signature_helper": link(f"petitions/{petition.slug}/signatures"),
        },
    }


@hal("GET", "/petitions", PetitionsPage)
def petition_list(request, paging: Query[FilteredPaging]):
    found = modified_since(Petition.objects.public().order_by("pk"), paging.filter, "updated_at")
    return page_of(found, paging, "petitions", "petitions", petition_out)


@hal("GET", "/petitions/{slug:slug}", schemas.OsdiPetition)
def petition(request, slug: str):
    return petition_out(one_or_404(Petition.objects.public(), slug=slug))


def signature_out(signature: Signature, reader) -> dict:
    """As `reader` (the token's) sees it: custom answers only where answers_go_to()."""
    return {
        "identifiers": [f"tadamun:signature:{signature.pk}"],
        "created_date": signature.created_at.isoformat(),
        "modified_date": (signature.confirmed_at or signature.created_at).isoformat(),
        "status": signature.status,
        "custom_fields": (
            custom.custom_fields(signature)
            if partners.answers_go_to(
                reader.organisation_id, signature.petition, signature.supporter_id
            )
            else {}
        ),
        "_links": {
            "self": link(f"petitions/{signature.petition.slug}/signatures/{signature.pk}"),
            "osdi:person": person_link(signature.partner_person),
            "osdi:petition": link(f"petitions/{signature.petition.slug}"),
        },
    }


def shared_signatures(reader, slug: str):
    """Confirmed signatures of the people who share their data with the partner."""
    petition = one_or_404(Petition.objects.public(), slug=slug)
    signed = Signature.objects.confirmed().filter(petition=petition).select_related("petition")
    return reader.actions(signed).prefetch_related(answered()).order_by("pk")


@hal("GET", "/petitions/{slug:slug}/signatures", SignaturesPage)
def signatures(request, slug: str, paging: Query[FilteredPaging]):
    found = modified_since(shared_signatures(request.reader, slug), paging.filter, "confirmed_at")
    exported(request, f"OSDI signatures of {slug}")
    return page_of(
        found,
        paging,
        "signatures",
        f"petitions/{slug}/signatures",
        lambda row: signature_out(row, request.reader),
    )


@hal("GET", "/petitions/{slug:slug}/signatures/{int:signature_id}", schemas.OsdiSignature)
def signature(request, slug: str, signature_id: int):
    found = one_or_404(shared_signatures(request.reader, slug), pk=signature_id)
    exported(request, f"OSDI signature {signature_id}")
    return signature_out(found, request.reader)


class SignatureIn(ActionIn):
    comments: str = Field("", max_length=1000)


@hal("POST", "/petitions/{slug:slug}/signatures", schemas.OsdiSubmission)
def record_signature_helper(request, slug: str, payload: SignatureIn, options: Query[Background]):
    """Record a signature the partner collected. As on the site, it counts once the signer
    confirms it from the email we send them; recording it again changes nothing. The
    signature is attributed to the partner; sharing with it is the signer's own choice,
    asked separately."""
    petition = one_or_404(Petition.objects.public(), slug=slug)
    if not petition.is_open():
        raise HttpError(409, "This petition is closed.")
    submitted = submission(
        payload,
        petition.questions.all(),
        country_needed="A signature needs the signer's country (postal_addresses).",
    )
    organisation = request.auth.organisation
    signature = petitions.SignatureRequest(
        **submitted.request_fields(),
        country=submitted.country,
        comment=payload.comments,
        source=organisation.partner_code or "",
        partner_id=organisation.pk,
    )
    return record_action(
        request,
        payload,
        submitted,
        route="osdi-signature",
        record=lambda: petitions.sign(petition, signature),
        audit=("record_signature", f"on {slug}"),
        links={"osdi:petition": link(f"petitions/{slug}")},
        echo={"comments": payload.comments},
    )
