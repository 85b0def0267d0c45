"""The petition counters: total, per country and per day of confirmation.

They change only together with a signature's status, in the same transaction, and a periodic
task (`reconcile`) recomputes them from the rows in case anything ever drifted.
"""

from django.db import transaction
from django.db.models import Count, F
from django.db.models.functions import TruncDate

from tadamun.core.counters import bump
from tadamun.petitions.models import CountryCount, DailyCount, Petition, Signature


def add(signature: Signature, delta: int) -> None:
    """Count a signature in (+1) or out (-1). Call inside the transaction that changes it."""
    Petition.objects.filter(pk=signature.petition_id).update(
        confirmed_count=F("confirmed_count") + delta
    )
    bump(CountryCount, delta, petition_id=signature.petition_id, country=signature.country)
    bump(DailyCount, delta, petition_id=signature.petition_id, day=signature.confirmed_at.date())


def reconcile(petition: Petition) -> bool:
    """Recompute every counter of `petition` from its confirmed signatures.

    Returns True when something had drifted (and was corrected).
    """
    with transaction.atomic():
        Petition.objects.select_for_update().filter(pk=petition.pk).first()
        confirmed = Signature.objects.confirmed().filter(petition=petition)
        total = confirmed.count()
        by_country = dict(confirmed.values_list("country").annotate(n=Count("pk")).order_by())
        by_day = dict(
            confirmed.annotate(day=TruncDate("confirmed_at"))
            .values_list("day")
            .annotate(n=Count("pk"))
            .order_by()
        )
        stored_total = Petition.objects.filter(pk=petition.pk).values_list(
            "confirmed_count", flat=True
        )[0]
        stored_countries = dict(
            CountryCount.objects.filter(petition=petition, count__gt=0).values_list(
                "country", "count"
            )
        )
        stored_days = dict(
            DailyCount.objects.filter(petition=petition, count__gt=0).values_list("day", "count")
        )
        drifted = (stored_total, stored_countries, stored_days) != (total, by_country, by_day)
        if drifted:
            Petition.objects.filter(pk=petition.pk).update(confirmed_count=total)
            CountryCount.objects.filter(petition=petition).delete()
            CountryCount.objects.bulk_create(
                CountryCount(petition=petition, country=c, count=n) for c, n in by_country.items()
            )
            DailyCount.objects.filter(petition=petition).delete()
            DailyCount.objects.bulk_create(
                DailyCount(petition=petition, day=d, count=n) for d, n in by_day.items()
            )
        return drifted
