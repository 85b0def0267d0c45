"""The demo watch list: four invented moves, in each status, with sources and archived copies
on example addresses."""

from datetime import timedelta

from django.utils import timezone

from tadamun.demo.content import read, translations
from tadamun.watch.models import Source, WatchItem, WatchItemTranslation

# The item the demo's letter campaign answers.
ANSWERED = "return-agreement"
# The actor (who made the move) is in each content file, translated like the rest; the
# source's title is the report's own, in the language it was published in.
# (content name, slug, country, days ago, status, source title)
ITEMS = [
    (
        "watch-returns",
        "return-agreement",
        "DK",
        20,
        "enacted",
        "Aftale om frivillig tilbagevenden til Syrien underskrevet (demo)",
    ),
    (
        "watch-embassy",
        "embassy-reopens",
        "IT",
        45,
        "proposed",
        "La Farnesina annuncia la riapertura dell'ambasciata a Damasco (demo)",
    ),
    (
        "watch-aid",
        "aid-cut",
        "GB",
        70,
        "enacted",
        "Budget cuts the cross-border aid fund for north-west Syria (demo)",
    ),
    (
        "watch-court",
        "court-stops-deportation",
        "DE",
        95,
        "reversed",
        "Verwaltungsgericht: Keine Region Syriens ist sicher für Abschiebungen (Demo)",
    ),
]


def load(other_languages, answered_by=None) -> None:
    today = timezone.localdate()
    for name, slug, country, days_ago, status, source_title in ITEMS:
        item, created = WatchItem.objects.get_or_create(
            slug=slug,
            defaults={
                **read(name, "en"),
                "language": "en",
                "country": country,
                "happened_on": today - timedelta(days=days_ago),
                "status": status,
                "published": True,
                "letter_campaign": answered_by if slug == ANSWERED else None,
            },
        )
        if created:
            Source.objects.create(
                item=item,
                title=source_title,
                url=f"https://news.example.org/{slug}",
                archive_url=f"https://web.archive.org/web/2026/https://news.example.org/{slug}",
                published_on=item.happened_on,
            )
        for language, text in translations(name, other_languages).items():
            WatchItemTranslation.objects.get_or_create(item=item, language=language, defaults=text)
