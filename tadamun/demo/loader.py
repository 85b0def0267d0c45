"""The demo: one campaign in the spirit of the Idlib solidarity call, its statement in every
language, a dozen organisations and endorsements in every state, a petition with signatures.
Running it twice changes nothing: every object is looked up by a natural key first."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from tadamun.aid.models import AidOrganisation
from tadamun.coalition import services as coalition
from tadamun.coalition.models import Campaign, CampaignTranslation, Endorsement, Organisation
from tadamun.core.models import OutboxMessage
from tadamun.demo import (
    aid_demo,
    event_demo,
    identity_demo,
    letters_demo,
    libraries_demo,
    mailing_demo,
    petition_demo,
    questions_demo,
    rebuttals_demo,
    series_demo,
    watch_demo,
)
from tadamun.demo.content import read, translations
from tadamun.publications.models import Publication, PublicationTranslation
from tadamun.rebuttals.models import Claim
from tadamun.staff import devices, enrolment, roles
from tadamun.watch.models import WatchItem

CAMPAIGN_SLUG = "idlib-solidarity"
OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]

# The first organisations bring supporters through links carrying ?source=<code>.
PARTNER_CODES = ["isn", "lyon-idlib"]

# (name, country, kind, website, public message, final state)
ORGANISATIONS = [
    (
        "Idlib Solidarity Network",
        "GB",
        "diaspora",
        "https://example.org/isn",
        "Our families are in Idlib. We will not be silent.",
        "approved",
    ),
    (
        "Comité Lyon–Idlib",
        "FR",
        "community",
        "",
        "Lyon se tient aux côtés des civils d'Idlib.",
        "approved",
    ),
    ("Ärztinnen für Nordsyrien", "DE", "humanitarian", "https://example.org/afn", "", "approved"),
    (
        "Sindicato de Sanidad Solidaria",
        "ES",
        "union",
        "",
        "Defender a quienes defienden la vida: los sanitarios de Idlib.",
        "approved",
    ),
    ("Dayanışma Derneği Gaziantep", "TR", "ngo", "", "", "approved"),
    ("Jam'iyyat al-Amal", "LB", "humanitarian", "", "", "approved"),
    ("Student Action for Refugees Leiden", "NL", "student", "", "", "approved"),
    (
        "Malmö Welcome Circle",
        "SE",
        "community",
        "https://example.org/mwc",
        "Malmö has room for more neighbours.",
        "approved",
    ),
    ("Chiesa Aperta Torino", "IT", "faith", "", "", "pending"),
    ("Syrian Voices Toronto", "CA", "diaspora", "", "", "pending"),
    ("Amman Relief Collective", "JO", "humanitarian", "", "", "unconfirmed"),
    ("Free Speech Fan Club", "US", "other", "", "", "rejected"),
]


@dataclass
class DemoAccount:
    username: str
    role: str
    password: str


def load(*, signers: float = 1.0) -> list[DemoAccount]:
    with transaction.atomic():
        identity_demo.load(other_languages=OTHER_LANGUAGES)
        before = OutboxMessage.objects.order_by("pk").values_list("pk", flat=True).last() or 0
        campaign = _campaign()
        _statement(campaign)
        _article(campaign)
        _booklet(campaign)
        organisations = _endorsements(campaign)
        petition = petition_demo.load(
            campaign, partner=organisations[0], other_languages=OTHER_LANGUAGES, signers=signers
        )
        day = event_demo.load(campaign, other_languages=OTHER_LANGUAGES)
        questions_demo.load(other_languages=OTHER_LANGUAGES)
        series_demo.load(day, organisations[0], other_languages=OTHER_LANGUAGES)
        aid_demo.load(verifier=organisations[0], other_languages=OTHER_LANGUAGES)
        borders, _winter = letters_demo.load(campaign, other_languages=OTHER_LANGUAGES)
        watch_demo.load(other_languages=OTHER_LANGUAGES, answered_by=borders)
        mailing_demo.load(petition, other_languages=OTHER_LANGUAGES)
        rebuttals_demo.load(other_languages=OTHER_LANGUAGES)
        _gather(campaign)
        libraries_demo.load(other_languages=OTHER_LANGUAGES)
        accounts = _accounts(organisations)
        # The demo's people are made up: no link their made-up submissions promise is sent.
        OutboxMessage.objects.filter(pk__gt=before).delete()
    return accounts


def _upsert_translations(model, source_field: str, source, name: str, languages=None) -> None:
    for language, text in translations(name, languages or OTHER_LANGUAGES).items():
        model.objects.get_or_create(**{source_field: source, "language": language}, defaults=text)


def _campaign() -> Campaign:
    campaign, _created = Campaign.objects.get_or_create(
        slug=CAMPAIGN_SLUG,
        defaults={
            **read("campaign", "en"),
            "language": "en",
            "status": Campaign.Status.ACTIVE,
            "starts_on": date(2026, 9, 1),
            "featured_position": 1,
        },
    )
    _upsert_translations(CampaignTranslation, "campaign", campaign, "campaign")
    return campaign


def _gather(campaign) -> None:
    """The demo's watch list, aid directory and rebuttals all serve its first campaign."""
    campaign.watch_items.add(*WatchItem.objects.filter(slug__in=[i[1] for i in watch_demo.ITEMS]))
    campaign.aid_organisations.add(
        *AidOrganisation.objects.filter(slug__in=[o[1] for o in aid_demo.ORGANISATIONS])
    )
    campaign.claims.add(*Claim.objects.filter(slug__in=[c[1] for c in rebuttals_demo.CLAIMS]))


