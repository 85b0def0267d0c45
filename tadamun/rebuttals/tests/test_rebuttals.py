"""The library of claims over HTTP: list, filters, search in every language, sources, the
share card, the feed, and the admin's checks."""

import xml.etree.ElementTree as ET
from io import BytesIO

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from tadamun.rebuttals.models import Claim, ClaimTranslation, Source, Tag
from tadamun.rebuttals.queries import library, search
from tadamun.rebuttals.views import the_fact
from tadamun.staff import roles


@pytest.fixture
def make_claim(db):
    def make(title, slug, verdict="false", published=True, **fields):
        return Claim.objects.create(
            title=title, slug=slug, verdict=verdict, published=published, language="en", **fields
        )

    return make


@pytest.fixture
def claims(make_claim):
    safe = make_claim(
        "Syria is safe: refugees can go home",
        "syria-is-safe",
        summary="The UN says returns are not safe.",
        body="Returnees were **detained**.",
        seen_in="Talk shows",
    )
    ClaimTranslation.objects.create(
        claim=safe,
        language="ar",
        title="سوريا آمنة: يستطيع اللاجئون العودة",
        summary="تقول الأمم المتحدة إن العودة ليست آمنة.",
    )
    ClaimTranslation.objects.create(
        claim=safe,
        language="fr",
        title="La Syrie est sûre : les réfugiés peuvent rentrer",
        body="Des personnes rentrées ont été arrêtées.",
    )
    aid = make_claim("Aid ends up with armed groups", "aid", verdict="context")
    make_claim("A draft claim about refugees", "draft", published=False)
    tag = Tag.objects.create(name="Returns", slug="returns", names={"ar": "العودة"})
    safe.tags.add(tag)
    Source.objects.create(
        claim=safe,
        title="Report",
        url="https://reports.example.org/r",
        archive_url="https://web.archive.org/web/2026/https://reports.example.org/r",
    )
    return {"safe": safe, "aid": aid}


def found(query):
    return [claim.slug for claim in search(library(), query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("refugees", ["syria-is-safe"]),
        ("REFUGEES go", ["syria-is-safe"]),
        ("réfugiés", ["syria-is-safe"]),  # French, accents
        ("refugies rentrer", ["syria-is-safe"]),  # French without accents
        ("اللاجئون", ["syria-is-safe"]),  # Arabic with the article
        ("لاجئون", ["syria-is-safe"]),  # and without
        ("اللّاجِئون", ["syria-is-safe"]),  # with diacritics
        ("امنة", ["syria-is-safe"]),  # آمنة with a bare alef, ta marbuta as ha
        ("detain", ["syria-is-safe"]),  # a prefix of a word of the rebuttal
        ("armed", ["aid"]),
        ("draft", []),  # unpublished
        ("refugees armed", []),  # every word must match
    ],
)
def test_search_in_every_language(claims, query, expected):
    assert found(query) == expected


def test_a_translation_saved_later_is_found(claims):
    ClaimTranslation.objects.create(
        claim=claims["aid"], language="tr", title="Yardım silahlı gruplara"
    )
    assert found("yardim") == ["aid"]


def test_the_library_page_lists_filters_and_searches(client, claims):
    page = client.get("/en/rebuttals/").content.decode()
    assert "Syria is safe" in page and "Aid ends up" in page and "draft claim" not in page
    page = client.get("/en/rebuttals/", {"verdict": "context"}).content.decode()
    assert "Aid ends up" in page and "Syria is safe" not in page
    page = client.get("/ar/rebuttals/", {"tag": "returns"}).content.decode()
    assert "سوريا آمنة" in page and "Aid ends up" not in page and "العودة" in page
    page = client.get("/ar/rebuttals/", {"q": "اللاجئين"}).content.decode()
    assert "سوريا آمنة" in page


@pytest.mark.parametrize(
    "query",
    ["%", "_", "' OR 1=1 --", "x" * 5000, "a\x00b", "\u202eevil", "<script>alert(1)</script>"],
)
def test_hostile_searches_get_an_answer_not_an_error(client, claims, query):
    response = client.get("/en/rebuttals/", {"q": query})
    assert response.status_code == 200
    assert b"<script>alert" not in response.content


