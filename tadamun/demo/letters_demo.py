"""The demo letter campaigns: one the platform sends to each writer's own interior minister,
one written from the writer's own email program to two European commissioners. Every
official is invented and every address is on the reserved example.org domain."""

import random

from tadamun.demo.content import read, translations
from tadamun.letters import queries, services
from tadamun.letters.models import LetterCampaign, LetterCampaignTranslation, Target, TargetGroup

MINISTERS = "Interior ministers (demo)"
COMMISSIONERS = "European commissioners (demo)"

# (reference, name, title, institution, country, email, contact form)
OFFICIALS = [
    (
        "de-interior",
        "Jana Albers",
        "Bundesministerin des Innern",
        "Bundesministerium des Innern (Demo)",
        "DE",
        "ministerin@interior-de.example.org",
        "",
    ),
    (
        "fr-interior",
        "Claire Martin",
        "ministre de l'Intérieur",
        "Ministère de l'Intérieur (démo)",
        "FR",
        "ministre@interieur-fr.example.org",
        "https://interieur-fr.example.org/contact",
    ),
    (
        "es-interior",
        "Javier Ortega",
        "ministro del Interior",
        "Ministerio del Interior (demo)",
        "ES",
        "ministro@interior-es.example.org",
        "",
    ),
    (
        "it-interior",
        "Giulia Ferri",
        "ministra dell'Interno",
        "Ministero dell'Interno (demo)",
        "IT",
        "ministra@interno-it.example.org",
        "",
    ),
    (
        "nl-asylum",
        "Pieter de Vries",
        "minister voor Asiel en Migratie",
        "Ministerie van Asiel en Migratie (demo)",
        "NL",
        "",
        "https://asiel-nl.example.org/contact",
    ),
    (
        "se-migration",
        "Anna Lindqvist",
        "migrationsminister",
        "Justitiedepartementet (demo)",
        "SE",
        "minister@justitie-se.example.org",
        "",
    ),
    (
        "dk-immigration",
        "Mads Holm",
        "udlændinge- og integrationsminister",
        "Udlændinge- og Integrationsministeriet (demo)",
        "DK",
        "minister@uim-dk.example.org",
        "",
    ),
    (
        "gb-home",
        "Sarah Collins",
        "Home Secretary",
        "Home Office (demo)",
        "GB",
        "homesecretary@home-gb.example.org",
        "",
    ),
    (
        "tr-interior",
        "Mehmet Yıldız",
        "İçişleri Bakanı",
        "İçişleri Bakanlığı (demo)",
        "TR",
        "bakan@icisleri-tr.example.org",
        "",
    ),
    (
        "eu-crisis",
        "Katarina Novak",
        "Commissioner for Crisis Management",
        "European Commission (demo)",
        "BE",
        "commissioner.crisis@commission.example.org",
        "",
    ),
    (
        "eu-budget",
        "Lukas Weber",
        "Commissioner for Budget",
        "European Commission (demo)",
        "BE",
        "",
        "https://commission.example.org/budget/contact",
    ),
]

# (content name, slug, group, who writes to whom, delivery)
CAMPAIGNS = [
    ("letters-borders", "write-to-your-minister", MINISTERS, "country", "platform"),
    ("letters-winter", "fund-winter-aid", COMMISSIONERS, "all", "mailto"),
]
# Demo writers by country: (country, how many) for each campaign.
WRITERS = {
    "write-to-your-minister": [("DE", 9), ("FR", 7), ("GB", 5), ("ES", 3), ("SE", 2)],
    "fund-winter-aid": [("FR", 6), ("DE", 4), ("BE", 3), ("NL", 2)],
}
NAMES = ["Amal Haddad", "Lena Vogel", "Hugo Petit", "Lucía Gil", "Omar Saleh", "Sara Berg"]
CITIES = {"DE": "Köln", "FR": "Lyon", "GB": "Leeds", "ES": "Madrid", "SE": "Malmö"}


def _officials() -> None:
    ministers = [row for row in OFFICIALS if not row[0].startswith("eu-")]
    load_officials(MINISTERS, "interior-ministers", ministers)
    commissioners = [row for row in OFFICIALS if row[0].startswith("eu-")]
    load_officials(COMMISSIONERS, "eu-commissioners", commissioners)


def load_officials(group_name: str, group_slug: str, officials) -> None:
    """The officials (rows as in OFFICIALS), in one group."""
    group = TargetGroup.objects.get_or_create(name=group_name, slug=group_slug)[0]
    for reference, name, role, institution, country, email, form in officials:
        target, _created = Target.objects.get_or_create(
            reference=reference,
            defaults={
                "name": name,
                "role": role,
                "institution": institution,
                "country": country,
                "email": email,
                "contact_form_url": form,
            },
        )
        target.groups.add(group)


def load(campaign, other_languages) -> list[LetterCampaign]:
    _officials()
    return [
        load_letter_campaign(campaign, spec, other_languages, WRITERS[spec[1]])
        for spec in CAMPAIGNS
    ]


def load_letter_campaign(campaign, spec, other_languages, writers) -> LetterCampaign:
    """One letter campaign (`spec` as in CAMPAIGNS) with its translations and, the first
    time, letters from `writers` ((country, how many) pairs)."""
    name, slug, group, choice, delivery = spec
    letter_campaign, created = LetterCampaign.objects.get_or_create(
        slug=slug,
        defaults={
            **read(name, "en"),
            "letter": read(f"{name}-letter", "en")["body"],
            "language": "en",
            "campaign": campaign,
            "group": TargetGroup.objects.get(name=group),
            "choice": choice,
            "delivery": delivery,
            "status": LetterCampaign.Status.OPEN,
        },
    )
    letters = translations(f"{name}-letter", other_languages)
    for language, text in translations(name, other_languages).items():
        LetterCampaignTranslation.objects.get_or_create(
            letter_campaign=letter_campaign,
            language=language,
            defaults={**text, "letter": letters[language]["body"]},
        )
    if created:
        _write(letter_campaign, writers)
    return letter_campaign


def _write(letter_campaign: LetterCampaign, writers) -> None:
    """Letters through the real services: the platform's are confirmed and queued for the
    worker (`make demo` runs one; it writes them to var/mail), the others handed over."""
    rng = random.Random(2026)
    number = 0
    for country, how_many in writers:
        for _ in range(how_many):
            number += 1
            name = rng.choice(NAMES)
            city = CITIES.get(country, "")
            request = services.LetterRequest(
                name=name,
                country=country,
                city=city,
                subject=letter_campaign.subject,
                text=queries.fill(letter_campaign.letter, name=name, city=city),
                email=f"writer{number}@example.org",
            )
            if letter_campaign.sent_by_platform:
                services.confirm(services.write(letter_campaign, request))
            else:
                services.hand_over(letter_campaign, request)
