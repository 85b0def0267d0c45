"""Every change of a mailing's state: the admin and the tasks call these."""

from django.db import transaction
from django.utils import timezone

from tadamun.core.tasks import enqueue_on_commit
from tadamun.mailings.models import Mailing, Recipient
from tadamun.mailings.rendering import edition
from tadamun.mailings.tasks import set_workers_on, start_mailing

S = Mailing.Status


def _move(mailing: Mailing, allowed_from, **values) -> bool:
    changed = Mailing.objects.filter(pk=mailing.pk, status__in=allowed_from).update(**values)
    mailing.refresh_from_db()
    return bool(changed)


def send_now(mailing: Mailing) -> bool:
    """Queue the start: a worker takes the audience as it is then and begins sending."""
    with transaction.atomic():
        if not _move(mailing, [S.DRAFT, S.SCHEDULED], status=S.SCHEDULED, send_at=timezone.now()):
            return False
        enqueue_on_commit(start_mailing, mailing.pk)
    return True


def schedule(mailing: Mailing, when) -> bool:
    """The scheduler's minute task starts it once `when` has come."""
    return _move(mailing, [S.DRAFT, S.SCHEDULED], status=S.SCHEDULED, send_at=when)


def unschedule(mailing: Mailing) -> bool:
    return _move(mailing, [S.SCHEDULED], status=S.DRAFT, send_at=None)


def pause(mailing: Mailing) -> bool:
    """Workers stop after the copy in hand; what they had claimed goes back to the queue."""
    with transaction.atomic():
        if not _move(mailing, [S.SENDING], status=S.PAUSED):
            return False
        mailing.recipients.filter(status=Recipient.Status.SENDING).update(
            status=Recipient.Status.QUEUED, claim="", claimed_at=None
        )
    return True


def resume(mailing: Mailing) -> bool:
    with transaction.atomic():
        if not _move(mailing, [S.PAUSED], status=S.SENDING):
            return False
        transaction.on_commit(lambda: set_workers_on(mailing.pk))
    return True


def cancel(mailing: Mailing) -> bool:
    """Nothing more is sent; copies already sent stay recorded."""
    with transaction.atomic():
        if not _move(mailing, [S.DRAFT, S.SCHEDULED, S.PAUSED], status=S.CANCELLED):
            return False
        mailing.recipients.filter(status=Recipient.Status.QUEUED).update(
            status=Recipient.Status.SKIPPED
        )
    return True


def send_test(mailing: Mailing, addresses: list[str], language: str) -> int:
    """The mailing as a recipient of `language` gets it, to each of `addresses` (its
    unsubscribe link leads nowhere: no supporter stands behind it)."""
    sample = Recipient(pk=0, mailing=mailing, language=language)
    copy = edition(mailing, language)
    for address in addresses:
        message = copy.message(sample, address, "")
        message.subject = f"[TEST] {message.subject}"
        message.send()
    return len(addresses)
