from xml.etree import ElementTree

from tadamun.publications.models import Publication, PublicationTranslation

ATOM = "{http://www.w3.org/2005/Atom}"


def test_atom_feed_per_language(client, campaign):
    publication = Publication.objects.create(
        campaign=campaign,
        kind="statement",
        slug="s",
        title="Open the borders",
        body="Text",
        status="published",
    )
    PublicationTranslation.objects.create(
        publication=publication, language="es", title="Abrid las fronteras", body="Texto"
    )
    Publication.objects.create(campaign=campaign, slug="draft", title="Draft", status="draft")

    response = client.get("/es/publications/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Abrid las fronteras"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/es/publications/s/")

    english = ElementTree.fromstring(client.get("/en/publications/feed.atom").content)
    assert english.find(f"{ATOM}entry").find(f"{ATOM}title").text == "Open the borders"
