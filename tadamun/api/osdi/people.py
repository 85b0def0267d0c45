"""OSDI people: the people a token may read, Action Network's person signup helper, and updates
of what a partner sent about a person it knows."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from ninja import Field, Query
from ninja.errors import HttpError

from tadamun.api import schemas
from tadamun.api.osdi.common import (
    FILTER,
    Paging,
    exported,
    hal,
    modified_since,
    one_or_404,
    page_of,
)
from tadamun.api.osdi.person import (
    Background,
    PersonChanges,
    Signup,
    checked,
    person_out,
    submitted_person,
    tagged_as_sent,
)
from tadamun.core.audit import record_partner_write
from tadamun.supporters import partners
from tadamun.supporters.models import Supporter

# Action Network's way to find a person: `email_address eq 'someone@example.org'`.
EMAIL_FILTER = re.compile(r"^email_address eq '([^'\s]{3,254})'$")


PeoplePage = schemas.osdi_collection("people", schemas.OsdiPerson)


class PeoplePaging(Paging):
    """Paging of people: by modified_date, or Action Network's filter by email address."""

    filter: str | None = Field(
        None, max_length=300, pattern=f"{FILTER.pattern}|{EMAIL_FILTER.pattern}"
    )


def people_matching(reader, queryset, expression: str | None):
    """The people of `email_address eq '...'` (the one with that address, if the partner knows
    them), else those of a modified_date filter."""
    match = EMAIL_FILTER.match(expression or "")
    if not match:
        return modified_since(queryset, expression, "modified")
    try:
        validate_email(match[1])
    except ValidationError:
        raise HttpError(400, "Filter as: email_address eq 'someone@example.org'.") from None
    return reader.with_email(queryset, match[1])


@hal("GET", "/people", PeoplePage)
def people(request, paging: Query[PeoplePaging]):
    known = request.reader.people()
    found = people_matching(request.reader, known, paging.filter)
    exported(request, "OSDI people")
    return page_of(found, paging, "people", "people", lambda p: person_out(p, request.reader))


@hal("GET", "/people/{int:person_id}", schemas.OsdiPerson)
def person(request, person_id: int):
    found = one_or_404(request.reader.people(), pk=person_id)
    exported(request, f"OSDI person {person_id}")
    return person_out(found, request.reader)


def signed_up(request, payload: Signup) -> dict:
    """Keep a person the partner signed up, with its tags. The answer echoes what the partner
    sent; what the site knows of them is shared only once they confirm it from the email we
    send them."""
    known_as = submitted_person(request, "osdi-person", checked(payload.person))
    tagged_as_sent(known_as, payload)
    record_partner_write(request.auth, f"OSDI person_signup: person {known_as.pk}")
    return person_out(known_as)


@hal("POST", "/people", schemas.OsdiPerson)
def create_person(request, payload: Signup, options: Query[Background]):
    """Action Network's way to create a person, or find them by email address and update
    what the partner sent (the person signup helper's semantics)."""
    return signed_up(request, payload)


@hal("POST", "/people/person_signup", schemas.OsdiPerson)
def person_signup_helper(request, payload: Signup, options: Query[Background]):
    return signed_up(request, payload)


@hal("PUT", "/people/{int:person_id}", schemas.OsdiPerson)
def update_person(request, person_id: int, payload: PersonChanges):
    """Update what the partner sent about a person it knows (never the person's own record).
    The address names the person: another one is a new person, made with POST /people."""
    known = partners.people_of(request.auth.organisation)
    found = one_or_404(known, pk=person_id)
    sent = checked(payload)
    if "email" in sent and not Supporter.objects.with_email(sent["email"]).filter(
        pk=found.supporter_id
    ):
        raise HttpError(422, "An email address is not changed; POST /people for a new one.")
    partners.amend_person(found, sent)
    record_partner_write(request.auth, f"OSDI update: person {person_id}")
    return person_out(one_or_404(known, pk=person_id))
