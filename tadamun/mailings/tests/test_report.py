"""A mailing's report (issue 18 item 5): per language and per audience segment, copies sent and
failed, and the people who bounced, complained or unsubscribed within a week of their copy."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tadamun.mailings.models import Recipient, Suppression
from tadamun.mailings.report import report
from tadamun.staff import roles
from tadamun.supporters.models import Consent, Tag

DAY = timedelta(days=1)


@pytest.fixture
def sent_mailing(make_mailing, make_supporter):
    """Five copies sent a day ago: Amal (en) bounced, Bilal (fr) complained, Chloé (fr)
    unsubscribed, Dana (en) unsubscribed ten days after her copy, Elif (en) tagged and
    untouched; Farid's (en) copy failed."""
    mailing = make_mailing()
    volunteers = Tag.objects.create(name="volunteers")
    mailing.tags.add(volunteers)
    now = timezone.now()
    people = {}
    for name, language in [
        ("amal", "en"), ("bilal", "fr"), ("chloe", "fr"), ("dana", "en"), ("elif", "en"),
        ("farid", "en"),
    ]:  # fmt: skip
        people[name] = supporter = make_supporter(f"{name}@example.org", language=language)
        sent_at = now - (20 * DAY if name == "dana" else DAY)
        Recipient.objects.create(
            mailing=mailing,
            supporter=supporter,
            language=language,
            status=Recipient.Status.FAILED if name == "farid" else Recipient.Status.SENT,
            sent_at=None if name == "farid" else sent_at,
        )
    people["elif"].tags.add(volunteers)
    people["amal"].tags.add(volunteers)
    Suppression.objects.create(
        email_hash=people["amal"].email_hash, reason=Suppression.Reason.BOUNCE
    )
    Suppression.objects.create(
        email_hash=people["bilal"].email_hash, reason=Suppression.Reason.COMPLAINT
    )
    Consent.objects.filter(supporter__in=[people["chloe"], people["dana"]]).update(withdrawn_at=now)
    return mailing


def figures(row) -> tuple:
    return (row.sent, row.failed, row.bounced, row.complained, row.unsubscribed)


def test_the_report_counts_what_became_of_each_copy_within_a_week(sent_mailing):
    result = report(sent_mailing)
    assert figures(result["total"][0]) == (5, 1, 1, 1, 1)  # Dana left after the week
    by_language = {row.label: figures(row) for row in result["languages"]}
    assert by_language == {"English": (3, 1, 1, 0, 0), "French": (2, 0, 0, 1, 1)}
    assert [(row.label, figures(row)) for row in result["segments"]] == [
        ("Tagged: volunteers", (2, 0, 1, 0, 0))
    ]


def test_the_mailing_page_shows_its_report(sent_mailing, make_staff):
    client = Client()
    client.force_login(make_staff(roles.COALITION_ADMIN))
    content = client.get(f"/en/admin/mailings/mailing/{sent_mailing.pk}/change/").content.decode()
    assert 'id="mailing-report"' in content
    assert "Unsubscribed within 7 days" in content
    assert "Tagged: volunteers" in content


def test_a_mailing_being_sent_shows_its_progress_not_its_report(sent_mailing, make_staff):
    """The page refreshes every few seconds while sending: the report waits for the end."""
    sent_mailing.status = sent_mailing.Status.SENDING
    sent_mailing.save()
    client = Client()
    client.force_login(make_staff(roles.COALITION_ADMIN))
    content = client.get(f"/en/admin/mailings/mailing/{sent_mailing.pk}/change/").content.decode()
    assert "<progress" in content
    assert 'id="mailing-report"' not in content
