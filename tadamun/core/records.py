"""Writing the one row a person may have per thing (a signature, an RSVP, a letter)."""

from django.db import IntegrityError, transaction


def create_or_replace_pending(model, key: dict, values: dict, *, is_pending):
    """The row of `model` for `key`, created with `values`; or, when it exists and
    `is_pending(row)` (not yet confirmed), that row with `values` replacing what it held.

    A confirmed row is returned unchanged. When two submissions race, the database's unique
    constraint on `key` decides and the loser gets the winner's row. Call it in a transaction.
    """
    try:
        with transaction.atomic():
            return model.objects.create(**key, **values)
    except IntegrityError:
        row = model.objects.select_for_update().get(**key)
        if is_pending(row):
            for field, value in values.items():
                setattr(row, field, value)
            row.save(update_fields=list(values))
        return row
