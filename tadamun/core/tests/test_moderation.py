"""The moderation rule over every moderated kind: nothing a member of the public (or a member
organisation) wrote is public unless a moderator approved that content.

MODERATED lists every kind the public can submit, with one factory per status path; each
factory writes a unique marker into the content. The whole public site is then read once:
the pages the crawler reaches, each object's own addresses, feeds, calendars, the sitemap,
the public API, OSDI with a partner's token and the static mirror. A marker may appear there
only when its path ends approved. A model with an "approved" status missing from MODERATED
fails the first test, so a new moderated kind cannot be forgotten.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from django.apps import apps
from django.test import Client

from tadamun.api.models import ApiToken
from tadamun.coalition import member_actions
from tadamun.coalition import services as coalition
from tadamun.coalition.models import (
    Campaign,
    Endorsement,
    Feature,
    Organisation,
    OrganisationChange,
)
from tadamun.core.tests.pages import crawl
from tadamun.events import organisers
from tadamun.events import services as events
from tadamun.events.models import DayOfAction, Event
from tadamun.letters.models import LetterCampaign, TargetGroup
from tadamun.operations import mirror
from tadamun.petitions.models import Petition

MAX_API_PAGES = 50


@dataclass(frozen=True)
class Path:
    """One way a submission can go; `make(marker)` walks it and returns the object's own
    public addresses (besides those every crawl reads)."""

    name: str
    public: bool
    make: Callable[[str], list[str]]
    # Where an approved one must then be found (so the test cannot pass by reading nothing).
    shown_on: tuple[str, ...] = ("pages (crawl)", "mirror")


# Events ------------------------------------------------------------------------------------


def _demo_day() -> DayOfAction:
    return DayOfAction.objects.public().filter(campaign=Campaign.objects.current()).first()


def _propose(marker: str) -> Event:
    day = _demo_day()
    start = datetime.combine(day.starts_on, time(18)).astimezone()
    return events.propose(
        day,
        events.EventProposal(
            title=marker,
            kind=Event.Kind.VIGIL,
            description=f"Bring a candle. {marker}",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            time_zone="Europe/Berlin",
            city="Cologne",
            country="DE",
            organiser_name="Lena",
            organiser_email=f"{marker.lower()}@example.org",
        ),
    )


def _addresses(event: Event) -> list[str]:
    return [
        f"/en/events/{event.pk}/",
        f"/en/events/{event.pk}/event.ics",
        f"/api/events/{event.pk}",
        f"/api/osdi/v1/events/{event.pk}",
    ]


def _pending(marker):
    return events.confirm(_propose(marker))


def _approved(marker):
    event = _pending(marker)
    events.moderate(Event.objects.filter(pk=event.pk), approve=True)
    event.refresh_from_db()
    return event


def _edited(marker):
    """Approved, then changed by its organiser: public at once, marked for moderators."""
    event = _approved(marker.replace("edited", "original"))
    fields = {name: getattr(event, name) for name in organisers.EDITABLE_FIELDS}
    return organisers.edit(
        event,
        events.EventProposal(
            **{**fields, "title": marker}, organiser_name="Lena", organiser_email="lena@example.org"
        ),
    )


def _unpublished(walk):
    def make(marker):
        event = walk(marker)
        events.unpublish(Event.objects.filter(pk=event.pk), reason="Not for this site.")
        return event

    return make


EVENT_SURFACES = ("pages (crawl)", "own addresses", "calendars", "public API", "OSDI", "mirror")


def _event_path(name, public, walk):
    return Path(f"event {name}", public, lambda m: _addresses(walk(m)), shown_on=EVENT_SURFACES)


def _rejected(marker):
    event = _pending(marker)
    events.moderate(Event.objects.filter(pk=event.pk), approve=False)
    return event


def _organisations(walk):
    """The same path for an event its organisation's organisers made (issue 19)."""

    def make(marker):
        event = walk(marker)
        Event.objects.filter(pk=event.pk).update(organisation=_organisation_with_organiser(marker))
        event.refresh_from_db()
        return event

    return make


def _orphaned_event(marker):
    """An organisation's approved event, then its organisation's last organiser left."""
    event = _organisations(_approved)(marker)
    event.organisation.organisers.clear()
    return event


