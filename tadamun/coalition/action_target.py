"""What several models share about "one of the coalition's kinds of action": a row that
belongs to exactly one petition, letter campaign or event (a custom question, a featured
action). Kept apart from coalition.models and member_actions (which import the models) so
that any app's models may import it."""

from django.db.models import Q

# The kinds of action, by the name of the foreign key to each.
ACTION_FIELDS = ("petition", "letter_campaign", "event")


def one_of(names) -> Q:
    """Exactly one of the foreign keys `names` is set."""
    either = Q()
    for name in names:
        only = Q(**{f"{name}__isnull": False})
        for other in names:
            if other != name:
                only &= Q(**{f"{other}__isnull": True})
        either |= only
    return either
