"""What happened, for whoever listens (the API's webhooks): sent by the services once the
transaction that did it has committed, so a listener never sees a change rolled back."""

from django.db import transaction
from django.dispatch import Signal

signature_confirmed = Signal()  # signature=
attendance_confirmed = Signal()  # rsvp=
endorsement_approved = Signal()  # endorsement=
letter_sent = Signal()  # delivery=


def send_on_commit(signal: Signal, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=None, **kwargs))
