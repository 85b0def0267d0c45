"""Writing a letter over HTTP, from the campaign page to the officials' inboxes."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client

from tadamun.letters import services
from tadamun.letters.models import Delivery, Letter
from tadamun.supporters.models import Consent

WRITER = {"name": "Amal Haddad", "email": "amal@example.org", "country": "DE", "city": "Köln"}


def compose(client, letter_campaign, language="en", **writer):
    return client.post(f"/{language}/letters/{letter_campaign.slug}/compose", {**WRITER, **writer})


def composed_form(response) -> dict:
    """The hidden and visible fields of the letter step, as the browser would send them."""
    html = response.content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))
    fields.pop("csrfmiddlewaretoken", None)
    fields["subject"] = re.search(r'name="subject" value="([^"]*)"', html)[1]
    fields["text"] = re.search(r'<textarea name="text"[^>]*>\n?(.*?)</textarea>', html, re.S)[1]
    return {key: _unescape(value) for key, value in fields.items()}


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)


def confirm_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+/letters/confirm/\S+/)", message.body)[1]


def test_the_campaign_page_lists_officials_counts_and_asks_who_writes(client, platform_campaign):
    response = client.get("/en/letters/write-to-your-minister/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Write to your minister" in html
    assert "0 letters" in html
    # Only the countries with officials can be chosen for "write to your own government".
    options = re.findall(r'<option value="(\w+)"', html)
    assert sorted(options) == ["DE", "FR", "NL"]
    assert 'name="email"' in html


def test_the_letter_step_fills_in_the_writer_and_names_their_own_minister(
    client, platform_campaign
):
    response = compose(client, platform_campaign)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Jana Albers" in html and "Claire Martin" not in html
    fields = composed_form(response)
    assert fields["name"] == "Amal Haddad" and fields["country"] == "DE"
    assert "I live in Köln" in fields["text"] and fields["text"].endswith("Amal Haddad")
    # The official's placeholders stay, to be filled in for each official.
    assert "Dear {target_name}" in fields["text"]


def test_the_template_comes_in_the_writers_language(client, platform_campaign):
    fields = composed_form(compose(client, platform_campaign, language="fr", country="FR"))
    assert fields["subject"] == "Des voies sûres pour Idlib"
    assert "J'habite à Köln" in fields["text"]


def test_a_country_without_officials_gets_a_clear_error(client, platform_campaign):
    response = compose(client, platform_campaign, country="ES")
    assert response.status_code == 200
    assert "This letter campaign has no officials of Spain yet." in response.content.decode()


def test_a_whole_letter_the_platform_sends_after_the_writer_confirms(
    post, client, platform_campaign
):
    fields = composed_form(compose(client, platform_campaign))
    fields["text"] = fields["text"].replace("open safe routes", "open safe routes now")
    fields["wants_updates"] = "on"
    response = post("/en/letters/write-to-your-minister/send", fields)
    assert response.status_code == 302
    assert response["Location"] == "/en/letters/write-to-your-minister/check-your-email"
    letter = Letter.objects.get()
    assert letter.status == Letter.Status.UNCONFIRMED
    assert not letter.deliveries.exists()  # nothing goes out before the address is confirmed
    (confirmation,) = mail.outbox
    assert confirmation.to == ["amal@example.org"]

    link = confirm_link(confirmation)
    page = client.get(link)
    assert "open safe routes now" in page.content.decode()
    assert Letter.objects.get().status == Letter.Status.UNCONFIRMED  # a GET confirms nothing
    response = post(link)
    assert response["Location"] == "/en/letters/write-to-your-minister/sent"

    copy, to_minister = mail.outbox[1:]
    assert copy.to == ["amal@example.org"] and "open safe routes now" in copy.body
    assert to_minister.to == ["jana@interior-de.example.org"]
    assert to_minister.reply_to == ["amal@example.org"]
    assert to_minister.from_email == "Tadamun <noreply@localhost>"
    assert to_minister.subject == "Safe routes for Idlib"
    assert to_minister.body.startswith("Dear Jana Albers,")
    assert "as Bundesministerin des Innern" in to_minister.body
    assert Delivery.objects.get().status == Delivery.Status.SENT
    supporter = Letter.objects.get().supporter
    assert supporter.name == "Amal Haddad" and supporter.country == "DE"
    assert supporter.consents.filter(purpose=Consent.Purpose.UPDATES).exists()

    # Confirming again sends nothing more.
    post(link)
    assert len(mail.outbox) == 3
    page = client.get("/en/letters/write-to-your-minister/")
    assert "1 letter" in page.content.decode()


def test_writing_again_before_confirming_replaces_the_letter_and_kills_the_old_link(
    post, client, platform_campaign
):
    fields = composed_form(compose(client, platform_campaign))
    post("/en/letters/write-to-your-minister/send", fields)
    first_link = confirm_link(mail.outbox[0])
    fields["subject"] = "A better subject"
    post("/en/letters/write-to-your-minister/send", fields)
    assert Letter.objects.count() == 1
    assert Letter.objects.get().subject == "A better subject"
    assert client.get(first_link).status_code == 400
    assert client.get(confirm_link(mail.outbox[1])).status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": "Too short."}, "Ensure this value has at least 50 characters"),
        ({"text": "x" * 5001}, "Ensure this value has at most 5000 characters"),
        ({"subject": ""}, "This field is required."),
        ({"subject": "two\nlines"}, "Please keep this to a single line."),
        ({"text": "Dear minister,\u202e " + "a" * 60}, "invisible text-direction characters"),
        ({"text": "Dear minister,\x00 " + "a" * 60}, "control characters"),
    ],
)
def test_a_bad_letter_is_shown_again_with_its_error_and_the_writers_words(
    post, client, platform_campaign, change, message
):
    fields = composed_form(compose(client, platform_campaign)) | change
    response = post("/en/letters/write-to-your-minister/send", fields)
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'name="name" value="Amal Haddad"' in html
    assert not Letter.objects.exists()


def test_a_tampered_writer_goes_back_to_the_first_step(post, client, platform_campaign):
    fields = composed_form(compose(client, platform_campaign)) | {"country": "ES"}
    response = post("/en/letters/write-to-your-minister/send", fields)
    assert "has no officials of Spain" in response.content.decode()
    assert not Letter.objects.exists()


def test_the_writer_may_use_braces_and_no_placeholder_can_reach_python(
    post, client, platform_campaign
):
    fields = composed_form(compose(client, platform_campaign))
    fields["text"] += "\n{0.__class__} {name.__init__} {target_name}"
    post("/en/letters/write-to-your-minister/send", fields)
    post(confirm_link(mail.outbox[0]))
    to_minister = mail.outbox[-1]
    assert "{0.__class__} {name.__init__} Jana Albers" in to_minister.body


def test_a_bot_filling_the_hidden_field_writes_nothing(post, client, platform_campaign):
    fields = composed_form(compose(client, platform_campaign)) | {"website": "spam"}
    post("/en/letters/write-to-your-minister/send", fields)
    assert not Letter.objects.exists() and not mail.outbox


def test_one_address_cannot_make_the_site_mail_bomb_it(form_rate, post, client, platform_campaign):
    form_rate("letter", address="2/h")
    fields = composed_form(compose(client, platform_campaign))
    for _attempt in range(2):
        post("/en/letters/write-to-your-minister/send", fields)
    response = post("/en/letters/write-to-your-minister/send", fields)
    assert response.status_code == 429
    assert len(mail.outbox) == 2


def test_a_closed_campaign_takes_no_letter(post, client, platform_campaign):
    fields = composed_form(compose(client, platform_campaign))
    platform_campaign.status = "closed"
    platform_campaign.save()
    assert (
        "This letter campaign is closed."
        in client.get("/en/letters/write-to-your-minister/").content.decode()
    )
    assert post("/en/letters/write-to-your-minister/send", fields).status_code == 404
    assert not Letter.objects.exists()


def test_draft_campaigns_are_not_public(client, make_letter_campaign):
    make_letter_campaign(status="draft")
    assert client.get("/en/letters/write-to-your-minister/").status_code == 404
    assert "Write to your minister" not in client.get("/en/letters/").content.decode()


def test_mailto_letters_open_in_the_writers_email_and_keep_nothing_about_them(
    post, client, mailto_campaign
):
    writer = {"name": "Hugo Petit", "country": "FR", "city": "Lyon"}
    response = post("/fr/letters/winter/compose", writer)
    html = response.content.decode()
    assert 'name="email"' not in html  # the platform sends nothing: it needs no address
    fields = composed_form(response)
    response = post("/fr/letters/winter/send", fields)
    html = response.content.decode()
    assert response.status_code == 200
    # Every official of the group, each with the letter addressed to them.
    assert html.count('href="mailto:') == 2
    assert "mailto:jana@interior-de.example.org?subject=Des%20voies%20s%C3%BBres" in html
    assert "%C3%80%20l%27attention%20de%20Jana%20Albers" in html
    assert "https://asiel-nl.example.org/contact" in html  # contact form only
    letter = Letter.objects.get()
    assert letter.status == Letter.Status.HANDED_OVER
    assert (letter.supporter, letter.name, letter.city, letter.text) == (None, "", "", "")
    assert letter.deliveries.count() == 3
    assert not mail.outbox

    post("/fr/letters/winter/send", fields)  # reloading the page counts once
    assert Letter.objects.count() == 1


def test_public_counts_by_official_and_by_country(client, mailto_campaign):
    for country, how_many in (("FR", 2), ("DE", 1)):
        for _ in range(how_many):
            services.hand_over(
                mailto_campaign,
                services.LetterRequest(name="X", country=country, subject="s", text="t"),
            )
    html = client.get("/en/letters/winter/").content.decode()
    assert "3 letters" in html
    rows = re.findall(r"<tr><td>([^<]+)</td><td>(\d+)</td></tr>", html)
    assert rows == [("France", "2"), ("Germany", "1")]
    assert html.count("<td>3</td>") == 3  # each of the three officials got three letters


def test_a_watch_item_links_to_the_letter_campaign_that_answers_it(client, platform_campaign):
    from datetime import date

    from tadamun.watch.models import WatchItem

    WatchItem.objects.create(
        title="Return deal",
        slug="return-deal",
        actor="Ministry",
        country="DK",
        happened_on=date(2026, 10, 1),
        status="enacted",
        published=True,
        letter_campaign=platform_campaign,
    )
    html = Client().get("/en/watch/return-deal/").content.decode()
    assert 'href="/en/letters/write-to-your-minister/"' in html
    platform_campaign.status = "draft"
    platform_campaign.save()
    html = Client().get("/en/watch/return-deal/").content.decode()
    assert "write-to-your-minister" not in html


def test_letters_appear_in_your_data_and_erasure_keeps_the_counts(post, client, platform_campaign):
    from tadamun.supporters import services as supporters
    from tadamun.supporters.registry import providers

    fields = composed_form(compose(client, platform_campaign))
    post("/en/letters/write-to-your-minister/send", fields)
    post(confirm_link(mail.outbox[0]))
    supporter = Letter.objects.get().supporter
    (described,) = next(p for p in providers() if p.name == "letters").describe(supporter)
    assert described["officials"] == "Jana Albers, Bundesministerin des Innern"
    assert "Köln" in described["letter"]

    supporters.erase(supporter)
    letter = Letter.objects.get()
    assert (letter.supporter, letter.name, letter.text) == (None, "", "")
    assert services.letter_count(platform_campaign) == 1
    assert services.counts_by_target(platform_campaign)[0][1] == 1


def test_the_letter_campaign_has_its_card_and_share_links(client, platform_campaign):
    card = client.get(f"/en/letters/{platform_campaign.slug}/card.png")
    assert card.status_code == 200 and card["Content-Type"] == "image/png"
    page = client.get(f"/en/letters/{platform_campaign.slug}/").content.decode()
    assert f'content="{settings.SITE_URL}/en/letters/{platform_campaign.slug}/card.png"' in page
