"""The supporters list and page as those who read people see them: names decrypted, consents,
tags and what each person did, and every view of them in the audit trail.

The list pays per page, never per table: Django's changelist slices the queryset before it is
read, so only the page's rows are fetched and decrypted; the activity counts are subqueries the
database works out for those rows alone, and consents and tags are fetched for the page in one
query each. Only roles holding `roles.READS_PEOPLE` open these pages (the admin's view
permission); the other roles see counts on the dashboard and never a name.
"""

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce

from tadamun.core.audit import record_views
from tadamun.events.models import Event, Rsvp
from tadamun.letters.models import Letter
from tadamun.petitions.models import Signature
from tadamun.supporters.models import Consent

# What a person did, as annotation -> (model, the model's field naming the supporter).
ACTIVITY = {
    "signature_count": (Signature, "supporter"),
    "rsvp_count": (Rsvp, "supporter"),
    "letter_count": (Letter, "supporter"),
    "event_count": (Event, "organiser"),
}


def _count_of(model, field: str):
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_activity(queryset):
    """The supporters with their activity counts, active consents and tags, for a page."""
    return queryset.annotate(
        **{name: _count_of(model, field) for name, (model, field) in ACTIVITY.items()}
    ).prefetch_related(
        Prefetch("consents", queryset=Consent.objects.active().select_related("organisation")),
        "tags",
    )


def record_page(response, user) -> None:
    """Note in the audit trail each supporter a rendered list page showed."""
    changelist = (getattr(response, "context_data", None) or {}).get("cl")
    if changelist is not None:
        record_views(list(changelist.result_list), "supporters list", user)


def record_record(response, user) -> None:
    """Note in the audit trail the supporter a rendered page showed."""
    supporter = (getattr(response, "context_data", None) or {}).get("original")
    if supporter is not None:
        record_views([supporter], "supporter page", user)
