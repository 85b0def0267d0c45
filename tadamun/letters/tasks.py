"""Background work for letters. Tasks take ids and are safe to run twice."""

import logging
from functools import partial

from django_tasks import task

from tadamun.core.outbox import Mail, render
from tadamun.core.tasks import retry_mail_on_failure
from tadamun.letters.links import CONFIRM_LETTER
from tadamun.letters.queries import as_first_official_reads_it, targets_for

logger = logging.getLogger(__name__)

LETTER_MAILS = {"confirm", "copy"}


def _paths(letter) -> dict:
    return {
        "campaign_path": letter.campaign.get_absolute_url(),
        "confirm_path": CONFIRM_LETTER.path(letter),
    }


def letter_mail(letter_id: int, kind: str) -> Mail | None:
    """The writer's emails: the link to confirm (sent by core.outbox), then a copy of what
    was sent."""
    from tadamun.letters.models import Letter

    letter = Letter.objects.select_related("campaign", "supporter").filter(pk=letter_id).first()
    if letter is None or letter.supporter is None or kind not in LETTER_MAILS:
        return None
    if kind == "confirm" and letter.status != Letter.Status.UNCONFIRMED:
        return None
    targets = [delivery.target for delivery in letter.deliveries.select_related("target")]
    form_targets = list(targets_for(letter.campaign, letter.country.code).filter(email=""))
    context = {
        "letter": letter,
        "campaign": letter.campaign,
        "targets": targets,
        "form_targets": form_targets,
        **as_first_official_reads_it(letter, targets + form_targets),
    }
    return Mail(
        f"letters/email/{kind}",
        to=letter.supporter.email,
        language=letter.language,
        context=context,
        paths=partial(_paths, letter),
    )


@task()
def send_letter_mail(letter_id: int, kind: str, attempt: int = 0) -> None:
    """The copy of a sent letter (letters.outbox sends the link to confirm)."""
    if (mail := letter_mail(letter_id, kind)) is not None:
        with retry_mail_on_failure(send_letter_mail, letter_id, kind, attempt=attempt):
            render(mail).send()


@task()
def deliver_letters() -> dict[str, int]:
    """Send the letters that are due (see letters.delivery); run often by the scheduler."""
    from tadamun.letters.delivery import deliver_due

    return deliver_due()


@task()
def run_target_import(import_id: int) -> None:
    """Check and import an uploaded CSV file of officials (see letters.imports)."""
    from tadamun.letters import imports
    from tadamun.letters.models import TargetImport

    if target_import := TargetImport.objects.filter(pk=import_id).first():
        imports.run(target_import)


@task()
def reconcile_counters() -> int:
    """Recompute every letter campaign's counters from its rows; returns how many had
    drifted (see letters.counters)."""
    from tadamun.letters import counters
    from tadamun.letters.models import LetterCampaign

    drifted = 0
    for campaign in LetterCampaign.objects.exclude(status=LetterCampaign.Status.DRAFT).iterator():
        if counters.reconcile(campaign):
            drifted += 1
            logger.warning(
                "letter campaign %s: counters had drifted and were corrected", campaign.pk
            )
    return drifted
