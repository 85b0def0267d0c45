"""What the API app holds about a supporter, for "my data" and erasure: the webhook
deliveries that told a partner of their actions."""

from django.utils.translation import gettext_lazy as _

from tadamun.api.models import WebhookDelivery, WebhookEndpoint

EVENTS = dict(WebhookEndpoint.Event.choices)
LABELS = {"partner": _("Partner"), "event": _("Event"), "status": _("Status"), "sent": _("Sent on")}


def describe(supporter) -> list[dict]:
    return [
        {
            "partner": delivery.endpoint.organisation.name,
            "event": str(EVENTS.get(delivery.event, delivery.event)),
            "status": delivery.status,
            "sent": delivery.delivered_at.isoformat() if delivery.delivered_at else None,
        }
        for delivery in supporter.webhook_deliveries.select_related("endpoint__organisation")
    ]


def anonymise(supporter) -> None:
    """Deliveries still waiting are not sent (nothing goes out about someone who left); the
    others stay in the log without the person, so the log's counts stay right."""
    deliveries = WebhookDelivery.objects.filter(supporter=supporter)
    deliveries.filter(status=WebhookDelivery.Status.PENDING).delete()
    deliveries.update(person="", supporter=None)