def test_a_claim_page_shows_verdict_sources_and_share_tags(client, claims):
    page = client.get("/fr/rebuttals/syria-is-safe/").content.decode()
    assert "La Syrie est sûre" in page
    card = f"{settings.SITE_URL}/fr/rebuttals/syria-is-safe/card.png"
    assert f'property="og:image" content="{card}"' in page
    assert 'name="twitter:card" content="summary_large_image"' in page
    assert 'href="https://web.archive.org/web/2026/https://reports.example.org/r"' in page
    assert "Talk shows" in client.get("/en/rebuttals/syria-is-safe/").content.decode()
    assert client.get("/en/rebuttals/draft/").status_code == 404


def test_the_preview_leads_with_the_verdict_and_the_fact_said_once(client, claims):
    claims["safe"].summary = "False. The UN says returns are not safe."
    claims["safe"].save()
    page = client.get("/en/rebuttals/syria-is-safe/").content.decode()
    assert '<meta name="description" content="False. The UN says returns are not safe.">' in page
    assert "False: False" not in page and "False. False" not in page


@pytest.mark.parametrize(
    ("verdict", "summary", "fact"),
    [
        ("False", "False. The UN says so.", "The UN says so."),
        ("False", "Falsely claimed by many.", "Falsely claimed by many."),
        ("خطأ", "خطأ: تقول الأمم المتحدة", "تقول الأمم المتحدة"),
        ("Misleading", "The figures are old.", "The figures are old."),
    ],
)
def test_the_fact_drops_a_verdict_it_repeats(verdict, summary, fact):
    assert the_fact(verdict, summary) == fact


def test_the_share_card_is_a_picture_in_the_readers_language(client, claims):
    english = client.get("/en/rebuttals/syria-is-safe/card.png")
    arabic = client.get("/ar/rebuttals/syria-is-safe/card.png")
    for response in (english, arabic):
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert Image.open(BytesIO(response.content)).size == (1200, 630)
    assert english.content != arabic.content
    again = client.get("/en/rebuttals/syria-is-safe/card.png", HTTP_IF_NONE_MATCH=english["ETag"])
    assert again.status_code == 304
    assert client.get("/en/rebuttals/draft/card.png").status_code == 404


def test_a_changed_claim_gets_a_new_card(client, claims):
    first = client.get("/en/rebuttals/syria-is-safe/card.png")
    claims["safe"].verdict = "misleading"
    claims["safe"].save()
    second = client.get("/en/rebuttals/syria-is-safe/card.png")
    assert second["ETag"] != first["ETag"] and second.content != first.content


def test_the_atom_feed(client, claims):
    feed = client.get("/ar/rebuttals/feed.atom")
    assert feed["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [
        e.find("a:title", ns).text for e in ET.fromstring(feed.content).findall("a:entry", ns)
    ]
    assert len(titles) == 2 and any("سوريا آمنة" in title for title in titles)


def test_source_links_must_be_web_addresses(make_staff):
    admin = Client()
    admin.force_login(make_staff(roles.COALITION_ADMIN))
    form = {
        "title": "A claim",
        "slug": "a-claim",
        "verdict": "false",
        "seen_in": "",
        "published": "on",
        "published_at_0": "2026-11-01",
        "published_at_1": "10:00",
        "language": "en",
        "summary": "",
        "body": "",
        "sources-TOTAL_FORMS": "1",
        "sources-INITIAL_FORMS": "0",
        "sources-0-title": "Report",
        "sources-0-url": "javascript:alert(1)",
        "sources-0-archive_url": "",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }
    refused = admin.post("/en/admin/rebuttals/claim/add/", form)
    assert refused.status_code == 200 and not Claim.objects.exists()
    admin.post("/en/admin/rebuttals/claim/add/", {**form, "sources-0-url": "https://r.example"})
    assert Claim.objects.get().sources.get().url == "https://r.example"


def test_translators_translate_claims_and_cannot_publish_them(client, make_staff, claims):
    client.force_login(make_staff(roles.TRANSLATOR))
    assert client.get("/en/admin/rebuttals/claimtranslation/add/").status_code == 200
    assert client.get("/en/admin/rebuttals/claim/add/").status_code == 403
