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

from tadamun.coalition.models import Endorsement
from tadamun.events.models import Event, Rsvp
from tadamun.letters.models import Letter
from tadamun.mailings.models import Recipient
from tadamun.petitions.models import Signature
from tadamun.supporters.models import Consent, LinkRequest, Supporter


def forget_unconfirmed(now=None) -> dict[str, int]:
    """Delete what was never confirmed and is older than the retention time; say how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.UNCONFIRMED_RETENTION_DAYS)
    with transaction.atomic():
        counts = {
            "signatures": _delete(
                Signature.objects.filter(status=Signature.Status.UNCONFIRMED, created_at__lt=cutoff)
            ),
            "rsvps": _delete(
                Rsvp.objects.filter(status=Rsvp.Status.UNCONFIRMED, created_at__lt=cutoff)
            ),
            "letters": _delete(
                Letter.objects.filter(status=Letter.Status.UNCONFIRMED, created_at__lt=cutoff)
            ),
            # With the logo it may hold, never stored as a file before confirmation.
            "endorsements": _delete(
                Endorsement.objects.filter(
                    status=Endorsement.Status.UNCONFIRMED, created_at__lt=cutoff
                )
            ),
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
    """Supporters older than `cutoff` with no action, consent, event or mailing left."""
    related = [
        Signature.objects.filter(supporter=OuterRef("pk")),
        Rsvp.objects.filter(supporter=OuterRef("pk")),
        Letter.objects.filter(supporter=OuterRef("pk")),
        Consent.objects.filter(supporter=OuterRef("pk")),
        Event.objects.filter(organiser=OuterRef("pk")),
        Recipient.objects.filter(supporter=OuterRef("pk")),
    ]
    people = Supporter.objects.filter(created_at__lt=cutoff)
    for rows in related:
        people = people.exclude(Exists(rows))
    return people
