"""Letters of a campaign counted per official, as a CSV: how many each official received,
by delivery status. Counts only: no writer, no letter text."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from tadamun.core.audit import record_export
from tadamun.core.csv import streaming_csv
from tadamun.letters.models import Delivery, Target


def officials_csv(campaign):
    statuses = Delivery.Status.choices
    header = [_("Official"), _("Title"), _("Institution"), _("Country")]
    header += [str(label) for _value, label in statuses]
    this_campaign = Q(deliveries__campaign=campaign)
    counts = {
        value: Count("deliveries", filter=this_campaign & Q(deliveries__status=value))
        for value, _label in statuses
    }
    officials = (
        Target.objects.filter(pk__in=Delivery.objects.filter(campaign=campaign).values("target"))
        .annotate(**{f"n_{value}": count for value, count in counts.items()})
        .order_by("name")
    )
    rows = (
        [official.name, official.role, official.institution, official.country.code]
        + [getattr(official, f"n_{value}") for value, _label in statuses]
        for official in officials
    )
    record_export(campaign, "letters per official CSV")
    return streaming_csv(f"letters-{campaign.slug}.csv", header, rows)
