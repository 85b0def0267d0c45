"""The demo watch list: four invented moves, in each status, with sources and archived copies
on example addresses."""

from datetime import timedelta

from django.utils import timezone

from tadamun.demo.content import read, translations
from tadamun.watch.models import Source, WatchItem, WatchItemTranslation

# The item the demo's letter campaign answers.
ANSWERED = "return-agreement"
# (content name, slug, actor, country, days ago, status)
ITEMS = [
    ("watch-returns", "return-agreement", "Ministry of the Interior", "DK", 20, "enacted"),
    ("watch-embassy", "embassy-reopens", "Ministry of Foreign Affairs", "IT", 45, "proposed"),
    ("watch-aid", "aid-cut", "Ministry for Development", "GB", 70, "enacted"),
    ("watch-court", "court-stops-deportation", "Administrative court", "DE", 95, "reversed"),
]


def load(other_languages, answered_by=None) -> None:
    today = timezone.localdate()
    for name, slug, actor, country, days_ago, status in ITEMS:
        item, created = WatchItem.objects.get_or_create(
            slug=slug,
            defaults={
                **read(name, "en"),
                "language": "en",
                "actor": actor,
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
                title=f"News report ({slug})",
                url=f"https://news.example.org/{slug}",
                archive_url=f"https://web.archive.org/web/2026/https://news.example.org/{slug}",
                published_on=item.happened_on,
            )
        for language, text in translations(name, other_languages).items():
            WatchItemTranslation.objects.get_or_create(item=item, language=language, defaults=text)
