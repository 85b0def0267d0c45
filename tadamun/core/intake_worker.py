"""One worker path for every sealed intake: the rows a form kept, sealed to the vault's public
key (vault/sealing.py), for a worker to record afterwards. Two intakes use it: core.intake's
`SealedSubmission` (RSVPs, letters, endorsements, event proposals sent while the vault was
locked) and petitions.intake's `SignatureIntake` (every signature, so the sign form writes
one row under a rush). Each is an `Intake`: its table and how one of its rows is recorded.

`drain(intake)` takes the waiting rows a batch at a time (BATCH, oldest first):

1. each row is read and unsealed *before* the write transaction (SQLite's one write lock is
   then held only to write), and on its own: a row that does not open (sealed to another
   key, not what its intake expects) counts an attempt and the others go on;
2. one transaction claims the rows no other worker holds (PostgreSQL: `FOR UPDATE SKIP
   LOCKED`; SQLite: the transaction takes the one write lock at BEGIN, settings'
   IMMEDIATE, so it sees what another worker committed) and records them: with the
   intake's bulk recording when it has one; else, or when the bulk recording fails, each
   row in a savepoint of its own, deleted with what it records, so a row that fails rolls
   back alone, counts an attempt and does not poison the batch;
3. the outbox is drained one batch per intake batch: the first links go out while the rest
   of a rush is still being recorded, and what is left once the intake is empty.

A killed worker rolls its batch back: the rows wait for the next. The vault locked midway
(vault.Locked) rolls the batch back too and stops the worker, which waits for the keys;
nothing counts as an attempt then; nor when the database is busy or cut (OperationalError:
the row is not at fault, the batch is tried again). A row that failed MAX_ATTEMPTS times
is kept (nothing is lost) but no longer tried: /healthz and the staff dashboard count it as
failed, needing a person, apart from what waits; `manage.py intake_failed` lists such rows
and `--retry` gives them their attempts back.

The "your data" request (supporters.LinkRequest) is not an intake: its form writes the
request and its outbox message in one transaction, and nothing is left to record
afterwards (the outbox's loader opens the address when it sends the link), so the outbox,
with a lane of its own, is already its one queue.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError, connection, transaction
from django.db.models import F, Model, TextField
from django.db.models.functions import Cast

from tadamun import vault
from tadamun.health import queue
from tadamun.vault.sealing import unseal

logger = logging.getLogger(__name__)

# Rows recorded per transaction: on SQLite the forms wait while one holds the write lock.
BATCH = 50
# A row that failed this often waits for a person (/healthz "failed"): not retried for ever.
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Intake:
    """A table of sealed rows (fields `sealed`, `attempts`, `created_at`) and how a row of it
    is recorded."""

    name: str  # its check in /healthz, and in the logs
    model: type[Model]
    # (row, its `sealed` opened; a dict the batch shares, to look up once what rows share)
    # -> what `record_one` takes. Raises for a row that cannot be recorded.
    open_row: Callable[[Model, dict], object]
    # Records one opened row in the caller's transaction; False: nothing left to record.
    record_one: Callable[[object], bool]
    # Records many opened rows at once; how many. None: each by `record_one`.
    record_many: Callable[[list], int] | None = None
    kick_key: str = ""  # set while a wake-up is queued: deleted once the intake is empty
    related: tuple[str, ...] = ()  # select_related when reading rows
    kind_field: str = "pk"  # what `intake_failed` names a row's kind by (no personal data)

    def waiting(self):
        return self.model.objects.filter(attempts__lt=MAX_ATTEMPTS)

    def failed(self):
        return self.model.objects.filter(attempts__gte=MAX_ATTEMPTS)


def drain(intake: Intake, *, helper=None) -> int:
    """Record every waiting row of `intake`, a batch at a time; returns how many. While the
    vault is locked nothing is opened and nothing counts as an attempt: vault.Locked makes
    the worker wait for the keys. `helper`, the task that runs this drain: while batches
    come back full, more workers are asked to join (core.fanout)."""
    from tadamun.core import fanout, outbox

    vault.keys()  # raises vault.Locked: the rows wait, sealed, for the unlock
    recorded = 0
    last_pk = 0
    waiting = intake.waiting().order_by("pk")
    while ids := list(waiting.filter(pk__gt=last_pk).values_list("pk", flat=True)[:BATCH]):
        last_pk = ids[-1]
        if helper is not None:
            fanout.ask_for_help(intake.name, helper, batch_was_full=len(ids) == BATCH)
        if done := record_batch(intake, ids):
            recorded += done
            outbox.drain(max_batches=1)  # this batch's links on their way
    if intake.kick_key:
        cache.delete(intake.kick_key)  # the next submission wakes a worker again
    if recorded:
        outbox.drain()  # the rest of the links, at once
    return recorded


def record_batch(intake: Intake, ids: list[int]) -> int:
    """Record the rows `ids` of `intake` that no other worker took; returns how many."""
    opened = _opened(intake, ids)
    if not opened:
        return 0
    if intake.record_many is not None:
        try:
            return _in_one_transaction(intake, opened, _all_at_once)
        except (vault.Locked, OperationalError):
            raise  # locked midway, or the database busy: the batch rolled back, tried again
        except Exception as error:  # noqa: BLE001 - the batch rolled back: find the row at fault
            logger.warning("%s batch failed (%s): row by row", intake.name, type(error).__name__)
    return _in_one_transaction(intake, opened, _each_in_a_savepoint)


def claim(model: type[Model], ids: list[int]) -> set[int]:
    """The rows of `ids` this transaction now holds: on PostgreSQL locked until it ends (rows
    another worker holds are skipped); on SQLite it holds the one write lock, and rows
    another worker recorded meanwhile are gone."""
    rows = model.objects.filter(pk__in=ids, attempts__lt=MAX_ATTEMPTS)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return set(rows.values_list("pk", flat=True))


def _opened(intake: Intake, ids: list[int]) -> dict[int, object]:
    """{row id: what its intake opened it to}, oldest first; a row that does not open counts
    an attempt. The column is read as stored and unsealed row by row, so that one row sealed
    to another key fails alone rather than the query."""
    rows = (
        intake.model.objects.filter(pk__in=ids)
        .select_related(*intake.related)
        .defer("sealed")
        .annotate(sealed_as_stored=Cast("sealed", TextField()))
        .order_by("pk")
    )
    shared: dict = {}
    opened = {}
    for row in rows:
        try:
            row.sealed = unseal(row.sealed_as_stored)
            opened[row.pk] = intake.open_row(row, shared)
        except vault.Locked:
            raise
        except Exception as error:  # noqa: BLE001 - one bad row must not block the rest
            _count_attempt(intake, row.pk, error)
    return opened


def _in_one_transaction(intake: Intake, opened: dict[int, object], record) -> int:
    with transaction.atomic():
        claimed = claim(intake.model, list(opened))
        mine = {pk: item for pk, item in opened.items() if pk in claimed}
        return record(intake, mine) if mine else 0


def _all_at_once(intake: Intake, claimed: dict[int, object]) -> int:
    intake.model.objects.filter(pk__in=list(claimed)).delete()
    return intake.record_many(list(claimed.values()))


def _each_in_a_savepoint(intake: Intake, claimed: dict[int, object]) -> int:
    recorded = 0
    for pk, item in claimed.items():
        try:
            with transaction.atomic():
                intake.model.objects.filter(pk=pk).delete()
                recorded += bool(intake.record_one(item))
        except (vault.Locked, OperationalError):
            raise  # locked midway, or the database busy (no fault of the row): all again
        except Exception as error:  # noqa: BLE001 - rolled back to its savepoint, alone
            _count_attempt(intake, pk, error)
    return recorded


def _count_attempt(intake: Intake, pk: int, error: Exception) -> None:
    intake.model.objects.filter(pk=pk).update(attempts=F("attempts") + 1)
    # The kind of error only: its text could quote what the person typed.
    logger.error("%s %s not recorded: %s", intake.name, pk, type(error).__name__)


def backlog_state(intake: Intake) -> dict:
    """For /healthz and the dashboard: the rows waiting (how many, the oldest's age: older
    than INTAKE_STALL_SECONDS reads "stalled", no worker records them) apart from the rows
    that failed MAX_ATTEMPTS times ("failed": a person must look; a count, nothing more)."""
    state = queue.backlog_state(intake.name, intake.waiting(), settings.INTAKE_STALL_SECONDS)
    failed = intake.failed().count()
    if failed and state[intake.name] == "ok":
        state[intake.name] = "failed"
    return {**state, f"{intake.name}_failed": failed}


def failed_rows(intake: Intake) -> list[tuple[int, str, object]]:
    """(id, kind, when submitted) of each row that failed for good, oldest first; nothing
    sealed is opened."""
    rows = intake.failed().order_by("pk")
    return list(rows.values_list("pk", intake.kind_field, "created_at"))


def retry_failed(intake: Intake) -> int:
    """Give the rows that failed for good their attempts back: the next drain tries them."""
    return intake.failed().update(attempts=0)
