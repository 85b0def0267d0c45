"""The demo's mailbox page: the mail the demo sent, readable in the browser, only with
settings.DEMO on (a 404 otherwise, and `check --deploy` refuses DEMO)."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives

from tadamun.core.checks import demo_is_off


@pytest.fixture
def mailbox(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = tmp_path
    first = EmailMultiAlternatives(
        "Confirm your signature", "Open https://x.example/c/1", to=["amal@example.org"]
    )
    first.attach_alternative("<p>Open it</p>", "text/html")
    connection = mail.get_connection()
    connection.send_messages(
        [first, EmailMultiAlternatives("Второе — second", "Body two", to=["hugo@example.org"])]
    )
    return tmp_path


def test_without_demo_settings_there_is_no_mailbox(client, db, mailbox, settings):
    settings.DEMO = False
    assert client.get("/en/demo/mail/").status_code == 404
    assert client.get(f"/en/demo/mail/{next(mailbox.iterdir()).name}/0/").status_code == 404


def test_the_demo_lists_its_mail_and_shows_each_message(client, db, mailbox, settings):
    settings.DEMO = True
    page = client.get("/en/demo/mail/").content.decode()
    assert "Confirm your signature" in page and "amal@example.org" in page
    assert page.index("Второе — second") < page.index("Confirm your signature")  # newest first
    file = next(mailbox.iterdir()).name
    message = client.get(f"/en/demo/mail/{file}/0/").content.decode()
    assert "Open https://x.example/c/1" in message or 'href="https://x.example/c/1"' in message
    assert client.get(f"/en/demo/mail/{file}/9/").status_code == 404
    assert client.get("/en/demo/mail/..%2Fsecrets.env/0/").status_code == 404


def test_check_deploy_refuses_demo_settings(settings):
    settings.DEMO = True
    assert [error.id for error in demo_is_off(None)] == ["tadamun.E001"]
    settings.DEMO = False
    assert demo_is_off(None) == []
