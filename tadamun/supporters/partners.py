"""The partner boundary, in one place: which people, and which of their actions, a partner
organisation may see.

A partner (its API token, its organisers' exports, its mailings, its webhooks) sees
- the people it submitted itself, with only what it submitted (PartnerPerson.submitted: it
  knew that already);
- the people who confirmed, themselves, that they share their data with it (an active partner
  consent), with what they told the site, and of their confirmed actions what that consent's
  words said: the ones the partner brought (a signature made on its link) for the question a
  form asks ("share my name and email address with X, who brought me here"), everything they
  do on the site for the question the "share with X?" email asks (consents.SHARING_ACTIVITY).
Nothing else. Every reader of people or actions on a partner's behalf goes through here.

The coalition's own token (ApiToken.Kind.COALITION) reads through here too, as one more
reader (`reader(None)`): every person who asked to hear from the coalition (an active
"updates" consent), with their consents, their confirmed actions and the staff's tags; nobody
who did not. Partners' ids, tags and submissions are never part of it.
"""

import json
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Greatest

from tadamun.core.tasks import enqueue_on_commit
from tadamun.supporters import consents
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent, PartnerPerson, Supporter, Tag

# The email status (Action Network's word) by which a partner says a person left its list.
UNSUBSCRIBED = "unsubscribed"


def organised_by(user):
    """The organisations the staff member is listed as an organiser of: whatever else they
    may see, these are the only partners on whose behalf they export people."""
    from tadamun.coalition.models import Organisation

    if not user.is_active:
        return Organisation.objects.none()
    return Organisation.objects.filter(organisers=user)


def _partner_consents(activity: bool):
    found = Consent.objects.active().filter(purpose=Consent.Purpose.PARTNER)
    return found.filter(wording__in=consents.SHARING_ACTIVITY) if activity else found


def shares_with(organisations, supporter: str = "pk", *, activity: bool = False) -> Exists:
    """True for the rows whose person confirmed sharing with one of `organisations` (ids,
    organisations or a queryset of them); `supporter` is the row's path to the person. With
    `activity`, only a consent whose words said that what they do on the site is shared."""
    found = _partner_consents(activity).filter(organisation__in=organisations)
    return Exists(found.filter(supporter=OuterRef(supporter)))


def shares_with_its_partner(supporter: str = "supporter", partner: str = "partner") -> Exists:
    """True for the actions (rows with a `partner` that brought them) whose person shares
    with that partner."""
    found = _partner_consents(False).filter(organisation=OuterRef(partner))
    return Exists(found.filter(supporter=OuterRef(supporter)))


def partners_sharing(supporter: Supporter | None, *, activity: bool = False) -> list[int]:
    """The ids of the organisations the person confirmed sharing their data (with `activity`:
    what they do on the site) with."""
    if supporter is None:
        return []
    found = _partner_consents(activity).filter(supporter=supporter)
    return list(found.values_list("organisation", flat=True).distinct())


def answers_go_to(organisation_id: int | None, action, supporter: Supporter | None) -> bool:
    """Whether an organisation (its id; None: the coalition's own token or webhook) may read
    a person's answers to the custom questions of `action` (a petition, event or letter
    campaign). Its owner asked them, so they go to its owner and the coalition, and to a
    partner only if the person agreed to share what they do on the site: never on the
    narrow consent a partner's link asks for, which covers a name and an email address."""
    if organisation_id is None or organisation_id == action.organisation_id:
        return True
    return organisation_id in partners_sharing(supporter, activity=True)


def people_of(organisation):
    """The people the partner knows: those it submitted and those who share with it. Each
    has `shares` (whether the partner may see what the person told the site) and `modified`."""
    return (
        PartnerPerson.objects.filter(organisation=organisation)
        .annotate(shares=shares_with([organisation], "supporter"))
        .filter(Q(shares=True) | Q(submitted__isnull=False))
        .annotate(
            # A sharing person's own changes count as changes the partner may sync.
            modified=Case(
                When(shares=True, then=Greatest("updated_at", "supporter__updated_at")),
                default=F("updated_at"),
            )
        )
        .select_related("supporter")
        .order_by("pk")
    )


