"""A person as the OSDI API shows them and as partners send them (Action Network's names and
fields), and what every helper recording an action shares: the checks of what the partner sent,
the mail limit, its tags, the answers to custom questions and the answer echoing the partner."""

from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Prefetch
from django_countries import countries
from ninja import Field, Schema
from ninja.errors import HttpError
from pydantic import StringConstraints, field_validator, model_validator

from tadamun.api.osdi.common import link
from tadamun.core import limits
from tadamun.core.text import validate_single_line
from tadamun.questions import services as custom_services
from tadamun.questions.models import Answer
from tadamun.supporters import partners
from tadamun.supporters.models import PartnerPerson, Supporter

# The email statuses of Action Network a partner's word may carry (others are ignored).
STATUSES = {"subscribed", partners.UNSUBSCRIBED}


def person_out(person: PartnerPerson | Supporter, reader=None) -> dict:
    """The person as the token may see them (supporters.partners; a helper's echo is what
    the partner sent)."""
    shown = reader.shown(person) if reader else partners.shown_to_partner(person)
    status = "subscribed" if getattr(person, "shares", False) else shown.get("status")
    postal = {"postal_code": shown.get("postal_code"), "country": shown.get("country")}
    return {
        "identifiers": [f"tadamun:{person.pk}"],
        "created_date": person.created_at.isoformat(),
        # `modified` when read through people_of; a helper's echo is as of the submission.
        "modified_date": getattr(person, "modified", person.updated_at).isoformat(),
        "given_name": shown.get("given_name", ""),
        "family_name": shown.get("family_name", ""),
        "email_addresses": [{"address": shown.get("email", ""), "primary": True, "status": status}],
        "postal_addresses": [{**postal, "primary": True}] if any(postal.values()) else [],
        "languages_spoken": [shown["language"]] if shown.get("language") else [],
        "custom_fields": shown.get("custom_fields", {}),
        "tadamun:consents": shown.get("consents"),
        "_links": {"self": link(f"people/{person.pk}")},
    }


def person_link(partner_person_id: int) -> dict:
    return link(f"people/{partner_person_id}")


# Fields a request names that these schemas do not are ignored, as Action Network ignores them
# (its clients send phone numbers, referrer data and the like): pydantic's default.
class EmailAddress(Schema):
    address: str = Field(..., max_length=254)
    # Action Network's list status; "subscribed" and "unsubscribed" are read, others ignored.
    status: str | None = Field(None, max_length=40)


class PostalAddress(Schema):
    country: str | None = Field(None, max_length=2)
    postal_code: str | None = Field(None, max_length=16)


Name = Annotated[str, StringConstraints(min_length=1, max_length=60)]


CustomFields = dict[Name, Annotated[str, StringConstraints(max_length=500)]]


class PersonChanges(Schema):
    """A person's fields as Action Network names them; each optional (PUT sends what changed)."""

    given_name: str | None = Field(None, max_length=60)
    family_name: str | None = Field(None, max_length=60)
    email_addresses: list[EmailAddress] | None = Field(None, min_length=1, max_length=5)
    postal_addresses: list[PostalAddress] = Field(default_factory=list, max_length=5)
    languages_spoken: list[Annotated[str, StringConstraints(max_length=8)]] = Field(
        default_factory=list, max_length=10
    )
    custom_fields: CustomFields = Field(default_factory=dict, max_length=20)

    @model_validator(mode="before")
    @classmethod
    def an_object(cls, data):
        """A JSON object, not a list or a number (whose missing fields would all be optional)."""
        sent = getattr(data, "_obj", data)  # ninja's wrapper of what was parsed
        if sent is None or isinstance(sent, list | str | int | float):
            raise ValueError("A person is a JSON object.")
        return data


class PersonIn(PersonChanges):
    email_addresses: list[EmailAddress] = Field(..., min_length=1, max_length=5)


def tag_names(names: list[str]) -> list[str]:
    """Tag names as kept: on one line, spaces collapsed (a ValueError otherwise)."""
    try:
        for name in names:
            validate_single_line(name)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None
    return [" ".join(name.split()) for name in names if name.split()]