EVENT_PATHS = [
    _event_path("of an organisation pending", False, _organisations(_pending)),
    _event_path("of an organisation approved", True, _organisations(_approved)),
    _event_path("of an organisation orphaned", False, _orphaned_event),
    _event_path("unconfirmed", False, _propose),
    _event_path("pending", False, _pending),
    _event_path("withdrawn", False, lambda m: organisers.cancel(_pending(m))),
    _event_path("rejected", False, _rejected),
    _event_path("approved", True, _approved),
    _event_path("edited after approval", True, _edited),
    _event_path("cancelled after approval", True, lambda m: organisers.cancel(_approved(m))),
    _event_path("approved then unpublished", False, _unpublished(_approved)),
    _event_path("edited then unpublished", False, _unpublished(_edited)),
    _event_path(
        "cancelled then unpublished", False, _unpublished(lambda m: organisers.cancel(_approved(m)))
    ),
    # The marker only in the organiser's cancellation note (the title gets another word).
    _event_path(
        "withdrawn with a note", False, lambda m: organisers.cancel(_pending(f"t{m[2:]}"), m)
    ),
    _event_path(
        "cancelled with a note then unpublished",
        False,
        _unpublished(lambda m: organisers.cancel(_approved(f"t{m[2:]}"), m)),
    ),
]


# Endorsements ------------------------------------------------------------------------------


def _submit(marker) -> Endorsement:
    return coalition.submit_endorsement(
        Campaign.objects.current(),
        coalition.OrganisationDetails(
            name=marker, country="FR", kind="ngo", website=f"https://{marker.lower()}.example"
        ),
        contact_name="Rania",
        contact_email=f"{marker.lower()}@example.org",
        public_message=f"We stand with Idlib. {marker}",
    )


def _confirmed(marker) -> Endorsement:
    return coalition.confirm(_submit(marker))


def _moderated(approve):
    def make(marker):
        endorsement = _confirmed(marker)
        coalition.moderate_endorsements(
            Endorsement.objects.filter(pk=endorsement.pk), approve=approve, by=None
        )

    return make


def _endorsement_path(name, public, walk):
    def make(marker):
        walk(marker)
        return []  # no page of its own: the campaign's list of endorsements shows it

    return Path(f"endorsement {name}", public, make)


ENDORSEMENT_PATHS = [
    _endorsement_path("unconfirmed", False, _submit),
    _endorsement_path("pending", False, _confirmed),
    _endorsement_path("rejected", False, _moderated(False)),
    _endorsement_path("approved", True, _moderated(True)),
]


# Organisations' names, websites and logos ---------------------------------------------------


def _endorsing_organisation(marker) -> Organisation:
    """An organisation on the public list, under a name that does not hold the marker."""
    endorsement = _confirmed(marker.replace("mk", "Organisation ", 1))
    coalition.moderate_endorsements(
        Endorsement.objects.filter(pk=endorsement.pk), approve=True, by=None
    )
    return Organisation.objects.get(endorsements=endorsement)


def _proposed(marker) -> OrganisationChange:
    return coalition.propose_identity_change(
        _endorsing_organisation(marker), name=marker, website=f"https://{marker}.example"
    )


def _change_moderated(approve):
    def make(marker):
        change = _proposed(marker)
        coalition.moderate_identity_changes(
            OrganisationChange.objects.filter(pk=change.pk), approve=approve, by=None
        )

    return make


def _with_another_campaigns_endorsement(marker):
    """The public form for an organisation already listed, on another campaign, with another
    website: confirmed, it becomes a proposed change."""
    organisation = _endorsing_organisation(marker)
    other = Campaign.objects.create(slug="another", title="Another", status="active")
    submission = coalition.submit_endorsement(
        other,
        coalition.OrganisationDetails(
            name=organisation.name, country="FR", kind="ngo", website=f"https://{marker}.example"
        ),
        contact_name="Someone",
        contact_email="someone@example.org",
    )
    coalition.confirm(submission)


def _change_path(name, public, walk):
    def make(marker):
        walk(marker)
        return []  # shown on the campaign's list of endorsements

    return Path(f"organisation change {name}", public, make)


ORGANISATION_CHANGE_PATHS = [
    _change_path("pending", False, _proposed),
    _change_path("rejected", False, _change_moderated(False)),
    _change_path("approved", True, _change_moderated(True)),
    _change_path("from an endorsement form", False, _with_another_campaigns_endorsement),
]


# Member organisations' petitions ----------------------------------------------------------


def _organisation_with_organiser(marker) -> Organisation:
    from django.contrib.auth import get_user_model

    number = Organisation.objects.count()
    organisation = Organisation.objects.create(name=f"Member group {number}", country="FR")
    organiser = get_user_model().objects.create_user(f"organiser-{marker}", is_staff=True)
    organisation.organisers.add(organiser)
    return organisation


