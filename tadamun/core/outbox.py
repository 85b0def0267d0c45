"""The outbox: every email with a link a form promised ("confirm your signature", "your
data"...) is a row, written in the transaction that records what it is about, and sent
exactly once, whatever dies.

- `put(kind, object_id, lane=...)` in that transaction. Each app declares its kinds in its
  `outbox.py` (`@outbox.kind("petitions.signature")` on a function that loads, for a list of
  ids, the `Mail` to send; an id left out has nothing to send any more).
- Workers `drain()`: they claim a batch (row locks skipped on PostgreSQL), shared fairly
  between lanes (a petition, an event, the "your data" links): a rush on one petition does
  not hold up the others. Each batch goes over one SMTP connection, each message in its
  own language, with the final "." held until the row is marked sent (core.smtp): a killed
  worker's claim returns to the queue after OUTBOX_CLAIM_TIMEOUT and is sent once.
- The scheduler runs `reconcile_outbox`: it gives back stale claims, forgets old sent rows
  and drains what waits, so a wake-up job lost with the queue (Redis flushed) loses nothing.
- `pending_links_state()` is what /healthz and monitors read.
"""

import functools
import logging
import secrets
import smtplib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.core.mail.message import sanitize_address
from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django_tasks import task

from tadamun import vault
from tadamun.core import fanout
from tadamun.core.confirmation import ConfirmLink
from tadamun.core.mail import templated_message
from tadamun.core.models import OutboxMessage
from tadamun.core.smtp import ClaimLost, OutcomeUnknown, Sender, is_permanent
from tadamun.core.tasks import MAIL_RETRY_DELAYS, enqueue_on_commit
from tadamun.health.models import MailFailure
from tadamun.health.queue import backlog_state

logger = logging.getLogger(__name__)

KICK_KEY = "outbox:kick"
Status = OutboxMessage.Status


@dataclass(frozen=True)
class Mail:
    """One message: `template` rendered in `language` with `context` and `paths()`, the
    paths of its links, made in that language (they are translated)."""

    template: str
    to: str
    language: str
    context: dict
    paths: Callable[[], dict] = dict


def render(mail: Mail) -> EmailMessage:
    with translation.override(mail.language):
        context = {**mail.context, **mail.paths()}
    return templated_message(mail.template, context, to=mail.to, language=mail.language)


def link_path(link: ConfirmLink, obj) -> Callable[[], dict]:
    """`paths` for a message whose one link, `path`, is `link` to `obj`."""
    return lambda: {"path": link.path(obj)}


@dataclass(frozen=True)
class Kind:
    load: Callable[[list[int]], dict[int, Mail]]
    # Called with the ids whose message is done with (sent, skipped or failed for good).
    done: Callable[[list[int]], None] | None = None


KINDS: dict[str, Kind] = {}


def one_at_a_time(build: Callable[[int], Mail | None]) -> Callable[[list[int]], dict[int, Mail]]:
    """A kind's `load` from a function that builds one object's Mail (None: none to send),
    for kinds too rare to be worth loading a batch in one query."""
    return lambda ids: {pk: mail for pk in ids if (mail := build(pk)) is not None}


def kind(name: str, *, done: Callable[[list[int]], None] | None = None):
    """Declare a kind of message: decorates its `load(ids) -> {id: Mail}`."""

    def register(load):
        KINDS[name] = Kind(load=load, done=done)
        return load

    return register


@functools.cache
def _discover() -> None:
    autodiscover_modules("outbox")


def put(kind_name: str, object_id: int, *, lane: str) -> None:
    """Promise one message about `object_id`; call it in the transaction that records the
    object. A message still queued for it already will read the object as it is then."""
    put_many(kind_name, [object_id], lane=lane)


def put_many(kind_name: str, object_ids: list[int], *, lane: str) -> None:
    queued = set(
        OutboxMessage.objects.filter(
            kind=kind_name, object_id__in=object_ids, status=Status.QUEUED
        ).values_list("object_id", flat=True)
    )
    OutboxMessage.objects.bulk_create(
        OutboxMessage(kind=kind_name, object_id=object_id, lane=lane[:60])
        for object_id in dict.fromkeys(object_ids)
        if object_id not in queued
    )
    _wake()


