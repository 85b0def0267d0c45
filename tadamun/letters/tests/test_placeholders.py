"""Letter templates read well with any optional field blank, and the writer never sees a
raw {target_name} or {target_title}: not on the confirm page, not in their copy."""

import re

import pytest
from django.core import mail

from tadamun.letters.queries import fill
from tadamun.letters.tests.test_writing import compose, composed_form, confirm_link

OPTIONAL_TEMPLATE = (
    "Dear {target_name},\n\nI am writing to you[ from {city}] about safe routes. As "
    "{target_title}, you can open them.\n\nYours,\n{name}[, {city}]"
)
RAW = ("{target_name}", "{target_title}", "{city}", "{name}", "[", "]")


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        ("Köln", "I am writing to you from Köln about safe routes."),
        ("", "I am writing to you about safe routes."),
        ("   ", "I am writing to you about safe routes."),
    ],
)
def test_an_optional_part_is_left_out_whole_when_its_field_is_blank(city, expected):
    text = fill(OPTIONAL_TEMPLATE, name="Amal", city=city)
    assert expected in text
    assert "  " not in text and "from  about" not in text
    assert text.endswith("Yours,\nAmal" + (f", {city}" if city.strip() else ""))


def test_an_officials_optional_part_waits_for_the_official():
    template = "Dear {target_name}[ ({target_title})],"
    assert fill(template, name="Amal") == template
    assert fill(template) == template


def test_brackets_without_a_placeholder_are_the_writers_own(make_letter_campaign):
    assert fill("See [1] and {x}.", name="Amal") == "See [1] and {x}."


def test_confirm_page_and_copy_show_the_letter_as_the_official_reads_it(
    post, client, make_letter_campaign
):
    campaign = make_letter_campaign()
    campaign.letter, campaign.subject = OPTIONAL_TEMPLATE, "To {target_name}, {target_title}"
    campaign.save()
    fields = composed_form(compose(client, campaign, city=""))
    assert "I am writing to you about safe routes." in fields["text"]
    post(f"/en/letters/{campaign.slug}/send", fields)
    link = confirm_link(mail.outbox[0])

    page = client.get(link).content.decode()
    assert "Dear Jana Albers," in page and "As Bundesministerin des Innern, you" in page
    assert "To Jana Albers, Bundesministerin des Innern" in page
    post(link)
    copy = mail.outbox[1]
    assert "Dear Jana Albers," in copy.body and "To Jana Albers, Bundesministerin" in copy.body
    for raw in RAW:
        assert raw not in re.search(r'class="letter-text"[^>]*>(.*?)</pre>', page, re.S)[1]
        assert raw not in copy.body
    to_minister = mail.outbox[2]
    assert "I am writing to you about safe routes." in to_minister.body
    assert to_minister.body.split("\n-- \n")[0].rstrip().endswith("Yours,\nAmal Haddad")


def test_a_letter_to_several_officials_says_each_has_their_own_copy(
    post, client, make_letter_campaign
):
    campaign = make_letter_campaign(choice="all")
    fields = composed_form(compose(client, campaign))
    post(f"/en/letters/{campaign.slug}/send", fields)
    page = client.get(confirm_link(mail.outbox[0])).content.decode()
    assert "Each official's copy carries their own name and title." in page
    assert "{target_name}" not in page
