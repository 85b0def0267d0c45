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
        delivery.forget_person()  # the partner has it now: the site keeps no copy
        return True
    delivery.refresh_from_db()
    if delivery.status != WebhookDelivery.Status.PENDING:
        delivery.forget_person()  # given up: it will never be sent
        return False
    later = deliver_webhook
    if later.get_backend().supports_defer:
        later = later.using(run_after=timezone.now() + webhooks.retry_delay(delivery.attempts))
    later.enqueue(delivery_id)
    return False
