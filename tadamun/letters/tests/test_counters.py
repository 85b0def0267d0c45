"""A letter campaign's counts are stored, kept in step by every service that changes what
they count, and always equal to what counting the rows gives; the page reads no letter."""

import smtplib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tadamun.letters import counters, delivery, services
from tadamun.letters.models import CountryLetterCount, Letter, OfficialLetterCount, Target
from tadamun.letters.tasks import reconcile_counters


def request(number, country, **extra):
    return services.LetterRequest(
        name=f"Writer {number}",
        email=f"writer{number}@example.org",
        country=country,
        subject="Safe routes for Idlib",
        text="Dear {target_name}, please open safe routes for the civilians of Idlib.",
        **extra,
    )


def counted_from_rows(campaign):
    """What counting the rows gives: the reconciler's own reading."""
    return counters._from_rows(campaign)


def assert_counters_match_rows(campaign):
    by_country, by_official = counted_from_rows(campaign)
    assert services.letter_count(campaign) == sum(by_country.values())
    assert {c.code: n for c, n in services.counts_by_country(campaign)} == by_country
    assert {
        (t.pk, t.name, t.role): n for t, n in services.counts_by_target(campaign)
    } == by_official
    assert counters.reconcile(campaign) is False  # nothing had drifted


def deliver_now():
    return delivery.deliver_due(now=timezone.now() + timedelta(hours=1))


def test_the_counters_follow_every_change_of_letters_and_deliveries(
    platform_campaign, mailto_campaign, monkeypatch
):
    from tadamun.supporters import services as supporters

    # Handed to the writers' own email programs: counted at once, to every official.
    services.hand_over(mailto_campaign, request(0, "DE"))
    services.hand_over(mailto_campaign, request(1, "FR"))
    assert services.letter_count(mailto_campaign) == 2
    assert_counters_match_rows(mailto_campaign)

    # Sent by the platform: counted once confirmed, not before.
    letters = [
        services.write(platform_campaign, request(n, c)) for n, c in enumerate(["DE", "FR", "DE"])
    ]
    assert services.letter_count(platform_campaign) == 0
    services.confirm(letters[0])
    services.confirm(letters[1])
    services.confirm(letters[1])  # twice counts once
    assert services.letter_count(platform_campaign) == 2
    assert_counters_match_rows(platform_campaign)

    # The French minister's server refuses for good: that delivery is no longer counted.
    refused = smtplib.SMTPRecipientsRefused({"claire@interieur.example.org": (550, b"no")})
    sent_for_real = delivery.letter_message

    def refusing(one):
        message = sent_for_real(one)
        if one.target.country == "FR":
            monkeypatch.setattr(message, "send", lambda: (_ for _ in ()).throw(refused))
        return message

    monkeypatch.setattr(delivery, "letter_message", refusing)
    # A new German minister before the letter goes: it counts under the name it went to.
    Target.objects.filter(country="DE").update(name="Lena Brandt")
    assert deliver_now() == {"failed": 1, "sent": 1}
    names = {target.name: n for target, n in services.counts_by_target(platform_campaign)}
    assert names == {"Lena Brandt": 1}
    assert_counters_match_rows(platform_campaign)

    # A writer confirms, then erases their data before their letter goes: it goes no more,
    # and their letter still counts (its country stays).
    services.confirm(letters[2])
    supporters.erase(Letter.objects.get(pk=letters[2].pk).supporter)
    assert services.letter_count(platform_campaign) == 3
    assert_counters_match_rows(platform_campaign)
    assert deliver_now() == {}
    assert_counters_match_rows(platform_campaign)
    assert_counters_match_rows(mailto_campaign)


def test_the_reconciler_corrects_counters_that_drifted(platform_campaign, mailto_campaign):
    services.hand_over(mailto_campaign, request(0, "DE"))
    CountryLetterCount.objects.update(count=7)
    OfficialLetterCount.objects.filter(target__country="FR").delete()
    assert reconcile_counters.call() == 1
    assert services.letter_count(mailto_campaign) == 1
    assert_counters_match_rows(mailto_campaign)
    assert reconcile_counters.call() == 0


@pytest.mark.parametrize("path", ["/en/letters/{}/", "/ar/letters/{}/", "/en/letters/{}/card.png"])
def test_the_page_reads_no_letter_and_costs_the_same_with_many(client, mailto_campaign, path):
    path = path.format(mailto_campaign.slug)

    def queries():
        client.get(path)  # the layout's parts drawn and kept
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return [query["sql"] for query in captured]

    services.hand_over(mailto_campaign, request(0, "DE"))
    few = queries()
    for number in range(1, 40):
        services.hand_over(mailto_campaign, request(number, ["DE", "FR", "NL"][number % 3]))
    many = queries()
    assert len(many) == len(few)
    for sql in many:
        assert 'letters_letter"' not in sql and 'letters_delivery"' not in sql, sql
