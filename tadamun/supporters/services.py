"""Every write to supporter records and consents."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tadamun.supporters import consents, registry
from tadamun.supporters.models import Consent, LinkRequest, PartnerPerson, Supporter


def find_or_create_supporter(
    email: str, *, name: str = "", country: str = "", language: str = "", source: str = ""
) -> Supporter:
    """The one record of the person with this email, created on first contact.

    Name and country are filled in when missing, never overwritten by a later form: a form
    typed by someone else must not change what the person told us.
    """
    supporter = Supporter.objects.with_email(email).first()
    if supporter is None:
        try:
            with transaction.atomic():
                return Supporter.objects.create(
                    email=email.strip(),
                    name=name,
                    country=country,
                    language=language or settings.LANGUAGE_CODE,
                    source=source,
                )
        except IntegrityError:  # created by a concurrent request a moment ago
            supporter = Supporter.objects.with_email(email).get()
    missing = {
        field: value
        for field, value in (("name", name), ("country", country))
        if value and not getattr(supporter, field)
    }
    for field, value in missing.items():
        setattr(supporter, field, value)
    if missing:
        supporter.save(update_fields=[*missing, "email_hash", "updated_at"])
    return supporter


def give_consent(
    supporter: Supporter, purpose: str, *, organisation=None, source: str = "", wording: str = ""
) -> Consent:
    """Record a consent in the words the person saw (the purpose's current wording unless
    told); giving the same again keeps the one in force. A partner consent also gives the
    partner its identifier for the person (PartnerPerson)."""
    wording = wording or consents.CURRENT[purpose]
    with transaction.atomic():
        Supporter.objects.select_for_update().filter(pk=supporter.pk).first()
        if organisation is not None:
            PartnerPerson.objects.get_or_create(organisation=organisation, supporter=supporter)
        active = supporter.consents.active().filter(
            purpose=purpose, organisation=organisation, wording=wording
        )
        if existing := active.first():
            return existing
        return Consent.objects.create(
            supporter=supporter,
            purpose=purpose,
            organisation=organisation,
            wording=wording,
            source=source,
        )


def withdraw_consents(supporter: Supporter, consent_ids=None, purpose: str | None = None) -> int:
    active = supporter.consents.active()
    if consent_ids is not None:
        active = active.filter(pk__in=consent_ids)
    if purpose is not None:
        active = active.filter(purpose=purpose)
    return active.update(withdrawn_at=timezone.now())


def describe(supporter: Supporter) -> dict:
    """Everything held about the supporter, as plain values (for the page and the download)."""
    return {
        "supporter": {
            "email": supporter.email,
            "name": supporter.name,
            "country": str(supporter.country.code or ""),
            "language": supporter.language,
            "came_from": supporter.source,
            "created": supporter.created_at.isoformat(),
        },
        "consents": [
            {
                "purpose": consent.purpose,
                "partner": consent.organisation.name if consent.organisation else None,
                "wording": consents.wording(consent.wording, consent.organisation),
                "given_on": consent.source,
                "given": consent.given_at.isoformat(),
                "withdrawn": consent.withdrawn_at.isoformat() if consent.withdrawn_at else None,
            }
            for consent in supporter.consents.select_related("organisation")
        ],
        **{provider.name: provider.describe(supporter) for provider in registry.providers()},
    }


def erase(supporter: Supporter) -> None:
    """Erase the person: their actions are anonymised (counts stay right), the record goes."""
    with transaction.atomic():
        for provider in registry.providers():
            provider.anonymise(supporter)
        waiting = [link.pk for link in LinkRequest.objects.all() if link.is_for(supporter.email)]
        LinkRequest.objects.filter(pk__in=waiting).delete()
        supporter.delete()


def request_my_data_link(email: str, language: str) -> None:
    """Queue a "my data" link for `email`. The worker looks the address up and writes only if
    we hold it; the request does the same work either way, so neither the answer nor its
    timing tells whether an address is in the database."""
    from tadamun.core import outbox
    from tadamun.supporters.outbox import LANE, MY_DATA_LINK

    with transaction.atomic():
        link_request = LinkRequest.objects.create(email=email, language=language)
        outbox.put(MY_DATA_LINK, link_request.pk, lane=LANE)
