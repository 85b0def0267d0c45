"""The public read API over HTTP, on the demo site: every resource, paging, errors, caching,
CORS, and that nothing personal ever leaves."""

import json

import pytest
from django.test import Client

LISTS = [
    "/api/campaigns",
    "/api/publications",
    "/api/petitions",
    "/api/days",
    "/api/events",
    "/api/letter-campaigns",
    "/api/watch",
    "/api/aid",
    "/api/rebuttals",
]


@pytest.fixture
def api(demo, db):
    return Client()


@pytest.mark.parametrize("path", LISTS)
def test_every_list_is_paged_json_with_items(api, path):
    response = api.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert set(body) == {"items", "count", "page", "pages"}
    assert body["count"] >= 1 and body["items"]
    detail = body["items"][0]
    key = detail.get("slug") or detail.get("id")
    assert api.get(f"{path}/{key}").status_code == 200


def test_translated_content_comes_in_every_language(api):
    petition = api.get("/api/petitions/open-the-borders").json()
    assert petition["content"]["language"] == "en"
    assert set(petition["content"]["translations"]) == {"ar", "fr", "de", "es", "tr"}
    assert petition["confirmed"] == sum(row["count"] for row in petition["by_country"])


def test_letter_campaign_counts(api):
    campaign = api.get("/api/letter-campaigns/write-to-your-minister").json()
    assert campaign["letters"] == sum(row["count"] for row in campaign["by_country"])
    assert {row["reference"] for row in campaign["by_official"]} >= {"de-interior"}
    watch = api.get("/api/watch/return-agreement").json()
    assert watch["letter_campaign"] == "write-to-your-minister"
    assert watch["sources"][0]["archive_url"].startswith("https://web.archive.org/")


def test_filters(api):
    events = api.get("/api/events", {"country": "fr", "page_size": 100}).json()
    assert events["items"] and {e["country"] for e in events["items"]} == {"FR"}
    claims = api.get("/api/rebuttals", {"q": "اللاجئين"}).json()
    assert [c["slug"] for c in claims["items"]][:1] == ["syria-is-safe"]
    assert api.get("/api/aid", {"sector": "winter"}).json()["count"] == 1


def test_pages_and_their_end(api):
    first = api.get("/api/events", {"page_size": 2}).json()
    assert len(first["items"]) == 2 and first["pages"] == -(-first["count"] // 2)
    past = api.get("/api/events", {"page": first["pages"] + 1, "page_size": 2})
    assert past.status_code == 404 and "detail" in past.json()


@pytest.mark.parametrize(
    "query",
    [{"page": "abc"}, {"page": "0"}, {"page_size": "1000"}, {"page": "1" * 30}, {"page": "-1"}],
)
def test_bad_paging_is_a_json_4xx(api, query):
    response = api.get("/api/events", query)
    assert response.status_code == 422
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "path", ["/api/petitions/nothing", "/api/events/999999", "/api/nothing", "/api/events/x"]
)
def test_unknown_things_are_a_json_404(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_the_api_only_reads(api):
    for method in (api.post, api.put, api.delete):
        assert method("/api/campaigns").status_code == 405


def test_etags_and_caching(api):
    first = api.get("/api/watch")
    assert first["Cache-Control"] == "public, max-age=60"
    again = api.get("/api/watch", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_cors_for_reading(api):
    response = api.get("/api/campaigns", HTTP_ORIGIN="https://partner.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    page = api.get("/en/", HTTP_ORIGIN="https://partner.example")
    assert "Access-Control-Allow-Origin" not in page


def test_nothing_personal_is_ever_in_the_api(api):
    from tadamun.supporters.models import Supporter

    emails = set(Supporter.objects.values_list("email", flat=True)[:50])
    names = {name for name in Supporter.objects.values_list("name", flat=True)[:50] if name}
    assert emails
    for path in LISTS:
        text = json.dumps(api.get(path, {"page_size": 100}).json(), ensure_ascii=False)
        assert not any(email in text for email in emails), path
        assert not any(f'"{name}"' in text for name in names), path
        assert "@example.org" not in text or path == "/api/aid", path


def test_the_openapi_document_and_docs_from_this_host(api):
    document = api.get("/api/openapi.json").json()
    assert document["info"]["title"] == "Tadamun API"
    assert "/api/rebuttals/{slug}" in document["paths"]
    docs = api.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/watch", {"status": "a\x00b"}),
        ("/api/watch", {"country": "\x0b\x00"}),
        ("/api/events", {"day": "x\x00"}),
        ("/api/aid", {"sector": "\x00"}),
        ("/api/rebuttals", {"tag": "\x00", "verdict": "%"}),
        ("/api/publications", {"kind": "<script>"}),
    ],
)
def test_hostile_filters_are_a_json_422(api, path, query):
    response = api.get(path, query)
    assert response.status_code == 422 and "detail" in response.json()


def test_a_nul_in_a_query_or_a_slug_is_no_error(api):
    assert api.get("/api/rebuttals", {"q": "a\x00b"}).status_code == 200
    assert api.get("/api/watch/a%00b").status_code == 404
