"""What is kept only for a while: actions nobody confirmed, the people behind nothing else,
and "my data" links the mail server never took.

An unconfirmed signature, RSVP, letter or endorsement submission was typed by someone who may
not own the address; after UNCONFIRMED_RETENTION_DAYS it is deleted, and so is a supporter
record left with no action and no consent (it was only ever made for what was not confirmed).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from tadamun.supporters import registry
from tadamun.supporters.models import LinkRequest, Supporter


def forget_unconfirmed(now=None) -> dict[str, int]:
    """Delete what was never confirmed and is older than the retention time; say how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.UNCONFIRMED_RETENTION_DAYS)
    with transaction.atomic():
        counts = {
            declared.unconfirmed.name: _delete(
                declared.unconfirmed.rows().filter(created_at__lt=cutoff)
            )
            for declared in registry.personal_data_models()
            if declared.unconfirmed
        }
        counts["supporters"] = _delete(_with_nothing_left(cutoff))
        counts["links"] = _delete(
            LinkRequest.objects.filter(created_at__lt=now - timedelta(days=1))
        )
    return counts


def _delete(rows) -> int:
    """Delete `rows`; how many of them (not counting what went with them, a letter's
    deliveries, a person's tags)."""
    return rows.delete()[1].get(rows.model._meta.label, 0)


def _with_nothing_left(cutoff):
    """Supporters older than `cutoff` with nothing left that keeps them (an action, a
    consent, an event, a mailing: the declared models' `keeps_supporter`)."""
    people = Supporter.objects.filter(created_at__lt=cutoff)
    for declared in registry.personal_data_models():
        if declared.keeps_supporter:
            rows = declared.model.objects.filter(**{declared.keeps_supporter: OuterRef("pk")})
            people = people.exclude(Exists(rows))
    return people
