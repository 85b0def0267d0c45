"""A letter campaign's public counts: letters per writer's country (their sum is the total)
and deliveries per official as the letters named them.

They change only together with what they count, in the same transaction (a letter handed over
or confirmed, a delivery that failed, was renamed on sending or went with an erasure), and a
periodic task (`reconcile`) recomputes them from the rows in case anything ever drifted. The
page reads them, so its cost is the same with ten letters or a million.
"""

from collections import Counter
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Sum

from tadamun.core.counters import bump
from tadamun.core.prepared import PreparedRead
from tadamun.letters.models import (
    CountryLetterCount,
    Delivery,
    Letter,
    LetterCampaign,
    OfficialLetterCount,
)

COUNTED_LETTERS = {Letter.Status.CONFIRMED, Letter.Status.HANDED_OVER}


def add_letter(letter: Letter, delta: int = 1) -> None:
    """Count a letter in (+1) or out (-1). Call inside the transaction that changes it."""
    bump(CountryLetterCount, delta, campaign_id=letter.campaign_id, country=letter.country)


def _official(delivery) -> tuple:
    return (delivery.campaign_id, delivery.target_id, delivery.target_name, delivery.target_title)


def add_deliveries(deliveries: Iterable[Delivery], delta: int = 1) -> None:
    """Count deliveries in (+1) or out (-1), grouped by official as named."""
    for (campaign_id, target_id, name, title), n in Counter(map(_official, deliveries)).items():
        bump(
            OfficialLetterCount,
            delta * n,
            campaign_id=campaign_id,
            target_id=target_id,
            target_name=name,
            target_title=title,
        )


def counted(deliveries) -> list[Delivery]:
    """The deliveries of a queryset that the counts hold, read before they change."""
    return list(deliveries.counted().only("campaign", "target", "target_name", "target_title"))


_total = PreparedRead(
    lambda campaign: (
        CountryLetterCount.objects.filter(campaign_id=campaign)
        .values("campaign_id")
        .annotate(n=Sum("count"))
        .values_list("n")
    ),
    int,
)


def letter_count(campaign: LetterCampaign) -> int:
    """The sum of the letters per country (one query, its SQL built once: core/prepared.py)."""
    return sum(n for (n,) in _total(campaign.pk))


def _from_rows(campaign: LetterCampaign) -> tuple[dict, dict]:
    letters = Letter.objects.filter(campaign=campaign, status__in=COUNTED_LETTERS)
    by_country = dict(letters.values_list("country").annotate(n=Count("pk")).order_by())
    by_official = {
        tuple(row[:3]): row[3]
        for row in Delivery.objects.filter(campaign=campaign)
        .counted()
        .values_list("target", "target_name", "target_title")
        .annotate(n=Count("pk"))
        .values_list("target", "target_name", "target_title", "n")
        .order_by()
    }
    return by_country, by_official


def _stored(campaign: LetterCampaign) -> tuple[dict, dict]:
    by_country = dict(
        CountryLetterCount.objects.filter(campaign=campaign, count__gt=0).values_list(
            "country", "count"
        )
    )
    by_official = {
        tuple(row[:3]): row[3]
        for row in OfficialLetterCount.objects.filter(campaign=campaign, count__gt=0).values_list(
            "target", "target_name", "target_title", "count"
        )
    }
    return by_country, by_official


def reconcile(campaign: LetterCampaign) -> bool:
    """Recompute every counter of `campaign` from its letters and deliveries.

    Returns True when something had drifted (and was corrected).
    """
    with transaction.atomic():
        LetterCampaign.objects.select_for_update().filter(pk=campaign.pk).first()
        by_country, by_official = _from_rows(campaign)
        drifted = _stored(campaign) != (by_country, by_official)
        if drifted:
            CountryLetterCount.objects.filter(campaign=campaign).delete()
            CountryLetterCount.objects.bulk_create(
                CountryLetterCount(campaign=campaign, country=c, count=n)
                for c, n in by_country.items()
            )
            OfficialLetterCount.objects.filter(campaign=campaign).delete()
            OfficialLetterCount.objects.bulk_create(
                OfficialLetterCount(
                    campaign=campaign, target_id=t, target_name=name, target_title=title, count=n
                )
                for (t, name, title), n in by_official.items()
            )
        return drifted
