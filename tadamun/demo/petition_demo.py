"""The demo petition: translated, partly signed over the past weeks by people in a dozen
countries, so its page shows counts, charts and recent signers."""

import random
from datetime import timedelta

from django.utils import timezone

from tadamun.demo.content import read, translations
from tadamun.petitions import counters, services
from tadamun.petitions.models import Petition, PetitionTranslation, Signature

PETITION_SLUG = "open-the-borders"
SIGNERS_BY_COUNTRY = {
    "DE": 46,
    "FR": 38,
    "GB": 30,
    "TR": 24,
    "ES": 20,
    "LB": 12,
    "SE": 10,
    "NL": 9,
    "IT": 8,
    "JO": 6,
    "US": 5,
    "CA": 4,
}
FIRST_NAMES = [
    "Amal",
    "Yusuf",
    "Lena",
    "Hugo",
    "Zeynep",
    "Lucía",
    "Omar",
    "Sara",
    "Elif",
    "Jonas",
    "Mariam",
    "Karim",
    "Nour",
    "Inès",
    "Mateo",
    "Hana",
    "Rami",
    "Clara",
    "Deniz",
    "Aya",
]


def load(campaign, partner, other_languages, signers: float = 1.0) -> Petition:
    petition, created = Petition.objects.get_or_create(
        slug=PETITION_SLUG,
        defaults={
            **read("petition", "en"),
            "campaign": campaign,
            "language": "en",
            "status": Petition.Status.OPEN,
            "opens_at": timezone.now() - timedelta(days=28),
        },
    )
    if created:
        for signatures in (250, 500, 1000, 5000, 10000):
            petition.goals.create(signatures=signatures)
    for language, text in translations("petition", other_languages).items():
        PetitionTranslation.objects.get_or_create(
            petition=petition, language=language, defaults=text
        )
    if created:
        _sign(petition, partner, signers)
    return petition


def _sign(petition: Petition, partner, signers: float) -> None:
    """Signatures through the real signing service, then spread over four weeks; `signers`
    scales how many (the tests take a tenth: each goes through the whole service)."""
    rng = random.Random(2026)  # the same demo every time
    number = 0
    for country, how_many in SIGNERS_BY_COUNTRY.items():
        for _ in range(max(1, round(how_many * signers))):
            number += 1
            from_partner = partner is not None and rng.random() < 0.2
            signature = services.sign(
                petition,
                services.SignatureRequest(
                    name=f"{rng.choice(FIRST_NAMES)} {chr(65 + number % 26)}.",
                    email=f"signer{number}@example.org",
                    country=country,
                    show_name=rng.random() < 0.4,
                    wants_updates=rng.random() < 0.6,
                    shares_with_partner=from_partner,
                    source=partner.partner_code if from_partner else "",
                    language=rng.choice(["en", "ar", "fr", "de", "es", "tr"]),
                ),
            )
            if rng.random() < 0.92:
                services.confirm(signature)
            when = timezone.now() - timedelta(days=rng.randint(0, 27), minutes=rng.randint(0, 600))
            Signature.objects.filter(pk=signature.pk).update(
                created_at=when,
                confirmed_at=when + timedelta(minutes=5) if signature.confirmed_at else None,
            )
    counters.reconcile(petition)  # the day counts follow the dates spread above
