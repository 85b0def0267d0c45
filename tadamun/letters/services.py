"""Every write to letters: the views, admin, demo loader and tasks call these."""

import copy
from dataclasses import dataclass, field
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_countries.fields import Country

from tadamun.core import imports, outbox
from tadamun.core.intake import sealed_when_locked
from tadamun.core.prepared import PreparedRead
from tadamun.core.records import create_or_replace_pending
from tadamun.core.tasks import enqueue_on_commit
from tadamun.letters import counters
from tadamun.letters import outbox as letters_outbox
from tadamun.letters.models import (
    CountryLetterCount,
    Delivery,
    Letter,
    LetterCampaign,
    OfficialLetterCount,
    Target,
    TargetImport,
)
from tadamun.letters.queries import targets_for
from tadamun.letters.tasks import deliver_letters, send_letter_mail
from tadamun.questions import services as questions
from tadamun.supporters import consents
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent


@dataclass(frozen=True)
class LetterRequest:
    """What a writer submitted."""

    name: str
    country: str
    subject: str
    text: str
    city: str = ""
    email: str = ""
    wants_updates: bool = False
    hears_from_owner: bool = False
    language: str = settings.LANGUAGE_CODE
    # To the campaign's custom questions, by id: kept with a letter the platform sends, not
    # with one handed to the writer's mail program (that keeps no one).
    answers: dict[str, str] = field(default_factory=dict)


_countries_with_targets = PreparedRead(
    lambda group: (
        Target.objects.filter(groups=group, active=True).values_list("country").distinct()
    ),
    int,
)


def countries_with_targets(campaign: LetterCampaign) -> set[str]:
    return {country for (country,) in _countries_with_targets(campaign.group_id)}


def mailto_link(target: Target, subject: str, text: str) -> str:
    """A `mailto:` link (RFC 6068) opening the writer's email program with the letter."""
    body = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{quote(target.email, safe='@')}?subject={quote(subject)}&body={quote(body)}"


def hand_over(campaign: LetterCampaign, request: LetterRequest) -> Letter:
    """Count a letter its writer sends from their own email program. Nothing about the
    writer is kept: not their name, address, city or words, only country and language."""
    with transaction.atomic():
        letter = Letter.objects.create(
            campaign=campaign,
            status=Letter.Status.HANDED_OVER,
            country=request.country,
            language=request.language,
        )
        deliveries = Delivery.objects.bulk_create(
            target.delivery(
                letter=letter,
                campaign=campaign,
                country=request.country,
                status=Delivery.Status.HANDED_OVER,
            )
            for target in targets_for(campaign, request.country)
        )
        counters.add_letter(letter)
        counters.add_deliveries(deliveries)
    return letter


@sealed_when_locked(
    email=lambda campaign, request: request.email,
    still_open=lambda campaign, request: campaign.is_open(),
)
def write(campaign: LetterCampaign, request: LetterRequest) -> Letter:
    """Keep a letter for the platform to send and email its writer a confirmation link.

    Nothing is sent before the owner of the address confirms: anyone can type anyone's
    address. Writing again before confirming replaces the letter and sends a new link (older
    links stop working); once confirmed, the letter is what was sent and stays so.
    """
    submitted = {
        "name": request.name,
        "country": request.country,
        "city": request.city,
        "subject": request.subject,
        "text": request.text,
        "wants_updates": request.wants_updates,
        "hears_from_owner": request.hears_from_owner and campaign.organisation_id is not None,
        "language": request.language,
    }
    with transaction.atomic():
        supporter = supporters.find_or_create_supporter(request.email, language=request.language)
        letter = create_or_replace_pending(
            Letter,
            {"campaign": campaign, "supporter": supporter},
            {**submitted, "status": Letter.Status.UNCONFIRMED},
            is_pending=lambda letter: letter.status == Letter.Status.UNCONFIRMED,
        )
        if letter.status == Letter.Status.UNCONFIRMED:
            questions.record(letter, request.answers)
            outbox.put(letters_outbox.LETTER, letter.pk, lane=letters_outbox.lane(campaign.pk))
    return letter


def confirm(letter: Letter) -> Letter:
    """The writer confirmed their address: the letter goes to each official with an email
    address, queued; the writer gets a copy. Confirming twice sends once."""
    with transaction.atomic():
        changed = Letter.objects.filter(pk=letter.pk, status=Letter.Status.UNCONFIRMED).update(
            status=Letter.Status.CONFIRMED, confirmed_at=timezone.now()
        )
        letter.refresh_from_db()
        if not changed:
            return letter
        deliveries = Delivery.objects.bulk_create(
            target.delivery(letter=letter, campaign=letter.campaign, country=letter.country)
            for target in targets_for(letter.campaign, letter.country.code).exclude(email="")
        )
        counters.add_letter(letter)
        counters.add_deliveries(deliveries)
        supporter = letter.supporter
        assert supporter is not None, "only an erasure unlinks a letter, and no unconfirmed one"
        supporter.name = supporter.name or letter.name
        supporter.country = supporter.country or letter.country
        supporter.save(update_fields=["name", "country", "email_hash", "updated_at"])
        if letter.wants_updates:
            supporters.give_consent(
                supporter, Consent.Purpose.UPDATES, source=f"letter:{letter.campaign.slug}"
            )
        if letter.hears_from_owner and letter.campaign.organisation_id:
            supporters.give_consent(
                supporter,
                Consent.Purpose.PARTNER,
                organisation=letter.campaign.organisation,
                source=f"letter:{letter.campaign.slug}",
                wording=consents.OWNER,
            )
        enqueue_on_commit(send_letter_mail, letter.pk, "copy")
        transaction.on_commit(deliver_letters.enqueue)
    return letter


# The campaign page's counts, their SQL built once per process (core/prepared.py).
_by_official = PreparedRead(
    lambda campaign: OfficialLetterCount.objects.filter(
        campaign_id=campaign, count__gt=0
    ).values_list("target", "target_name", "target_title", "count"),
    int,
)
_by_country = PreparedRead(
    lambda campaign: (
        CountryLetterCount.objects.filter(campaign_id=campaign, count__gt=0)
        .values_list("country", "count")
        .order_by("-count", "country")
    ),
    int,
)


def letter_count(campaign: LetterCampaign) -> int:
    """Every letter but an unconfirmed one, from the stored counters (letters.counters)."""
    return counters.letter_count(campaign)


def counts_by_target(campaign: LetterCampaign) -> list[tuple[Target, int]]:
    """Letters by official, each named as the letters addressed them: an official renamed
    since (a new minister under the same reference) counts apart from their predecessor."""
    rows = _by_official(campaign.pk)
    targets = Target.objects.in_bulk({row[0] for row in rows})
    counted = []
    for pk, name, title, count in rows:
        as_sent = copy.copy(targets[pk])
        as_sent.name, as_sent.role = name, title
        counted.append((as_sent, count))
    return sorted(counted, key=lambda pair: (-pair[1], pair[0].name))


def counts_by_country(campaign: LetterCampaign) -> list[tuple[Country, int]]:
    """(country, letters) with the most letters first; the country is django-countries'."""
    return [(Country(code), count) for code, count in _by_country(campaign.pk)]


def confirm_import(target_import: TargetImport, user) -> bool:
    """An admin confirms the preview of an import of officials: a worker then saves it.
    False when it was not waiting for confirmation (confirmed already, say)."""
    with transaction.atomic():
        if not imports.confirm(target_import):
            return False
        TargetImport.objects.filter(pk=target_import.pk).update(
            confirmed_at=timezone.now(), confirmed_by=user
        )
    return True
