import pytest

from tadamun.publications.models import Publication, PublicationTranslation


@pytest.fixture
def statement(campaign):
    return Publication.objects.create(
        campaign=campaign,
        kind=Publication.Kind.STATEMENT,
        slug="statement",
        title="We stand with Idlib",
        summary="A joint statement.",
        body="We call for **protection**.\n\n<script>alert(1)</script>",
        status=Publication.Status.PUBLISHED,
    )


def test_body_is_rendered_and_sanitised_once_on_save(statement):
    assert "<strong>protection</strong>" in statement.body_html
    assert "<script>" not in statement.body_html


def test_reader_sees_their_language(client, statement):
    PublicationTranslation.objects.create(
        publication=statement, language="fr", title="Nous sommes avec Idlib", body="Texte."
    )
    html = client.get("/fr/publications/statement/").content.decode()
    assert "Nous sommes avec Idlib" in html
    assert '<h1 lang="fr" dir="ltr">Nous sommes avec Idlib</h1>' in html
    assert 'class="note no-print"' not in html


def test_untranslated_text_falls_back_to_the_source_with_a_note(client, statement):
    html = client.get("/ar/publications/statement/").content.decode()
    assert "We stand with Idlib" in html
    assert '<h1 lang="en" dir="ltr">We stand with Idlib</h1>' in html
    assert 'class="note no-print"' in html
    assert 'lang="ar" dir="rtl"' in html  # the page around it stays Arabic


def test_translation_is_flagged_outdated_when_the_source_changes(client, statement):
    translation = PublicationTranslation.objects.create(
        publication=statement, language="de", title="Wir stehen an der Seite Idlibs", body="Text."
    )
    assert translation.source_version == statement.version == 1
    assert not translation.is_outdated

    statement.body += "\n\nA new paragraph."
    statement.save()
    translation.refresh_from_db()
    assert statement.version == 2
    assert translation.is_outdated
    html = client.get("/de/publications/statement/").content.decode()
    assert 'href="/de/publications/statement/?original"' in html

    translation.body = "Text, mit einem Tippfehler weniger."
    translation.save()
    assert translation.is_outdated  # an edit alone does not say the new text is translated

    translation.mark_current()
    translation.save()
    assert not translation.is_outdated


def test_saving_the_source_unchanged_keeps_its_version(statement):
    statement.status = Publication.Status.PUBLISHED
    statement.save()
    assert statement.version == 1


def test_original_can_be_read_on_request(client, statement):
    PublicationTranslation.objects.create(
        publication=statement, language="fr", title="Nous sommes avec Idlib", body="Texte."
    )
    html = client.get("/fr/publications/statement/?original").content.decode()
    assert "We stand with Idlib" in html


def test_drafts_are_not_public(client, statement):
    statement.status = Publication.Status.DRAFT
    statement.save()
    assert client.get("/en/publications/statement/").status_code == 404


def test_print_stylesheet_is_linked(client, statement):
    html = client.get("/en/publications/statement/").content.decode()
    assert 'media="print"' in html