def _org_petition(marker) -> Petition:
    """An open petition an organisation's organiser made, waiting for a moderator."""
    return Petition.objects.create(
        campaign=Campaign.objects.current(),
        organisation=_organisation_with_organiser(marker),
        slug=f"member-petition-{Petition.objects.count()}",  # 404 pages may echo their address
        title=marker,
        target=f"The city council {marker}",
        summary=f"Open the city to refugees. {marker}",
        status=Petition.Status.OPEN,
    )


def _org_letter_campaign(marker) -> LetterCampaign:
    """An open letter campaign an organisation's organiser made, waiting for a moderator."""
    group = TargetGroup.objects.first() or TargetGroup.objects.create(name="Council", slug="c")
    return LetterCampaign.objects.create(
        campaign=Campaign.objects.current(),
        organisation=_organisation_with_organiser(marker),
        slug=f"member-letters-{LetterCampaign.objects.count()}",
        title=marker,
        summary=f"Write to the council. {marker}",
        subject=f"Refuge {marker}",
        letter=f"Dear {{target_name}}, {marker}",
        group=group,
        status=LetterCampaign.Status.OPEN,
    )


def _action_moderated(make_action, approve):
    def make(marker):
        action = make_action(marker)
        member_actions.moderate(type(action).objects.filter(pk=action.pk), approve=approve)
        action.refresh_from_db()
        return action

    return make


def _reworded(make_action):
    """Approved, then its organiser changed the words: back to the moderators."""

    def make(marker):
        action = _action_moderated(make_action, True)(marker.replace("reworded", "original"))
        action.summary = f"New words. {marker}"
        member_actions.resubmit_if_reworded(action, ["summary"])
        action.save()
        return action

    return make


def _orphaned(make_action):
    """Approved, then its organisation's last organiser was removed."""

    def make(marker):
        action = _action_moderated(make_action, True)(marker)
        action.organisation.organisers.clear()
        return action

    return make


MEMBER_ACTION_SURFACES = ("pages (crawl)", "own addresses", "public API", "OSDI", "mirror")


def _member_action_paths(kind, make_action, addresses):
    def path(name, public, walk):
        def make(marker):
            return addresses(walk(marker))

        return Path(f"organisation {kind} {name}", public, make, shown_on=MEMBER_ACTION_SURFACES)

    return [
        path("pending", False, make_action),
        path("rejected", False, _action_moderated(make_action, False)),
        path("approved", True, _action_moderated(make_action, True)),
        path("reworded after approval", False, _reworded(make_action)),
        path("orphaned", False, _orphaned(make_action)),
    ]


PETITION_PATHS = _member_action_paths(
    "petition",
    _org_petition,
    lambda petition: [
        f"/en/petitions/{petition.slug}/",
        f"/en/petitions/{petition.slug}/embed/",
        f"/api/petitions/{petition.slug}",
        f"/api/osdi/v1/petitions/{petition.slug}",
    ],
)
LETTER_CAMPAIGN_PATHS = _member_action_paths(
    "letters",
    _org_letter_campaign,
    lambda campaign: [
        f"/en/letters/{campaign.slug}/",
        f"/api/letter-campaigns/{campaign.slug}",
        f"/api/osdi/v1/advocacy_campaigns/{campaign.slug}",
    ],
)


# Featured actions (issue 19.5): the featuring organisation's page shows another member's action
# only while that action's own public query returns it, whatever the feature's answer.


def _featured(walk):
    """Another organisation features the action its organisers' walk leads to, and the
    owner's organisers approved; returns the featuring organisation's page."""

    def make(marker):
        action = walk(marker)
        featuring = _organisation_with_organiser(f"featuring-{marker}")
        Feature.objects.create(
            organisation=featuring, petition=action, status=Feature.Status.APPROVED
        )
        return [f"/en/organisations/{featuring.pk}/"]

    return make


def _feature_path(name, public, walk):
    # Only the featuring page is read as an own address: the approved path proves the list
    # itself shows what it should.
    return Path(f"featured {name}", public, _featured(walk), shown_on=("own addresses",))


FEATURE_PATHS = [
    _feature_path("waiting petition", False, _org_petition),
    _feature_path("rejected petition", False, _action_moderated(_org_petition, False)),
    _feature_path("orphaned petition", False, _orphaned(_org_petition)),
    _feature_path("approved petition", True, _action_moderated(_org_petition, True)),
]


MODERATED = {
    Petition: PETITION_PATHS,
    LetterCampaign: LETTER_CAMPAIGN_PATHS,
    Event: EVENT_PATHS,
    Endorsement: ENDORSEMENT_PATHS,
    OrganisationChange: ORGANISATION_CHANGE_PATHS,
    Feature: FEATURE_PATHS,
}
PATHS = [path for paths in MODERATED.values() for path in paths]