def _wake() -> None:
    """Ask a worker to drain once the transaction commits, at most once per
    OUTBOX_KICK_SECONDS (each drain runs until the outbox is empty). If the cache or the
    queue cannot take the job, the reconciler sends the message a little later."""
    try:
        if cache.add(KICK_KEY, 1, settings.OUTBOX_KICK_SECONDS):
            enqueue_on_commit(drain_outbox)
    except Exception as error:  # noqa: BLE001 - the record is kept: never an error page
        logger.warning("outbox: no worker woken (%s); the reconciler sends", type(error).__name__)


def _claim_or_rest(batch: int) -> tuple[str, list[OutboxMessage]]:
    """A claim; when nothing is due, the next message may wake a worker again, and one
    committed just before that is claimed here."""
    token, rows = claim(batch)
    if not rows:
        try:
            cache.delete(KICK_KEY)
        except Exception:  # noqa: BLE001 - then the reconciler wakes the next drain
            return token, rows
        token, rows = claim(batch)
    return token, rows


def _due(now):
    return OutboxMessage.objects.filter(status=Status.QUEUED).filter(
        Q(not_before__isnull=True) | Q(not_before__lte=now)
    )


def _ids(rows, limit: int) -> list[int]:
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    return list(rows.order_by("pk").values_list("pk", flat=True)[:limit])


