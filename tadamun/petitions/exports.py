from django.utils.translation import gettext as _

from tadamun.core.audit import record_export
from tadamun.core.csv import streaming_csv
from tadamun.petitions.access import exportable_signatures

CHUNK = 2000


def signatures_csv(user, petition):
    """Every exportable signature of `petition` as a streamed CSV, one row at a time."""
    header = [
        _("Name"),
        _("Email address"),
        _("Country"),
        _("Status"),
        _("Comment"),
        _("Came from"),
        _("Signed"),
        _("Confirmed"),
    ]
    rows = (
        exportable_signatures(user, petition)
        .order_by("pk")
        .values_list(
            "name",  # the name given on this petition, not the record's
            "supporter__email",
            "country",
            "status",
            "comment",
            "source",
            "created_at",
            "confirmed_at",
        )
        .iterator(chunk_size=CHUNK)
    )
    record_export(petition, "signatures CSV")
    return streaming_csv(f"signatures-{petition.slug}.csv", header, rows)
