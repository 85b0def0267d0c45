"""Helpers for background tasks."""

import logging
import smtplib
from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone

logger = logging.getLogger(__name__)

# Seconds to wait before each new attempt at sending a message that failed.
MAIL_RETRY_DELAYS = (60, 300, 1800, 7200, 21600)


@contextmanager
def retry_mail_on_failure(task, *args, attempt: int):
    """Run the block; if the mail server fails, queue `task(*args, attempt=attempt + 1)` later.

    The failure is re-raised so the queue records this attempt as failed.
    """
    try:
        yield
    except (smtplib.SMTPException, OSError):
        if attempt < len(MAIL_RETRY_DELAYS):
            later = task
            if task.get_backend().supports_defer:
                run_after = timezone.now() + timedelta(seconds=MAIL_RETRY_DELAYS[attempt])
                later = task.using(run_after=run_after)
            later.enqueue(*args, attempt=attempt + 1)
            logger.warning("%s: mail failed, attempt %d queued", task.name, attempt + 1)
        else:
            logger.error("%s: mail failed, giving up after %d attempts", task.name, attempt + 1)
        raise
