"""Stored counters (a petition's signatures, a letter campaign's letters): one row per key,
moved by a delta in the transaction that changes what it counts."""

from django.db.models import F


def bump(model, delta: int, **key) -> None:
    """Add `delta` to the `count` of `model`'s row for `key`, creating the row if need be."""
    updated = model.objects.filter(**key).update(count=F("count") + delta)
    if not updated:
        _, created = model.objects.get_or_create(**key, defaults={"count": max(delta, 0)})
        if not created:  # a concurrent transaction created it between our two statements
            model.objects.filter(**key).update(count=F("count") + delta)
