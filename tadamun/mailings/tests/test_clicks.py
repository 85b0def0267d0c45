"""Counting the links followed in a mailing (issue 18 item 5): off by default; when on, each
web link goes through a first-party address that counts it per link and language, never per
person, and says so; no copy ever carries an image that reports its opening."""

import re

import pytest
from django.test import Client

from tadamun.mailings import sending
from tadamun.mailings.models import CountedLink
from tadamun.staff import roles

ARTICLE = "https://news.example/article?id=7&lang=fr"
BODY = f"Dear {{name}},\n\nRead [the article]({ARTICLE}) and join us."
SAID = "counts how many times each is followed, never by whom"


@pytest.fixture
def hugo(make_supporter):
    return make_supporter("hugo@example.org", name="Hugo Petit", language="en")


def send(mailing, smtp_sink):
    assert sending.start(mailing)
    sending.send_some(mailing.pk)
    (copy,) = smtp_sink.to("hugo@example.org")
    return [part.get_payload(decode=True).decode() for part in copy.get_payload()]


def test_links_are_left_alone_by_default(smtp_sink, hugo, make_mailing, client):
    text, html = send(make_mailing(body=BODY), smtp_sink)
    assert ARTICLE in text
    assert ARTICLE.replace("&", "&amp;") in html
    assert SAID not in text + html
    assert not CountedLink.objects.exists()
    assert SAID not in client.get("/en/my-data/").content.decode()


def test_when_on_each_link_is_counted_per_link_never_per_person(
    smtp_sink, hugo, make_mailing, make_supporter, make_staff, settings
):
    settings.MAILING_COUNT_CLICKS = True
    make_supporter("lena@example.org", name="Lena", language="en")
    mailing = make_mailing(body=BODY)
    text, html = send(mailing, smtp_sink)
    (lena,) = smtp_sink.to("lena@example.org")
    lenas_html = lena.get_payload()[1].get_payload(decode=True).decode()
    counted = re.search(r'href="(http://127\.0\.0\.1:8000/en/m/[^"]+)"', html).group(1)
    assert ARTICLE.replace("&", "&amp;") not in html
    assert counted in text  # the plain text's link too
    assert counted in lenas_html  # the same address for every reader: it names no one
    assert SAID in text and SAID in html
    assert "<img" not in html
    path = counted.removeprefix("http://127.0.0.1:8000")
    for _ in range(2):
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"] == ARTICLE
    assert CountedLink.objects.get(mailing=mailing, language="en").clicks == 2
    staff = Client()
    staff.force_login(make_staff(roles.COALITION_ADMIN))
    page = staff.get(f"/en/admin/mailings/mailing/{mailing.pk}/change/").content.decode()
    row = re.search(r'<table id="mailing-links">.*?</table>', page, re.S).group()
    assert ARTICLE.replace("&", "&amp;") in row and "<td>2</td>" in row


def test_a_made_up_link_finds_nothing(db, settings):
    settings.MAILING_COUNT_CLICKS = True
    for forged in ("1:forged", "garbage"):
        response = Client().get(f"/en/m/{forged}/")
        assert response.status_code == 400
        assert "copied incompletely" in response.content.decode()


def test_the_your_data_page_says_links_are_counted_when_they_are(client, settings, db):
    settings.MAILING_COUNT_CLICKS = True
    assert "counts how many times each is followed" in client.get("/en/my-data/").content.decode()
