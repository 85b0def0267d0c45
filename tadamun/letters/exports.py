"""Letters of a campaign counted per official, as a CSV: how many each official received,
by delivery status (counts only: no writer, no letter text); and the writers' answers to the
campaign's custom questions."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from tadamun.core.audit import record_export
from tadamun.core.csv import streaming_csv
from tadamun.letters.models import Delivery, Letter, Target
from tadamun.questions import queries as custom
from tadamun.supporters.exports import CHUNK, exportable


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


def answers_csv(user, campaign):
    """The answers writers gave to the campaign's custom questions, one row per letter the
    platform sends (a mailto: letter keeps no one), for those the staff member may export
    (supporters.exports decides)."""
    questions = list(campaign.questions.in_order())
    header = [_("Name"), _("Email address"), _("Country"), _("Status"), _("Language")]
    header += [_("Written"), _("Confirmed"), *custom.header(questions)]
    written = Letter.objects.filter(campaign=campaign, supporter__isnull=False)
    rows = (
        (
            letter.pk,
            letter.name,  # the name given with this letter, not the record's
            letter.supporter.email,
            letter.country.code,
            letter.get_status_display(),
            letter.language,
            letter.created_at,
            letter.confirmed_at,
        )
        for letter in exportable(user, written)
        .select_related("supporter")
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    )
    record_export(campaign, "letter answers CSV")
    return streaming_csv(
        f"letters-{campaign.slug}-answers.csv",
        header,
        custom.with_answers(rows, questions, "letter"),
    )