def people_count(organisation) -> int:
    """How many people confirmed sharing their details with the organisation (on its own
    action's form, a partner's link or the emailed question): its people, as a count."""
    return Supporter.objects.filter(shares_with([organisation])).count()


def visible_actions(organisations, actions):
    """Those of `actions` (signatures, answers, letters: rows with a `supporter`) that a partner
    among `organisations` may see: every one of a person who shares their activity with it,
    and those it brought itself (rows with a `partner`) of a person who shares with it."""
    seen = Q(shares_with(organisations, "supporter", activity=True))
    if any(field.name == "partner" for field in actions.model._meta.fields):
        seen |= Q(partner__in=organisations) & Q(shares_with(organisations, "supporter"))
    return actions.filter(seen)


def actions_of(organisation, actions):
    """visible_actions for one partner, each with `partner_person`: the id it knows them by."""
    known_as = PartnerPerson.objects.filter(
        organisation=organisation, supporter=OuterRef("supporter")
    ).values("pk")[:1]
    return visible_actions([organisation], actions).annotate(partner_person=Subquery(known_as))


def tags_of(organisation):
    """The tags a partner may read: its own (its labels on the people it knows), and the
    staff's tags on people who share their activity with it (never another partner's)."""
    on_sharing_people = Supporter.tags.through.objects.filter(tag=OuterRef("pk")).filter(
        shares_with([organisation], "supporter", activity=True)
    )
    staffs = Q(organisation=None) & Q(Exists(on_sharing_people))
    return Tag.objects.filter(staffs | Q(organisation=organisation))


def shown_to_partner(person: PartnerPerson) -> dict:
    """What the partner may read of the person: exactly what the partner submitted, and over
    it the site's record when they share with it."""
    submitted = json.loads(person.submitted or "{}")
    if getattr(person, "shares", False):
        supporter = person.supporter
        given, _space, family = supporter.name.partition(" ")
        told = {
            "given_name": given,
            "family_name": family,
            "email": supporter.email,
            "country": supporter.country.code or "",
            "language": supporter.language,
        }
        return {**submitted, **{field: value for field, value in told.items() if value}}
    return submitted


def record_person(organisation, submitted: dict, *, source: str = "") -> PartnerPerson:
    """Keep what `organisation` submitted about a person (`email`, `given_name`,
    `family_name`, `country`, `postal_code`, `language`, `custom_fields`, `status`), whether the
    site knew the address or not, and unless they already share with it (or the partner says
    they unsubscribed), email them the question. Grants nothing: the person's own record is not
    written (a new one holds the address and a language to write to)."""
    supporter = supporters.find_or_create_supporter(
        submitted["email"], language=submitted.get("language", ""), source=source
    )
    with transaction.atomic():
        person, _created = PartnerPerson.objects.get_or_create(
            organisation=organisation, supporter=supporter
        )
        amend_person(person, submitted)
    asked = submitted.get("status") != UNSUBSCRIBED
    if asked and organisation.pk not in partners_sharing(supporter, activity=True):
        from tadamun.supporters.tasks import send_share_request

        enqueue_on_commit(send_share_request, person.pk)
    return person


def amend_person(person: PartnerPerson, changes: dict) -> None:
    """Keep what the partner sends about a person over what it sent before. Its word can only
    take away: "unsubscribed" ends the person's consent to share with it; "subscribed" gives
    nothing (only the person's own answer does)."""
    person.submitted = json.dumps({**json.loads(person.submitted or "{}"), **changes})
    person.save(update_fields=["submitted", "updated_at"])
    if changes.get("status") == UNSUBSCRIBED:
        sharing = person.supporter.consents.active().filter(
            purpose=Consent.Purpose.PARTNER, organisation=person.organisation
        )
        supporters.withdraw_consents(person.supporter, list(sharing.values_list("pk", flat=True)))


def tag_person(person: PartnerPerson, *, add=(), remove=()) -> None:
    """Put the partner's own tags (`add`, names; made on first use) on a person it knows, and
    take off `remove`. The staff's tags are the coalition's: a partner never touches them."""
    organisation = person.organisation
    person.tags.add(*(partner_tag(organisation, name) for name in add))
    person.tags.remove(*Tag.objects.filter(organisation=organisation, name__in=list(remove)))


