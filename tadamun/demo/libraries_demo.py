"""The demo's second campaign: small, on another cause (public libraries), run beside the
first with its own officials and letter campaign, so the demo shows two campaigns side by
side and the tests can check that neither changes the other."""

from datetime import date

from tadamun.coalition.models import Campaign, CampaignTranslation
from tadamun.demo import letters_demo
from tadamun.demo.content import read, translations
from tadamun.letters.models import LetterCampaign

SLUG = "keep-libraries-open"
CULTURE_MINISTERS = "Culture ministers (demo)"
# As letters_demo.OFFICIALS: invented, on the reserved example.org domain.
OFFICIALS = [
    (
        "fr-culture",
        "Élise Moreau",
        "ministre de la Culture",
        "Ministère de la Culture (démo)",
        "FR",
        "ministre@culture-fr.example.org",
        "",
    ),
    (
        "de-culture",
        "Tobias Brandt",
        "Staatsminister für Kultur und Medien",
        "Die Beauftragte für Kultur und Medien (Demo)",
        "DE",
        "",
        "https://kultur-de.example.org/kontakt",
    ),
]
LETTERS = ("letters-libraries", "save-our-libraries", CULTURE_MINISTERS, "country", "mailto")
WRITERS = [("FR", 3), ("DE", 2)]


def load(other_languages) -> tuple[Campaign, LetterCampaign]:
    campaign, _created = Campaign.objects.get_or_create(
        slug=SLUG,
        defaults={
            **read("campaign-libraries", "en"),
            "language": "en",
            "status": Campaign.Status.ACTIVE,
            "starts_on": date(2026, 10, 1),
            "featured_position": 2,
        },
    )
    for language, text in translations("campaign-libraries", other_languages).items():
        CampaignTranslation.objects.get_or_create(
            campaign=campaign, language=language, defaults=text
        )
    letters_demo.load_officials(CULTURE_MINISTERS, "culture-ministers", OFFICIALS)
    letter_campaign = letters_demo.load_letter_campaign(campaign, LETTERS, other_languages, WRITERS)
    return campaign, letter_campaign