def claim(batch: int) -> tuple[str, list[OutboxMessage]]:
    """Claim up to `batch` due messages, an equal share from each lane that has some (the
    lanes waiting longest first), the rest of the batch from the oldest."""
    now = timezone.now()
    token = secrets.token_hex(8)
    with transaction.atomic():
        due = _due(now)
        lanes = list(
            due.values("lane").annotate(first=Min("pk")).order_by("first")[:batch]
        )  # fmt: skip
        share = max(1, batch // max(1, len(lanes)))
        ids = [pk for lane in lanes for pk in _ids(due.filter(lane=lane["lane"]), share)]
        if len(ids) < batch:
            ids += _ids(due.exclude(pk__in=ids), batch - len(ids))
        OutboxMessage.objects.filter(pk__in=ids, status=Status.QUEUED).update(
            status=Status.SENDING, claim=token, claimed_at=now
        )
    # Sent in the order they were promised (first come, first served, within the batch too).
    claimed = OutboxMessage.objects.filter(claim=token, status=Status.SENDING).order_by("pk")
    return token, list(claimed)


def _mark(row: OutboxMessage, token: str, **values) -> bool:
    return bool(
        OutboxMessage.objects.filter(pk=row.pk, status=Status.SENDING, claim=token).update(**values)
    )


def _mark_sent(row: OutboxMessage, token: str) -> bool:
    return _mark(
        row, token, status=Status.SENT, sent_at=timezone.now(), attempts=row.attempts + 1
    )  # fmt: skip


def _failed(row: OutboxMessage, token: str, error: Exception) -> str:
    """A failed attempt: tried again later with back-off, or given up."""
    attempt = row.attempts + 1
    if is_permanent(error) or attempt > len(MAIL_RETRY_DELAYS):
        values = {"status": Status.FAILED}
    else:
        retry_at = timezone.now() + timedelta(seconds=MAIL_RETRY_DELAYS[attempt - 1])
        values = {"status": Status.QUEUED, "not_before": retry_at}
    error_name = type(error).__name__[:60]
    values |= {"attempts": attempt, "error": error_name, "claim": "", "sent_at": None}
    # The row may already say SENT: the server refused the message after the final ".".
    OutboxMessage.objects.filter(pk=row.pk, claim=token).update(**values)
    logger.warning("outbox %s: %s, now %s", row.pk, type(error).__name__, values["status"])
    return values["status"]


def _load(rows: list[OutboxMessage]) -> dict[int, Mail | None]:
    """Each row's Mail (None: nothing to send), loaded one query set per kind."""
    _discover()
    by_kind = defaultdict(list)
    for row in rows:
        by_kind[row.kind].append(row)
    mails = {}
    for kind_name, of_kind in by_kind.items():
        declared = KINDS.get(kind_name)
        loaded = declared.load([row.object_id for row in of_kind]) if declared else {}
        mails |= {row.pk: loaded.get(row.object_id) for row in of_kind}
    return mails


def _raw(message) -> tuple[str, str, bytes]:
    sender = sanitize_address(message.from_email, message.encoding or settings.DEFAULT_CHARSET)
    recipient = sanitize_address(message.to[0], message.encoding or settings.DEFAULT_CHARSET)
    return sender, recipient, message.message().as_bytes(linesep="\r\n")


def give_back(token: str) -> int:
    """Put back in the queue, in their order, the messages of `token` not sent yet (the vault
    locked under the worker): none is marked sent or failed, each goes once after unlock."""
    return OutboxMessage.objects.filter(claim=token, status=Status.SENDING).update(
        status=Status.QUEUED, claim="", claimed_at=None
    )


def send_batch(token: str, rows: list[OutboxMessage], sender: Sender) -> dict[str, int]:
    """Send a claimed batch. The vault locking midway (vault.Locked: addresses cannot be read)
    gives the rest back to the queue and stops the drain: the worker waits for the keys."""
    try:
        return _send_batch(token, rows, sender)
    except vault.Locked:
        give_back(token)
        raise


def _send_batch(token: str, rows: list[OutboxMessage], sender: Sender) -> dict[str, int]:
    outcomes: dict[str, int] = defaultdict(int)
    finished = defaultdict(list)
    mails = _load(rows)
    for row in rows:
        mail = mails[row.pk]
        if mail is None:
            _mark(row, token, status=Status.SKIPPED)
            outcome = Status.SKIPPED
        else:
            message = render(mail)
            try:
                copy = _raw(message) if sender.is_smtp else message
                sender.deliver(copy, functools.partial(_mark_sent, row, token))
                outcome = Status.SENT
            except ClaimLost:
                outcome = "lost claim"
            except OutcomeUnknown:
                logger.warning("outbox %s: connection lost after the message", row.pk)
                outcome = Status.SENT
            except (smtplib.SMTPException, OSError) as error:
                MailFailure.record(error)  # /healthz: email failing
                outcome = _failed(row, token, error)
        outcomes[outcome] += 1
        if outcome in (Status.SENT, Status.SKIPPED, Status.FAILED):
            finished[row.kind].append(row.object_id)
    for kind_name, object_ids in finished.items():
        if (declared := KINDS.get(kind_name)) and declared.done:
            declared.done(object_ids)
    if outcomes.get(Status.SENT):
        MailFailure.clear()
    return dict(outcomes)


def drain(*, batch: int | None = None, max_batches: int | None = None) -> dict[str, int]:
    """Claim and send batches until none is due (or `max_batches` were sent)."""
    batch = batch or settings.OUTBOX_BATCH_SIZE
    outcomes: dict[str, int] = defaultdict(int)
    sender = Sender()
    batches = 0
    try:
        while max_batches is None or batches < max_batches:
            vault.keys()  # locked: claim nothing, the worker waits (raises vault.Locked)
            token, rows = _claim_or_rest(batch)
            if not rows:
                break
            if max_batches is None:  # a bounded drain was asked for: no helper
                fanout.ask_for_help("outbox", drain_outbox, batch_was_full=len(rows) == batch)
            for outcome, count in send_batch(token, rows, sender).items():
                outcomes[outcome] += count
            batches += 1
    finally:
        sender.close()
    return dict(outcomes)


def release_stale_claims(now=None) -> int:
    """Give back to the queue what dead workers had claimed: the server never accepted
    their unfinished messages (core.smtp), so each is sent once, by the next drain."""
    stale = (now or timezone.now()) - timedelta(seconds=settings.OUTBOX_CLAIM_TIMEOUT)
    return OutboxMessage.objects.filter(status=Status.SENDING, claimed_at__lt=stale).update(
        status=Status.QUEUED, claim="", claimed_at=None
    )


def forget_finished(now=None) -> int:
    """Delete the rows of messages done with for OUTBOX_KEEP_SECONDS: the table stays small."""
    before = (now or timezone.now()) - timedelta(seconds=settings.OUTBOX_KEEP_SECONDS)
    finished = [Status.SENT, Status.SKIPPED, Status.FAILED]
    return OutboxMessage.objects.filter(status__in=finished, created_at__lt=before).delete()[0]


def pending_links_state() -> dict:
    """For /healthz: how many promised messages wait, and the age of the oldest. Older than
    OUTBOX_STALL_SECONDS means links are not going out (no worker, or mail failing)."""
    waiting = OutboxMessage.objects.filter(status__in=[Status.QUEUED, Status.SENDING])
    return backlog_state("outbox", waiting, settings.OUTBOX_STALL_SECONDS)


@task()
def drain_outbox() -> dict[str, int]:
    return drain()


@task()
def reconcile_outbox() -> dict[str, int]:
    """Scheduled: whatever a dead worker or a lost queue job left waiting goes out now."""
    released = release_stale_claims()
    if released:
        logger.warning("outbox: %d claims of dead workers given back", released)
    forget_finished()
    return drain()
