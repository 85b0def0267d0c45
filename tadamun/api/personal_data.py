"""What the API app holds about a supporter, for "my data" and erasure: the webhook
deliveries that told a partner (or the coalition's own endpoint) of their actions."""

from django.utils.translation import gettext_lazy as _

from tadamun.api.models import WebhookDelivery, WebhookEndpoint
from tadamun.supporters import registry

EVENTS = dict(WebhookEndpoint.Event.choices)
LABELS = {"partner": _("Partner"), "event": _("Event"), "status": _("Status"), "sent": _("Sent on")}


def describe(supporter) -> list[dict]:
    return [
        {
            "partner": str(delivery.endpoint.organisation or _("The coalition")),
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


DECLARATION = registry.Declaration(
    models=[
        registry.PersonalDataModel(
            "api.WebhookDelivery", audited=False, never_by_hand=("add", "change")
        ),
        # A partner's or the coalition's token: made and revoked, never edited.
        registry.PersonalDataModel(
            "api.ApiToken",
            about_supporters=False,
            audit_skips=("last_used_at",),
            never_by_hand=("change",),
        ),
    ],
    providers=[
        registry.PersonalDataProvider(
            "partner_deliveries",
            title=_("Partners told of your actions"),
            labels=LABELS,
            describe=describe,
            anonymise=anonymise,
            statuses=WebhookDelivery.Status,
        )
    ],
)