def partner_tag(organisation, name: str) -> Tag:
    """The partner's own tag of this name, made on first use."""
    return Tag.objects.get_or_create(organisation=organisation, name=name)[0]


def tagged_people(organisation, tag: Tag):
    """The people the partner may read under `tag` (one of tags_of): those it put its own tag
    on, or for a staff tag, those who share with it."""
    known = people_of(organisation)
    if tag.organisation_id == organisation.pk:
        return known.filter(tags=tag)
    sharing_activity = shares_with([organisation], "supporter", activity=True)
    return known.filter(sharing_activity, supporter__tags=tag)


def confirm_sharing(person: PartnerPerson) -> Consent:
    """The person chose, from the link in their inbox, to share their data with the partner."""
    return supporters.give_consent(
        person.supporter,
        Consent.Purpose.PARTNER,
        organisation=person.organisation,
        source="share-request",
        wording=consents.SHARE_REQUEST,
    )


def hears_from_coalition(supporter: str = "pk") -> Exists:
    """True for the rows whose person asked to hear from the coalition (an active "updates"
    consent); `supporter` is the row's path to the person."""
    asked = Consent.objects.active().filter(purpose=Consent.Purpose.UPDATES)
    return Exists(asked.filter(supporter=OuterRef(supporter)))


def coalition_hears_of(supporter: Supporter | None) -> bool:
    """Whether the coalition's own token and webhooks may hear of this person's actions."""
    return (
        supporter is not None
        and Supporter.objects.filter(hears_from_coalition(), pk=supporter.pk).exists()
    )


@dataclass(frozen=True)
class PartnerReader:
    """What one partner organisation's token reads (the rules above)."""

    organisation: object
    writes = True
    label = "partner API token"

    @property
    def organisation_id(self) -> int:
        return self.organisation.pk

    def people(self):
        return people_of(self.organisation)

    def with_email(self, people, email: str):
        return people.filter(supporter__in=Supporter.objects.with_email(email))

    def shown(self, person) -> dict:
        return shown_to_partner(person)

    def actions(self, actions):
        return actions_of(self.organisation, actions)

    def tags(self):
        return tags_of(self.organisation)

    def tagged(self, tag: Tag):
        return tagged_people(self.organisation, tag)


class CoalitionReader:
    """What the coalition's own token reads: the people who asked to hear from it, known by
    their supporter id, with what they told the site and the consents they gave; their
    confirmed actions; the staff's tags. It writes nothing (the coalition has the admin)."""

    organisation = organisation_id = None
    writes = False
    label = "coalition API token"

    def people(self):
        return (
            Supporter.objects.filter(hears_from_coalition())
            .annotate(shares=Value(True), modified=F("updated_at"))
            .prefetch_related("consents__organisation")
            .order_by("pk")
        )

    def with_email(self, people, email: str):
        return people.filter(pk__in=Supporter.objects.with_email(email))

    def shown(self, supporter: Supporter) -> dict:
        given, _space, family = supporter.name.partition(" ")
        return {
            "given_name": given,
            "family_name": family,
            "email": supporter.email,
            "country": supporter.country.code or "",
            "language": supporter.language,
            "consents": [
                {
                    "purpose": consent.purpose,
                    "organisation": consent.organisation.name if consent.organisation else None,
                    "wording": consent.wording,
                    "source": consent.source,
                    "given_date": consent.given_at,
                    "withdrawn_date": consent.withdrawn_at,
                }
                for consent in supporter.consents.all()
            ],
        }

    def actions(self, actions):
        return actions.filter(hears_from_coalition("supporter")).annotate(
            partner_person=F("supporter_id")
        )

    def tags(self):
        return Tag.objects.filter(organisation=None)

    def tagged(self, tag: Tag):
        return self.people().filter(tags=tag)


def reader(organisation) -> PartnerReader | CoalitionReader:
    """The reader of a token or webhook: the partner's, or with no organisation the
    coalition's own. Every OSDI route reads people, actions and tags through it."""
    return CoalitionReader() if organisation is None else PartnerReader(organisation)
