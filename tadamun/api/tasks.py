"""Background work for the API: webhook deliveries, retried with back-off."""

from django.utils import timezone
from django_tasks import task


@task()
def deliver_webhook(delivery_id: int) -> bool:
    from tadamun.api import webhooks
    from tadamun.api.models import WebhookDelivery

    delivery = (
        WebhookDelivery.objects.select_related("endpoint")
        .filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING)
        .first()
    )
    if delivery is None:
        return False
    if webhooks.deliver(delivery):
        return True
    delivery.refresh_from_db()
    if delivery.status == WebhookDelivery.Status.PENDING:
        later = deliver_webhook
        if later.get_backend().supports_defer:
            later = later.using(run_after=timezone.now() + webhooks.retry_delay(delivery.attempts))
        later.enqueue(delivery_id)
    return False
