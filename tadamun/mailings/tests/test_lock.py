"""What is sent is frozen when sending starts: no admin changes a mailing or its
translations after that, and every copy is the same whatever happens to the text midway."""

import pytest

from tadamun.mailings import sending
from tadamun.mailings.models import MailingTranslation
from tadamun.staff import roles

ORIGINAL_SUBJECT = "La journée d'action approche"


@pytest.fixture
def translator(client, make_staff):
    client.force_login(make_staff(roles.TRANSLATOR))
    return client


def translation_url(translation, view="change"):
    return f"/en/admin/mailings/mailingtranslation/{translation.pk}/{view}/"


def rewrite(client, translation):
    return client.post(
        translation_url(translation),
        {
            "mailing": translation.mailing_id,
            "language": "fr",
            "title": "Rendez-vous annulé",
            "summary": "",
            "body": "Tout est annulé.",
        },
    )


def test_a_translator_edits_a_draft_through_the_translation_admin(translator, make_mailing):
    translation = make_mailing().translations.get()
    assert rewrite(translator, translation).status_code == 302
    translation.refresh_from_db()
    assert translation.title == "Rendez-vous annulé"


def test_the_translation_admin_refuses_changes_once_sending_started(
    translator, make_supporter, make_mailing
):
    make_supporter("hugo@example.org", language="fr")
    mailing = make_mailing()
    assert sending.start(mailing)
    translation = mailing.translations.get()

    assert b'name="_save"' not in translator.get(translation_url(translation)).content
    assert rewrite(translator, translation).status_code == 403
    assert (
        translator.post(translation_url(translation, "delete"), {"post": "yes"}).status_code == 403
    )
    added = translator.post(
        "/en/admin/mailings/mailingtranslation/add/",
        {"mailing": mailing.pk, "language": "de", "title": "Bald", "body": "Kommt."},
    )
    assert added.status_code == 200  # the form says the mailing is not a choice
    translation.refresh_from_db()
    assert translation.title == ORIGINAL_SUBJECT
    assert list(MailingTranslation.objects.values_list("language", flat=True)) == ["fr"]


def copies(smtp_sink):
    """Each message's subject, text and HTML, its own unsubscribe link taken out."""
    for _address, message in smtp_sink.messages:
        link = message["List-Unsubscribe"].strip("<>")
        text, html = (part.get_payload(decode=True).decode() for part in message.get_payload())
        yield message["Subject"], text.replace(link, ""), html.replace(link, "")


def test_a_send_edited_midway_sends_every_copy_the_same(
    smtp_sink, translator, make_supporter, make_mailing
):
    for number in range(6):
        make_supporter(f"person{number}@example.org", language="fr")
    mailing = make_mailing()
    assert sending.start(mailing)
    sending.send_some(mailing.pk, batch=2, max_batches=1)
    translation = mailing.translations.get()

    assert rewrite(translator, translation).status_code == 403
    # Even a change that reaches the database some other way does not reach the copies.
    translation.title, translation.body = "Rendez-vous annulé", "Tout est annulé."
    translation.save()
    sending.send_some(mailing.pk)

    sent = list(copies(smtp_sink))
    assert len(sent) == 6
    assert len(set(sent)) == 1
    assert sent[0][0] == ORIGINAL_SUBJECT
