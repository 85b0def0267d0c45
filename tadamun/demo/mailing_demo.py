"""The demo mailing: a draft calling supporters to the day of action, translated, to the
supporters who signed the demo petition; sent by no one until an admin presses the button."""

from tadamun.demo.content import read, translations
from tadamun.mailings.models import Mailing, MailingTranslation


def load(petition, other_languages) -> Mailing:
    text = read("mailing-day", "en")
    mailing, created = Mailing.objects.get_or_create(
        title=text["title"], defaults={**text, "language": "en"}
    )
    if created:
        mailing.petitions.add(petition)
    for language, translated in translations("mailing-day", other_languages).items():
        MailingTranslation.objects.get_or_create(
            mailing=mailing, language=language, defaults=translated
        )
    return mailing
