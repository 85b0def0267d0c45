"""Where a petition's signatures came from in the last hour, to spot a flood."""

from datetime import timedelta

from django.db.models import Count
from django.utils import timezone

from tadamun.petitions.models import Signature

WINDOW = timedelta(hours=1)
TOP = 10


def busiest_sources(petition):
    recent = Signature.objects.filter(
        petition=petition, created_at__gte=timezone.now() - WINDOW
    ).exclude(status=Signature.Status.INVALIDATED)

    def top(field):
        return list(
            recent.exclude(**{field: ""})
            .values_list(field)
            .annotate(n=Count("pk"))
            .order_by("-n")[:TOP]
        )

    return {"networks": top("ip_hash"), "domains": top("email_domain"), "total": recent.count()}


def signatures_from(petition, *, network: str = "", domain: str = ""):
    """The signatures to invalidate for one source: a network (its daily hash) or an email
    domain within the last hour."""
    signatures = Signature.objects.filter(petition=petition)
    if network:
        return signatures.filter(ip_hash=network)
    return signatures.filter(email_domain=domain, created_at__gte=timezone.now() - WINDOW)
