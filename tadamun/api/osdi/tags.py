"""OSDI tags and taggings: the tags a token reads, and the partner's own tags on the people it
knows."""

import re

from ninja import Field, Query, Schema
from ninja.errors import HttpError
from pydantic import field_validator

from tadamun.api import schemas
from tadamun.api.osdi.common import (
    Paging,
    base,
    exported,
    hal,
    link,
    no_filter,
    one_or_404,
    page_of,
)
from tadamun.api.osdi.person import person_link, tag_names
from tadamun.api.schemas import Hal
from tadamun.core.audit import record_partner_write
from tadamun.supporters import partners
from tadamun.supporters.models import PartnerPerson, Tag

TagsPage = schemas.osdi_collection("tags", schemas.OsdiTag)


TaggingsPage = schemas.osdi_collection("taggings", schemas.OsdiTagging)


def tag_out(tag: Tag) -> dict:
    return {
        "identifiers": [f"tadamun:tag:{tag.pk}"],
        "name": tag.name,
        "created_date": tag.created_at and tag.created_at.isoformat(),
        "modified_date": tag.created_at and tag.created_at.isoformat(),
        "_links": {
            "self": link(f"tags/{tag.pk}"),
            "osdi:taggings": link(f"tags/{tag.pk}/taggings"),
        },
    }


@hal("GET", "/tags", TagsPage)
def tags(request, paging: Query[Paging]):
    no_filter(request)
    found = request.reader.tags().order_by("pk")
    return page_of(found, paging, "tags", "tags", tag_out)


@hal("GET", "/tags/{int:tag_id}", schemas.OsdiTag)
def tag(request, tag_id: int):
    return tag_out(one_or_404(request.reader.tags(), pk=tag_id))


def tagging_out(tag_id: int, person: PartnerPerson) -> dict:
    return {
        "_links": {
            "self": link(f"tags/{tag_id}/taggings/{person.pk}"),
            "osdi:tag": link(f"tags/{tag_id}"),
            "osdi:person": person_link(person.pk),
        }
    }


def tagged(reader, tag_id: int):
    """The people the token may read under this tag (a tagging is named by the person's
    id: a person carries a tag once)."""
    return reader.tagged(one_or_404(reader.tags(), pk=tag_id))


class TagIn(Schema):
    name: str = Field(..., min_length=1, max_length=60)

    @field_validator("name")
    @classmethod
    def one_line(cls, name: str) -> str:
        return next(iter(tag_names([name])), "")


@hal("POST", "/tags", schemas.OsdiTag)
def create_tag(request, payload: TagIn):
    """The partner's own tag of this name (the same one if it exists): its label on the
    people it knows, which no one else reads."""
    if not payload.name:
        raise HttpError(422, "A tag needs a name.")
    made = partners.partner_tag(request.auth.organisation, payload.name)
    record_partner_write(request.auth, f"OSDI tag {made.pk}")
    return tag_out(made)


class PersonHref(Schema):
    href: str = Field(..., max_length=500)


class TaggingLinks(Hal):
    person: PersonHref = Field(..., alias="osdi:person")


class TaggingIn(Hal):
    links: TaggingLinks = Field(..., alias="_links")


def own_tag(token, tag_id: int) -> Tag:
    """One of the partner's own tags (the staff's tags are not the partner's to apply)."""
    return one_or_404(Tag.objects.filter(organisation=token.organisation), pk=tag_id)


def person_named_by(token, href: str) -> PartnerPerson:
    """The person of this API's href, among those the partner knows; a 404 otherwise."""
    named = re.fullmatch(re.escape(base()) + r"people/(\d+)/?", href)
    if not named:
        raise HttpError(422, "osdi:person must be the href of a person of this API.")
    return one_or_404(partners.people_of(token.organisation), pk=int(named[1]))


@hal("POST", "/tags/{int:tag_id}/taggings", schemas.OsdiTagging)
def create_tagging(request, tag_id: int, payload: TaggingIn):
    """Put the partner's tag on a person it knows, named by the href of the person."""
    tag = own_tag(request.auth, tag_id)
    known_as = person_named_by(request.auth, payload.links.person.href)
    partners.tag_person(known_as, add=[tag.name])
    record_partner_write(request.auth, f"OSDI tagging: tag {tag_id}, person {known_as.pk}")
    return tagging_out(tag_id, known_as)


@hal("DELETE", "/tags/{int:tag_id}/taggings/{int:person_id}", schemas.OsdiNotice)
def delete_tagging(request, tag_id: int, person_id: int):
    tag = own_tag(request.auth, tag_id)
    known_as = one_or_404(partners.tagged_people(request.auth.organisation, tag), pk=person_id)
    partners.tag_person(known_as, remove=[tag.name])
    record_partner_write(request.auth, f"OSDI untagging: tag {tag_id}, person {person_id}")
    return {"notice": "This tagging was successfully deleted."}


@hal("GET", "/tags/{int:tag_id}/taggings", TaggingsPage)
def taggings(request, tag_id: int, paging: Query[Paging]):
    no_filter(request)
    found = tagged(request.reader, tag_id)
    exported(request, f"OSDI taggings of tag {tag_id}")
    return page_of(
        found, paging, "taggings", f"tags/{tag_id}/taggings", lambda p: tagging_out(tag_id, p)
    )


@hal("GET", "/tags/{int:tag_id}/taggings/{int:person_id}", schemas.OsdiTagging)
def tagging(request, tag_id: int, person_id: int):
    found = one_or_404(tagged(request.reader, tag_id), pk=person_id)
    exported(request, f"OSDI tagging of tag {tag_id}, person {person_id}")
    return tagging_out(tag_id, found)