def moderated_models() -> set:
    """Every model whose status (or `review`, coalition.member_actions) can be "approved":
    what moderators decide on."""
    found = set()
    for model in apps.get_models():
        named = ("status", "review")
        field = next((f for f in model._meta.concrete_fields if f.name in named), None)
        if field is not None and "approved" in dict(field.choices or ()):
            found.add(model)
    return found


def test_every_moderated_kind_is_walked():
    missing = moderated_models() - set(MODERATED)
    assert not missing, f"Add these to MODERATED with a factory per status path: {missing}"


# Reading the public site -------------------------------------------------------------------


def marker_of(path: Path) -> str:
    """Lower case, as it is also part of web addresses; closed by "mk", so that no marker
    holds another (approved, approved then unpublished)."""
    return "mk" + "".join(word.lower() for word in path.name.split()) + "mk"


def _all_pages(client, url: str) -> list[str]:
    """Every page of an API list (both APIs say how many pages there are)."""
    first = client.get(url)
    texts = [first.content.decode()]
    if first.status_code != 200:
        return texts
    body = json.loads(texts[0])
    pages = min(body.get("pages") or body.get("total_pages") or 1, MAX_API_PAGES)
    joiner = "&" if "?" in url else "?"
    for page in range(2, pages + 1):
        texts.append(client.get(f"{url}{joiner}page={page}").content.decode())
    return texts


def _partner_client() -> Client:
    partner = Organisation.objects.create(
        name="Moderation test partner", country="DE", kind="ngo", partner_code="mod-test"
    )
    token = ApiToken(organisation=partner, name="sync")
    key = token.issue()
    token.save()
    return Client(HTTP_OSDI_API_TOKEN=key)


def read_public_site(addresses: list[str], mirror_root) -> dict[str, str]:
    """{surface: all the text it serves}."""
    client, partner = Client(), _partner_client()
    campaigns = Campaign.objects.public()
    days = DayOfAction.objects.public()
    texts = {
        "pages (crawl)": [r.content.decode() for r in crawl(client, "en").values()],
        "own addresses": [
            (partner if "/osdi/" in url else client).get(url).content.decode() for url in addresses
        ],
        "calendars": [client.get(f"/en/days/{d.slug}/calendar.ics").content.decode() for d in days]
        + [client.get(f"/en/campaigns/{c.slug}/calendar.ics").content.decode() for c in campaigns],
        "feeds": [client.get("/en/publications/feed.atom").content.decode()],
        "sitemap": [client.get(url).content.decode() for url in ("/sitemap.xml", "/robots.txt")],
        "public API": [
            text
            for url in (
                "/api/campaigns",
                "/api/days",
                "/api/events",
                "/api/petitions",
                "/api/letter-campaigns",
            )
            for text in _all_pages(client, url)
        ],
        "OSDI": _all_pages(partner, "/api/osdi/v1/events")
        + _all_pages(partner, "/api/osdi/v1/petitions")
        + _all_pages(partner, "/api/osdi/v1/advocacy_campaigns"),
    }
    mirror.export(mirror_root)
    texts["mirror"] = [
        file.read_text(errors="replace")
        for file in mirror_root.rglob("*")
        if file.is_file() and file.suffix in ("", ".html", ".ics", ".atom", ".json", ".xml")
    ]
    return {surface: "\n".join(found) for surface, found in texts.items()}


@pytest.fixture(scope="module")
def public_site(module_demo, django_db_blocker, tmp_path_factory):
    """Every path walked once, then the whole public site read once: {surface: text}."""
    with django_db_blocker.unblock():
        addresses = [url for path in PATHS for url in path.make(marker_of(path))]
        site = read_public_site(addresses, tmp_path_factory.mktemp("mirror"))
        return {surface: text.lower() for surface, text in site.items()}


@pytest.mark.parametrize("path", [p for p in PATHS if not p.public], ids=lambda p: p.name)
def test_what_no_moderator_approved_is_nowhere_public(db, public_site, path):
    marker = marker_of(path)
    shown = [surface for surface, text in public_site.items() if marker in text]
    assert not shown, f"{path.name} is public on: {', '.join(shown)}"


@pytest.mark.parametrize("path", [p for p in PATHS if p.public], ids=lambda p: p.name)
def test_what_a_moderator_approved_is_public(db, public_site, path):
    """The other half, so the first cannot pass by reading nothing."""
    marker = marker_of(path)
    missing = [surface for surface in path.shown_on if marker not in public_site[surface]]
    assert not missing, f"{path.name} is missing from: {', '.join(missing)}"
