"""The endorsement contact's link to confirm, sent through core.outbox."""

from tadamun.coalition.tasks import endorsement_confirmation
from tadamun.core import outbox

ENDORSEMENT = "coalition.endorsement"
LANE = "endorsements"

outbox.kind(ENDORSEMENT)(outbox.one_at_a_time(endorsement_confirmation))
