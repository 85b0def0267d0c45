"""Webhooks: partners hear of signatures, attendances, endorsements and letters as they
happen, as JSON signed with HMAC-SHA256 over a timestamp and the body.

`Tadamun-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`.
A partner hears of a person's action only if that person confirmed sharing their data with
it (tadamun.supporters.partners.partners_sharing), and the coalition's own endpoints of the
actions of people who asked to hear from the coalition (partners.coalition_hears_of);
endorsements are public and go to every endpoint that asked for them. Deliveries are retried
with exponential back-off through the tasks queue and logged (WebhookDelivery).
"""

import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils import timezone

from tadamun.api.models import WebhookDelivery, WebhookEndpoint
from tadamun.core import outgoing
from tadamun.core.tasks import enqueue_on_commit
from tadamun.supporters.models import Supporter
from tadamun.supporters.partners import answers_go_to

MAX_ATTEMPTS = 8


def signature_header(secret: str, body: bytes, at: int | None = None) -> str:
    at = int(at if at is not None else time.time())
    digest = hmac.new(secret.encode(), f"{at}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


@dataclass(frozen=True)
class Person:
    """Who an action was by, as they gave themselves for that action (the name they typed
    on that form, not the one their supporter record holds from elsewhere)."""

    supporter: Supporter
    name: str
    # Their answers to the action's custom questions (question key: answer), as OSDI's
    # `custom_fields`: a phone number or a postal code is theirs, so it goes with them, and
    # only to whom they may go (supporters.partners.answers_go_to).
    custom_fields: dict[str, str] = field(default_factory=dict)
    action: object = None  # the petition, event or letter campaign answered

    def as_json(self, organisation_id: int | None = None) -> str:
        """As sent to an endpoint of this organisation (None: the coalition's)."""
        country = self.supporter.country.code
        answered = self.action is not None and answers_go_to(
            organisation_id, self.action, self.supporter
        )
        return json.dumps(
            {
                "email": self.supporter.email,
                "name": self.name,
                "country": country,
                "custom_fields": self.custom_fields if answered else {},
            }
        )


def notify(
    event: str,
    organisation_ids,
    payload: dict,
    *,
    person: Person | None = None,
    coalition: bool = False,
) -> int:
    """Queue `payload` (and `person`, kept apart so erasure can find and forget it) for every
    active endpoint of these organisations (and with `coalition`, of the coalition's own) that
    asked for `event` (every endpoint when `organisation_ids` is None); returns how many."""
    from tadamun.api.tasks import deliver_webhook

    endpoints = WebhookEndpoint.objects.filter(active=True)
    if organisation_ids is not None:
        own = Q(organisation__isnull=True) if coalition else Q(pk__in=[])
        endpoints = endpoints.filter(Q(organisation__in=organisation_ids) | own)
    queued = 0
    for endpoint in endpoints:
        if event in endpoint.events:
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint,
                event=event,
                payload=payload,
                person=person.as_json(endpoint.organisation_id) if person else "",
                supporter=person.supporter if person else None,
            )
            enqueue_on_commit(deliver_webhook, delivery.pk)
            queued += 1
    return queued


def deliver(delivery: WebhookDelivery) -> bool:
    """POST one delivery; True when the endpoint answered 2xx."""
    body = json.dumps(
        {"event": delivery.event, "id": delivery.pk, "data": delivery.data},
        cls=DjangoJSONEncoder,
    ).encode()
    code, error, refused = None, "", False
    try:
        code = outgoing.post(
            delivery.endpoint.url,
            body,
            {
                "Content-Type": "application/json",
                "User-Agent": "Tadamun-Webhooks",
                "Tadamun-Event": delivery.event,
                "Tadamun-Delivery": str(delivery.pk),
                "Tadamun-Signature": signature_header(delivery.endpoint.secret, body),
            },
        ).status
    except outgoing.OutgoingError as failure:
        code, error = failure.status, failure.reason
        refused = isinstance(failure, outgoing.OutgoingRefused)
    ok = code is not None and 200 <= code < 300 and not error
    attempts = delivery.attempts + 1
    status = (
        WebhookDelivery.Status.DELIVERED
        if ok
        else WebhookDelivery.Status.FAILED
        if refused or attempts >= MAX_ATTEMPTS
        else WebhookDelivery.Status.PENDING
    )
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=status,
        attempts=attempts,
        last_status_code=code,
        last_error=error,
        delivered_at=timezone.now() if ok else None,
    )
    return ok


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, 4 min... doubling after each failed attempt."""
    return timedelta(seconds=30 * 2 ** max(0, attempts - 1))
