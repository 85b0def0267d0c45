"""The emails with a link events promise, sent through core.outbox: the organiser's links
(one lane for every organiser) and each attendee's link to confirm (a lane per event)."""

from functools import partial

from tadamun.core import outbox
from tadamun.events.tasks import event_confirmation, manage_link, rsvp_mail

EVENT = "events.event"
MANAGE = "events.manage"
RSVP = "events.rsvp"
ORGANISERS = "organisers"


def lane(event_id: int) -> str:
    return f"event:{event_id}"


outbox.kind(EVENT)(outbox.one_at_a_time(event_confirmation))
outbox.kind(MANAGE)(outbox.one_at_a_time(manage_link))
outbox.kind(RSVP)(outbox.one_at_a_time(partial(rsvp_mail, kind="confirm")))
