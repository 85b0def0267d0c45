"""The writer's link to confirm a letter, sent through core.outbox (a lane per campaign)."""

from functools import partial

from tadamun.core import outbox
from tadamun.letters.tasks import letter_mail

LETTER = "letters.letter"


def lane(campaign_id: int) -> str:
    return f"letters:{campaign_id}"


outbox.kind(LETTER)(outbox.one_at_a_time(partial(letter_mail, kind="confirm")))
