"""Background work for mailings. Tasks take ids and are safe to run twice or at once."""

from django.conf import settings
from django.utils import timezone
from django_tasks import task


@task()
def send_mailing(mailing_id: int) -> dict:
    """Send a mailing's copies until none is left (several of these run side by side)."""
    from tadamun.mailings.sending import send_some

    return send_some(mailing_id)


@task()
def start_mailing(mailing_id: int) -> None:
    """Take the audience (one row per person) and set workers on sending to it."""
    from tadamun.mailings import sending
    from tadamun.mailings.models import Mailing

    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is not None and sending.start(mailing):
        set_workers_on(mailing_id)


def set_workers_on(mailing_id: int) -> None:
    for _worker in range(settings.MAILING_PARALLEL_TASKS):
        send_mailing.enqueue(mailing_id)


@task()
def kick_mailings() -> int:
    """Run by the scheduler every minute: start mailings whose time has come, give back what
    dead workers had claimed, and set workers on every mailing with copies waiting (a
    killed worker's task is gone with it). Returns how many mailings got workers."""
    from tadamun.mailings import sending
    from tadamun.mailings.models import Mailing, Recipient

    for mailing in Mailing.objects.filter(
        status=Mailing.Status.SCHEDULED, send_at__lte=timezone.now()
    ):
        sending.start(mailing)
    sending.release_stale_claims()
    kicked = 0
    for mailing in Mailing.objects.filter(status=Mailing.Status.SENDING):
        if mailing.recipients.filter(status=Recipient.Status.QUEUED).exists():
            set_workers_on(mailing.pk)
            kicked += 1
        else:
            sending.finish_if_done(mailing)
    return kicked
