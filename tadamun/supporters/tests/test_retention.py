"""Unconfirmed actions are forgotten after the retention time, with the people behind them."""

from datetime import timedelta

from django.utils import timezone

from tadamun.petitions import services as petitions
from tadamun.petitions.models import Petition, Signature
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent, LinkRequest, Supporter
from tadamun.supporters.retention import forget_unconfirmed
from tadamun.supporters.tasks import forget_unconfirmed as forget_task


def sign(petition, email, confirm=False):
    signature = petitions.sign(
        petition, petitions.SignatureRequest(name="A", email=email, country="FR")
    )
    if confirm:
        petitions.confirm(signature)
    return signature


def test_only_old_unconfirmed_actions_and_empty_records_go(campaign, settings):
    settings.UNCONFIRMED_RETENTION_DAYS = 30
    petition = Petition.objects.create(
        campaign=campaign, slug="p", title="P", target="T", status="open"
    )
    old = sign(petition, "old@example.org")
    recent = sign(petition, "recent@example.org")
    confirmed = sign(petition, "confirmed@example.org", confirm=True)
    subscriber = supporters.find_or_create_supporter("subscriber@example.org")
    supporters.give_consent(subscriber, Consent.Purpose.UPDATES)
    never_sent = LinkRequest.objects.create(email="old@example.org", language="en")
    waiting = LinkRequest.objects.create(email="recent@example.org", language="en")
    long_ago = timezone.now() - timedelta(days=31)
    Signature.objects.filter(pk__in=[old.pk, confirmed.pk]).update(created_at=long_ago)
    Supporter.objects.update(created_at=long_ago)
    LinkRequest.objects.filter(pk=never_sent.pk).update(created_at=long_ago)

    counts = forget_unconfirmed()
    assert counts == {
        "signatures": 1,
        "rsvps": 0,
        "letters": 0,
        "endorsements": 0,
        "supporters": 1,
        "links": 1,
    }
    assert list(LinkRequest.objects.all()) == [waiting]
    assert set(Signature.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk}
    left = set(Supporter.objects.values_list("pk", flat=True))
    assert old.supporter_id not in left
    assert {recent.supporter_id, confirmed.supporter_id, subscriber.pk} <= left
    assert Petition.objects.get().confirmed_count == 1  # the count is untouched


def test_the_daily_task_runs_it(campaign):
    assert forget_task.call() == {
        "signatures": 0,
        "rsvps": 0,
        "letters": 0,
        "endorsements": 0,
        "supporters": 0,
        "links": 0,
    }
