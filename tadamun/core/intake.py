"""The sealed intake: every form that emails a typed address is accepted while the vault is
locked, sealed to its public key (tadamun/vault/sealing.py), and recorded after unlock.

A form's service (the function its view calls, which records the submission and promises a
confirmation link through core.outbox) joins with one decorator, `@sealed_when_locked(email=)`,
and its view calls it through `submit(service, *args, **kwargs)`:

- unlocked, `submit` calls the service at once, as before: the same fast path, the same rows,
  the link on its way within the request's transaction;
- locked (vault.Locked raised anywhere in it: its transaction rolls back, nothing is half
  written), `submit` keeps the call's arguments in one `SealedSubmission` row, sealed, and
  the person sees the usual "check your email" page;
- after unlock a worker (`record_sealed`) opens the rows in submission order and calls the
  same service with the same arguments, a batch of rows per transaction and each row in a
  savepoint with its deletion (core.intake_worker, the path the petition intake takes too):
  a killed worker rolls back and the next records it; two workers never record one row; a
  row that fails rolls back alone and counts an attempt.

The arguments are kept as typed JSON: text, numbers, dates and times, files (an uploaded
logo), the project's dataclasses, and model instances by their primary key (read again on
unlock: a row whose object is gone by then is dropped, there is nothing left to record it
on). The petition intake (petitions.SignatureIntake) keeps its own rows, drained by the same
worker path with a bulk recording of its own; the "your data" request
(supporters.LinkRequest) holds only an address and goes straight to the outbox.
"""

import base64
import dataclasses
import json
import logging
from datetime import date, datetime, time
from decimal import Decimal
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Model
from django_tasks import task

from tadamun import vault
from tadamun.core import intake_worker
from tadamun.core.models import SealedSubmission
from tadamun.vault.holder import Destroyed

logger = logging.getLogger(__name__)

KICK_KEY = "core:sealed-intake-kick"


def sealed_when_locked(*, email, still_open=None):
    """Mark a service as one a form may `submit` while the vault is locked. `email(*args,
    **kwargs)` is the address the submission will mail (for erasure while it waits);
    `still_open(*args, **kwargs)`, the rule its form checks before calling it (an event
    taking RSVPs, an open letter campaign), checked again when a sealed submission is
    recorded after unlock: one for what closed meanwhile is dropped, not recorded."""

    def mark(service):
        service.sealed_email = email
        service.still_open = still_open or (lambda *args, **kwargs: True)
        return service

    return mark


def kind_of(service) -> str:
    if not hasattr(service, "sealed_email"):
        raise TypeError(f"{service.__qualname__} is not marked @sealed_when_locked")
    return f"{service.__module__}.{service.__qualname__}"


def submit(service, *args, **kwargs):
    """`service(*args, **kwargs)` now; while the vault is locked, sealed for after unlock
    (then None). The keys destroyed: vault.Destroyed, as before (nothing would open it)."""
    kind = kind_of(service)
    try:
        with transaction.atomic():
            return service(*args, **kwargs)
    except Destroyed:
        raise
    except vault.Locked:
        accept(kind, service.sealed_email(*args, **kwargs), args, kwargs)
        return None


def accept(kind: str, email: str, args: tuple, kwargs: dict) -> SealedSubmission:
    payload = {"email": email, "args": encode(list(args)), "kwargs": encode(kwargs)}
    submission = SealedSubmission.objects.create(kind=kind, sealed=json.dumps(payload))
    transaction.on_commit(_wake_worker, robust=True)  # it waits out the lock (db_worker)
    return submission


def _wake_worker() -> None:
    if cache.add(KICK_KEY, 1, settings.INTAKE_KICK_SECONDS):
        record_sealed.enqueue()


# Typed JSON: each value not plain JSON is a one-key object naming its type.


