"""Who a mailing goes to: always within the consents given, then narrowed by the admin's
choices. Each condition is an EXISTS subquery, so a person matching several ways is still
one row and the count is a single query."""

from django.db.models import Exists, OuterRef, Q

from tadamun.events.models import DayOfAction, Rsvp
from tadamun.letters.models import Letter, LetterCampaign
from tadamun.mailings.models import Mailing, Suppression
from tadamun.petitions.models import Petition, Signature
from tadamun.supporters.consents import HELD
from tadamun.supporters.models import Consent, Supporter
from tadamun.supporters.partners import shares_with


def _consented(mailing: Mailing):
    """A partner's mailing goes to the people who confirmed sharing with it (never to those it
    merely submitted: supporters.partners); the coalition's to those who asked for updates,
    themselves (an import's word for them is held until they confirm it: consents.HELD)."""
    if mailing.partner_id:
        return shares_with([mailing.partner_id])
    consents = Consent.objects.active().filter(supporter=OuterRef("pk"))
    asked = consents.filter(purpose=Consent.Purpose.UPDATES).exclude(wording__in=HELD)
    return Exists(asked)


def _activity(mailing: Mailing) -> Q | None:
    """Anyone who did any of the chosen actions (signed, answered, wrote), or any action of
    a chosen campaign."""
    campaigns = list(mailing.campaigns.values_list("pk", flat=True))
    conditions = []
    petitions = Q(pk__in=mailing.petitions.values("pk")) | Q(campaign__in=campaigns)
    if campaigns or mailing.petitions.exists():
        signed = Signature.objects.confirmed().filter(
            petition__in=Petition.objects.filter(petitions)
        )
        conditions.append(Exists(signed.filter(supporter=OuterRef("pk"))))
    if campaigns or mailing.days.exists():
        days = DayOfAction.objects.filter(
            Q(pk__in=mailing.days.values("pk")) | Q(campaign__in=campaigns)
        )
        answered = Rsvp.objects.filter(
            event__day__in=days, status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITING]
        )
        conditions.append(Exists(answered.filter(supporter=OuterRef("pk"))))
    if campaigns or mailing.letter_campaigns.exists():
        letter_campaigns = LetterCampaign.objects.filter(
            Q(pk__in=mailing.letter_campaigns.values("pk")) | Q(campaign__in=campaigns)
        )
        wrote = Letter.objects.filter(campaign__in=letter_campaigns, status=Letter.Status.CONFIRMED)
        conditions.append(Exists(wrote.filter(supporter=OuterRef("pk"))))
    if not conditions:
        return None
    combined = Q(conditions[0])
    for condition in conditions[1:]:
        combined |= condition
    return combined


def audience(mailing: Mailing):
    """The supporters the mailing goes to."""
    supporters = Supporter.objects.filter(_consented(mailing)).exclude(
        Exists(Suppression.objects.filter(email_hash=OuterRef("email_hash")))
    )
    if (activity := _activity(mailing)) is not None:
        supporters = supporters.filter(activity)
    if mailing.countries:
        supporters = supporters.filter(country__in=[c.code for c in mailing.countries])
    if mailing.languages:
        supporters = supporters.filter(language__in=mailing.languages)
    if tags := list(mailing.tags.values_list("pk", flat=True)):
        supporters = supporters.filter(
            Exists(Supporter.tags.through.objects.filter(supporter=OuterRef("pk"), tag__in=tags))
        )
    return supporters


def language_for(mailing: Mailing, supporter_language: str, translated: set[str]) -> str:
    """The recipient's language when the mailing is translated into it, else the source's."""
    return supporter_language if supporter_language in translated else mailing.language
