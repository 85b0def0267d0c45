"""Background work for events: emails to organisers. Tasks take ids."""

from django.urls import reverse
from django.utils import translation
from django_tasks import task

from tadamun.core.mail import send_templated_mail
from tadamun.core.tasks import retry_mail_on_failure
from tadamun.events.models import Event


def _event(event_id: int, *statuses):
    return (
        Event.objects.select_related("day", "organiser")
        .filter(pk=event_id, status__in=statuses, organiser__isnull=False)
        .first()
    )


@task()
def send_event_confirmation(event_id: int, attempt: int = 0) -> None:
    from tadamun.events.services import confirmation_token

    if (event := _event(event_id, Event.Status.UNCONFIRMED)) is None:
        return
    with translation.override(event.language):
        path = reverse("events:confirm", args=[confirmation_token(event)])
    with retry_mail_on_failure(send_event_confirmation, event_id, attempt=attempt):
        send_templated_mail(
            "events/email/confirm",
            {"event": event, "path": path},
            to=event.organiser.email,
            language=event.language,
        )


@task()
def send_moderation_result(event_id: int, attempt: int = 0) -> None:
    if (event := _event(event_id, Event.Status.APPROVED, Event.Status.REJECTED)) is None:
        return
    name = "approved" if event.status == Event.Status.APPROVED else "rejected"
    with translation.override(event.language):
        path = event.get_absolute_url()
    with retry_mail_on_failure(send_moderation_result, event_id, attempt=attempt):
        send_templated_mail(
            f"events/email/{name}",
            {"event": event, "path": path},
            to=event.organiser.email,
            language=event.language,
        )
