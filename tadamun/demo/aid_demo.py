"""The demo aid directory: four invented organisations, one of them overdue for
re-verification, and a winter appeal running now."""

from datetime import timedelta

from django.utils import timezone

from tadamun.aid.models import (
    AidOrganisation,
    AidOrganisationTranslation,
    Appeal,
    AppealTranslation,
)
from tadamun.demo.content import read, translations
from tadamun.places import services as places

# (content name, slug, sectors, countries served, areas, registered in, verified days ago)
ORGANISATIONS = [
    (
        "aid-clinics",
        "field-clinics",
        ["medical"],
        ["SY"],
        "Idlib, Harem, Jisr al-Shughur",
        "TR",
        40,
    ),
    ("aid-winter", "warm-winter", ["winter", "shelter"], ["SY"], "Atmeh, Sarmada", "TR", 200),
    ("aid-kitchen", "bread-and-lentils", ["food"], ["SY", "LB"], "Idlib, Bekaa valley", "LB", 12),
    ("aid-legal", "safe-words", ["legal", "psychosocial"], ["TR", "LB", "DE"], "", "DE", 60),
]


def load(verifier, other_languages) -> None:
    # Areas are found by their names in any language through the gazetteer (aid.areas):
    # `make demo` loads it whole first; a test database gets the countries served.
    places.ensure_loaded(15000, countries={code for row in ORGANISATIONS for code in row[3]})
    today = timezone.localdate()
    made = {}
    for name, slug, sectors, served, areas, registered, days_ago in ORGANISATIONS:
        organisation = AidOrganisation.objects.filter(slug=slug).first()
        if organisation is None:
            organisation = AidOrganisation(
                slug=slug,
                **read(name, "en"),
                language="en",
                status=AidOrganisation.Status.PUBLISHED,
                countries_served=served,
                areas_served=areas,
                registration_country=registered,
                registration_number=f"DEMO-{len(made) + 1:04d}",
                website=f"https://{slug}.example.org/",
                donation_url=f"https://{slug}.example.org/give",
                verified_by=verifier,
                verified_on=today - timedelta(days=days_ago),
            )
            organisation.sector_list = sectors
            organisation.save()
        for language, text in translations(name, other_languages).items():
            AidOrganisationTranslation.objects.get_or_create(
                organisation=organisation, language=language, defaults=text
            )
        made[slug] = organisation
    appeal, _created = Appeal.objects.get_or_create(
        organisation=made["warm-winter"],
        sector="winter",
        defaults={
            **read("appeal-winter", "en"),
            "language": "en",
            "starts_on": today - timedelta(days=5),
            "ends_on": today + timedelta(days=60),
        },
    )
    for language, text in translations("appeal-winter", other_languages).items():
        AppealTranslation.objects.get_or_create(appeal=appeal, language=language, defaults=text)
