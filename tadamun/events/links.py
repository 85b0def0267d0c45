"""The links events email (core.confirmation): an organiser's to confirm their event and to
manage it, an attendee's to confirm and to cancel their answer."""

from django.utils.translation import gettext_lazy as _

from tadamun.core.confirmation import ConfirmLink, InvalidLink
from tadamun.core.privacy import keyed_hash
from tadamun.events.models import Event, Rsvp

EXPIRED = InvalidLink(
    _(
        "The confirmation link has expired or was copied incompletely. Propose the event "
        "again and we will email you a new link."
    ),
    "events:days",
    _("Days of action"),
)

CONFIRM_EVENT = ConfirmLink(
    salt="tadamun.event.confirm",
    url_name="events:confirm",
    objects=lambda: Event.objects.select_related("day"),
    fingerprint=lambda event: keyed_hash("event", f"{event.pk}\n{event.organiser_id}")[:16],
    invalid=EXPIRED,
)

# The organiser's key: it names the event and the supporter who organises it, and stops
# working when that person erases their data (the event then has no organiser).
MANAGE_EVENT = ConfirmLink(
    salt="tadamun.event.manage",
    url_name="events:manage",
    objects=lambda: (
        Event.objects.select_related("day", "organiser")
        .filter(organiser__isnull=False)
        .exclude(status=Event.Status.UNCONFIRMED)
    ),
    fingerprint=lambda event: keyed_hash(
        "event-manage", f"{event.pk}\n{event.organiser_id}\n{event.manage_key}"
    )[:16],
    max_age="ORGANISER_LINK_MAX_AGE",
    invalid=InvalidLink(
        _(
            "The link to manage the event has expired or was copied incompletely. On the "
            "event's page, under “Are you the organiser?”, you can ask for a new one."
        ),
        "events:find",
        _("Find an event"),
    ),
)


def _answers():
    return Rsvp.objects.select_related("event", "supporter").filter(supporter__isnull=False)


CONFIRM_RSVP = ConfirmLink(
    salt="tadamun.rsvp.confirm",
    url_name="events:rsvp_confirm",
    objects=_answers,
    fingerprint=lambda rsvp: keyed_hash("rsvp", f"{rsvp.pk}\n{rsvp.name}\n{rsvp.wants_updates}")[
        :16
    ],
    # Once confirmed, the answer no longer changes: any of its links just says so.
    fingerprint_counts=lambda rsvp: rsvp.status == Rsvp.Status.UNCONFIRMED,
    invalid=EXPIRED,
)

# In every mail to an attendee: it does not expire.
CANCEL_RSVP = ConfirmLink(
    salt="tadamun.rsvp.cancel",
    url_name="events:rsvp_cancel",
    objects=_answers,
    fingerprint=lambda rsvp: keyed_hash("rsvp-cancel", str(rsvp.pk))[:16],
    max_age=None,
    invalid=EXPIRED,
)