def encode(value):
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Model):
        return {"model": [value._meta.label, value.pk]}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        kind = type(value)
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"dataclass": [f"{kind.__module__}:{kind.__qualname__}", fields]}
    if isinstance(value, File):
        value.seek(0)
        return {"file": [value.name, base64.b64encode(value.read()).decode("ascii")]}
    for name, kind in TYPES.items():
        if isinstance(value, kind):
            return {name: value.isoformat() if hasattr(value, "isoformat") else str(value)}
    if isinstance(value, tuple):
        return {"tuple": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {"dict": {str(key): encode(item) for key, item in value.items()}}
    if hasattr(value, "code"):  # a django-countries Country
        return value.code
    raise TypeError(f"cannot seal a {type(value).__name__}")


TYPES = {"datetime": datetime, "date": date, "time": time, "decimal": Decimal}  # datetime first


class Gone(Exception):
    """An object the submission names no longer exists."""


def decode(value):
    if isinstance(value, list):
        return [decode(item) for item in value]
    if not isinstance(value, dict):
        return value
    ((name, data),) = value.items()
    if name == "model":
        label, pk = data
        try:
            return apps.get_model(label)._default_manager.get(pk=pk)
        except (LookupError, ObjectDoesNotExist):
            raise Gone(label) from None
    if name == "dataclass":
        return _dataclass(data[0])(**{key: decode(item) for key, item in data[1].items()})
    if name == "file":
        return ContentFile(base64.b64decode(data[1]), name=data[0])
    if name == "tuple":
        return tuple(decode(item) for item in data)
    if name == "dict":
        return {key: decode(item) for key, item in data.items()}
    if name == "decimal":
        return Decimal(data)
    return TYPES[name].fromisoformat(data)


def _dataclass(path: str) -> type:
    """The project's dataclass `module:Qualname`, nothing else (the public key seals for
    anyone: a sealed row names no arbitrary code)."""
    module, _, name = path.partition(":")
    found = getattr(import_module(module), name, None) if module.startswith("tadamun.") else None
    if not (isinstance(found, type) and dataclasses.is_dataclass(found)):
        raise TypeError(f"not a dataclass of the project: {path}")
    return found


def _service(kind: str):
    module, _, name = kind.rpartition(".")
    found = getattr(import_module(module), name, None) if module.startswith("tadamun.") else None
    if not hasattr(found, "sealed_email"):
        raise TypeError(f"not a sealed-intake service: {kind}")
    return found


def opened(submission: SealedSubmission) -> dict:
    return json.loads(submission.sealed)


def _open(submission: SealedSubmission, _shared: dict) -> tuple[int, object, dict]:
    """(row id, its service, its arguments still typed JSON): decoded when recorded, in the
    transaction, so the objects it names are read as they are then."""
    return submission.pk, _service(submission.kind), opened(submission)


def _record(call: tuple[int, object, dict]) -> bool:
    """Call the service with the submission's arguments; False when what it was for is
    gone or closed meanwhile (the submission is dropped, not recorded)."""
    pk, service, payload = call
    try:
        args, kwargs = decode(payload["args"]), decode(payload["kwargs"])
    except Gone as gone:
        logger.warning("sealed %s dropped: its %s is gone", pk, gone)
        return False
    if not service.still_open(*args, **kwargs):
        logger.warning("sealed %s dropped: what it was for closed meanwhile", pk)
        return False
    service(*args, **kwargs)
    return True


SEALED = intake_worker.Intake(
    name="sealed",
    model=SealedSubmission,
    open_row=_open,
    record_one=_record,
    kick_key=KICK_KEY,
    kind_field="kind",
)


@task()
def record_sealed() -> int:
    """Record every waiting submission, oldest first and a batch at a time, each by its own
    service (core.intake_worker); returns how many."""
    return intake_worker.drain(SEALED, helper=record_sealed)


def waiting_for(email_hash: str) -> list[SealedSubmission]:
    """The waiting submissions that will mail the address of `email_hash`."""
    from tadamun.core.privacy import email_hash as hashed

    rows = SealedSubmission.objects.all()
    return [row for row in rows if hashed(opened(row)["email"]) == email_hash]


def backlog_state() -> dict:
    """For /healthz and the dashboard: submissions waiting, the age of the oldest, and those
    that failed for good (core.intake_worker.backlog_state)."""
    return intake_worker.backlog_state(SEALED)
