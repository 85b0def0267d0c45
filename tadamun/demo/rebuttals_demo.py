"""The demo library of claims: four invented-for-the-demo answers to claims that do
circulate, each with a verdict, tags and sources on example addresses."""

from datetime import timedelta

from django.utils import timezone

from tadamun.demo.content import read, translations
from tadamun.rebuttals.models import Claim, ClaimTranslation, Source, Tag

TAGS = [
    (
        "returns",
        "Returns",
        {"ar": "العودة", "fr": "Retours", "de": "Rückkehr", "es": "Retornos", "tr": "Geri dönüş"},
    ),
    (
        "asylum",
        "Asylum",
        {"ar": "اللجوء", "fr": "Asile", "de": "Asyl", "es": "Asilo", "tr": "Sığınma"},
    ),
    (
        "aid",
        "Aid",
        {"ar": "المساعدات", "fr": "Aide", "de": "Hilfe", "es": "Ayuda", "tr": "Yardım"},
    ),
]
# Each source's title is the report's own, in the language it was published in.
# (content name, slug, verdict, tags, days ago, source title)
CLAIMS = [
    (
        "claim-safe",
        "syria-is-safe",
        "false",
        ["returns"],
        3,
        "سوريا: اعتقال وتعذيب لاجئين عادوا إلى بلدهم (تقرير تجريبي)",
    ),
    (
        "claim-europe",
        "europe-took-most-refugees",
        "false",
        ["asylum"],
        12,
        "Syria situation: refugees by host country (demo)",
    ),
    (
        "claim-aid",
        "aid-goes-to-armed-groups",
        "context",
        ["aid"],
        25,
        "Aid diversion in north-west Syria: what third-party monitoring found (demo)",
    ),
    (
        "claim-economic",
        "economic-migrants",
        "misleading",
        ["asylum"],
        40,
        "Schutzquoten syrischer Asylsuchender in Europa (Demo)",
    ),
]


def load(other_languages) -> None:
    tags = {
        slug: Tag.objects.get_or_create(slug=slug, defaults={"name": name, "names": names})[0]
        for slug, name, names in TAGS
    }
    for name, slug, verdict, tag_slugs, days_ago, source_title in CLAIMS:
        claim, created = Claim.objects.get_or_create(
            slug=slug,
            defaults={
                **read(name, "en"),
                "language": "en",
                "verdict": verdict,
                "published": True,
                "published_at": timezone.now() - timedelta(days=days_ago),
            },
        )
        if created:
            claim.tags.set([tags[tag] for tag in tag_slugs])
            Source.objects.create(
                claim=claim,
                title=source_title,
                url=f"https://reports.example.org/{slug}",
                archive_url=f"https://web.archive.org/web/2026/https://reports.example.org/{slug}",
                published_on=timezone.localdate() - timedelta(days=days_ago + 30),
            )
        for language, text in translations(name, other_languages).items():
            ClaimTranslation.objects.get_or_create(claim=claim, language=language, defaults=text)