class Tagging(Schema):
    """Action Network's tags sent with a person: the partner's own tags, by name (checked
    with the rest of the body, before anything is written)."""

    add_tags: list[Name] = Field(default_factory=list, max_length=20)
    remove_tags: list[Name] = Field(default_factory=list, max_length=20)

    _names = field_validator("add_tags", "remove_tags")(tag_names)


class Signup(Tagging):
    person: PersonIn


class Background(Schema):
    """Action Network's `background_request=true`: accepted; the work is done at once."""

    background_request: bool = False


def first_address(person: PersonChanges) -> dict:
    """The postal code and country of the first postal address that has either."""
    for address in person.postal_addresses:
        if address.country or address.postal_code:
            return {
                "country": (address.country or "").upper(),
                "postal_code": (address.postal_code or "").strip(),
            }
    return {}


def checked(person: PersonChanges) -> dict:
    """What the partner sent of the person (email and its status, given and family name,
    country, postal code, language, custom fields, when it sent them), or a 422 saying what
    is wrong."""
    email = person.email_addresses[0] if person.email_addresses else None
    sent = {
        "email": email.address.strip() if email else "",
        "status": email.status if email and email.status in STATUSES else "",
        "given_name": (person.given_name or "").strip(),
        "family_name": (person.family_name or "").strip(),
        **first_address(person),
        "language": next(
            (code for code in person.languages_spoken if code in dict(settings.LANGUAGES)), ""
        ),
        "custom_fields": person.custom_fields,
    }
    try:
        if email:
            validate_email(sent["email"])
        for text in (sent["given_name"], sent["family_name"], sent.get("postal_code", "")):
            validate_single_line(text)
        for name, value in person.custom_fields.items():
            validate_single_line(name)
            validate_single_line(value)
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None
    if sent.get("country") and sent["country"] not in countries:
        raise HttpError(422, f"Unknown country code {sent['country']!r}.")
    return {field: value for field, value in sent.items() if value}


def tagged_as_sent(person: PartnerPerson, sent: Tagging) -> None:
    """Apply the add_tags and remove_tags a partner sent with a person."""
    partners.tag_person(person, add=sent.add_tags, remove=sent.remove_tags)


def full_name(sent: dict) -> str:
    """The name the partner sent, else the address's local part (a form needs a name)."""
    name = " ".join(sent.get(part, "") for part in ("given_name", "family_name")).strip()
    return name or sent["email"].split("@")[0]


def mail_limited(request, route: str, email: str) -> None:
    """A JSON 429 when the partner would make the site email `email` once too often: the site's
    one limit on mail to typed addresses (core.limits), the partner's token counted as its
    network. The API's one check before any mail it makes the site send."""
    if limits.mail_refused(request, route, email, sender=request.auth.key_hash):
        raise HttpError(429, "Too many emails to this address or from this token; try later.")


def submitted_person(request, route: str, sent: dict) -> PartnerPerson:
    """Keep what the partner sent of a person, within the mail limits: it grants nothing, the
    person is asked by email whether to share with the partner."""
    mail_limited(request, route, sent["email"])
    organisation = request.auth.organisation
    return partners.record_person(organisation, sent, source=organisation.partner_code or "")


class Answering(Schema):
    """Answers to the action's custom questions, named by each question's key, as OSDI names
    a person's: `custom_fields` on the signature or attendance (what its GET shows), or,
    as Action Network's forms send them, in the person's `custom_fields`."""

    custom_fields: CustomFields = Field(default_factory=dict, max_length=20)


def answers_sent(questions, payload, country: str = "") -> dict[str, str]:
    """The answers in what the partner sent, checked as the site's forms check them, or a
    422 naming each wrong one."""
    sent = {**payload.person.custom_fields, **payload.custom_fields}
    try:
        return custom_services.from_custom_fields(questions, sent, country)
    except ValidationError as error:
        raise HttpError(422, " ".join(error.messages)) from None


def answered() -> Prefetch:
    return Prefetch("answers", Answer.objects.select_related("question"))


def submission_out(known_as: PartnerPerson, what: dict, links: dict) -> dict:
    """The answer to a helper recording an action: what the partner sent, and nothing of
    what the site holds (not even whether the person had already acted)."""
    return {
        **what,
        "person": person_out(known_as),
        "_links": {"osdi:person": person_link(known_as.pk), **links},
    }
