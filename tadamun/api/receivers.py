"""What becomes a webhook (connected in ApiConfig.ready): each action goes only to the
partners its person confirmed sharing their data with, and to the coalition's own endpoints
when its person asked to hear from the coalition (supporters.partners decides)."""

from django.dispatch import receiver

from tadamun.api.webhooks import Person, notify
from tadamun.core import signals
from tadamun.events import shifts
from tadamun.questions import queries as custom
from tadamun.supporters.partners import coalition_hears_of, partners_sharing

# Each action's answers to its custom questions ride with its person (`custom_fields`), and an
# attendance names the time slots chosen (their ids, as the API's `tadamun:shift:<id>`).


@receiver(signals.signature_confirmed)
def signature_confirmed(sender, signature, **kwargs):
    """To the partner that brought the signature, if the signer shares with it; to the
    coalition, if the signer asked to hear from it."""
    sharing = signature.partner_id in partners_sharing(signature.supporter)
    partner = [signature.partner_id] if sharing else []
    coalition = coalition_hears_of(signature.supporter)
    if not (partner or coalition):
        return
    notify(
        "signature.confirmed",
        partner,
        {
            "petition": signature.petition.slug,
            "signature": signature.pk,
            "confirmed_at": signature.confirmed_at.isoformat(),
        },
        person=Person(
            signature.supporter,
            signature.name,
            custom.custom_fields(signature),
            signature.petition,
        ),
        coalition=coalition,
    )


@receiver(signals.attendance_confirmed)
def attendance_confirmed(sender, rsvp, **kwargs):
    notify(
        "attendance.confirmed",
        partners_sharing(rsvp.supporter, activity=True),
        {
            "event": rsvp.event_id,
            "day": rsvp.event.day.slug,
            "status": rsvp.status,
            "shifts": [answer.shift_id for answer in shifts.chosen(rsvp)],
        },
        person=Person(rsvp.supporter, rsvp.name, custom.custom_fields(rsvp), rsvp.event),
        coalition=coalition_hears_of(rsvp.supporter),
    )


@receiver(signals.endorsement_approved)
def endorsement_approved(sender, endorsement, **kwargs):
    """Public news: the organisation's name and country, never its contact."""
    organisation = endorsement.organisation
    notify(
        "endorsement.approved",
        None,
        {
            "campaign": endorsement.campaign.slug,
            "organisation": organisation.name,
            "country": organisation.country.code,
        },
    )


@receiver(signals.letter_sent)
def letter_sent(sender, delivery, **kwargs):
    letter = delivery.letter
    notify(
        "letter.sent",
        partners_sharing(letter.supporter, activity=True),
        {
            "letter_campaign": letter.campaign.slug,
            "official": delivery.target.reference,
        },
        person=Person(letter.supporter, letter.name, custom.custom_fields(letter), letter.campaign),
        coalition=coalition_hears_of(letter.supporter),
    )