def _publication(campaign, slug, kind, name, days_ago) -> tuple[Publication, bool]:
    return Publication.objects.get_or_create(
        slug=slug,
        defaults={
            **read(name, "en"),
            "campaign": campaign,
            "kind": kind,
            "language": "en",
            "status": Publication.Status.PUBLISHED,
            "published_at": timezone.now() - timedelta(days=days_ago),
        },
    )


def _statement(campaign) -> None:
    statement, _created = _publication(
        campaign, "idlib-statement", Publication.Kind.STATEMENT, "statement", 60
    )
    _upsert_translations(PublicationTranslation, "publication", statement, "statement")


def _article(campaign) -> None:
    """The article's French translation was made from its first version, before the last
    section was added, so the demo shows a translation flagged as outdated; the other
    languages were translated from the whole article."""
    article, created = _publication(
        campaign, "why-europe-must-open-its-borders", Publication.Kind.ARTICLE, "article", 20
    )
    if created:
        full_body = article.body
        article.body = full_body.split("\n## What you can do")[0]
        article.save()
        _upsert_translations(PublicationTranslation, "publication", article, "article", ["fr"])
        article.body = full_body
        article.save()
    _upsert_translations(PublicationTranslation, "publication", article, "article")


def _booklet(campaign) -> None:
    booklet, _created = _publication(
        campaign, "day-of-action-guide", Publication.Kind.BOOKLET, "booklet", 10
    )
    _upsert_translations(PublicationTranslation, "publication", booklet, "booklet")


def _endorsements(campaign) -> list[Organisation]:
    organisations = []
    moderator = None
    for index, (name, country, kind, website, message, state) in enumerate(ORGANISATIONS):
        details = coalition.OrganisationDetails(
            name=name, country=country, kind=kind, website=website
        )
        organisation = coalition.find_or_create_organisation(details)
        if index < len(PARTNER_CODES) and not organisation.partner_code:
            organisation.partner_code = PARTNER_CODES[index]
            organisation.save(update_fields=["partner_code"])
        organisations.append(organisation)
        if Endorsement.objects.filter(campaign=campaign, organisation=organisation).exists():
            continue
        endorsement = coalition.submit_endorsement(
            campaign,
            details,
            contact_name=f"Contact {index + 1}",
            contact_email=f"contact{index + 1}@example.org",
            public_message=message,
            language="en",
        )
        if state == "unconfirmed":
            continue
        coalition.confirm(endorsement)
        if state in ("approved", "rejected"):
            coalition.moderate_endorsements(
                Endorsement.objects.filter(pk=endorsement.pk),
                approve=state == "approved",
                by=moderator,
            )
    return organisations


def _accounts(organisations) -> list[DemoAccount]:
    """One staff account per role, with a fresh random password, to try the back office."""
    accounts = []
    wanted = [
        ("admin", None),
        ("coalition-admin", roles.COALITION_ADMIN),
        ("moderator", roles.MODERATOR),
        ("translator", roles.TRANSLATOR),
        ("organiser", roles.ORGANISER),
    ]
    User = get_user_model()
    for username, role in wanted:
        password = secrets.token_urlsafe(12)
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(username, is_staff=True, is_superuser=role is None)
            if role:
                user.groups.add(Group.objects.get(name=role))
            if role == roles.ORGANISER:
                organisations[0].organisers.add(user)
        # A fresh password on every run, so a lost one is never a locked door, and for an
        # account that has not set up its authenticator yet, a fresh window to do it.
        user.set_password(password)
        user.save(update_fields=["password"])
        if not devices.has_authenticator(user):
            enrolment.open_window(user)
        accounts.append(DemoAccount(username, role or "superuser", password))
    return accounts
