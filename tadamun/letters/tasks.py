"""Background work for letters. Tasks take ids and are safe to run twice."""

from django.utils import translation
from django_tasks import task

from tadamun.core.mail import send_templated_mail
from tadamun.core.tasks import retry_mail_on_failure
from tadamun.letters.links import CONFIRM_LETTER
from tadamun.letters.queries import as_first_official_reads_it, targets_for

LETTER_MAILS = {"confirm", "copy"}


@task()
def send_letter_mail(letter_id: int, kind: str, attempt: int = 0) -> None:
    """The writer's emails: the link to confirm, then a copy of what was sent."""
    from tadamun.letters.models import Letter

    letter = Letter.objects.select_related("campaign", "supporter").filter(pk=letter_id).first()
    if letter is None or letter.supporter is None or kind not in LETTER_MAILS:
        return
    if kind == "confirm" and letter.status != Letter.Status.UNCONFIRMED:
        return
    targets = [delivery.target for delivery in letter.deliveries.select_related("target")]
    form_targets = list(targets_for(letter.campaign, letter.country.code).filter(email=""))
    with translation.override(letter.language):
        context = {
            "letter": letter,
            "campaign": letter.campaign,
            "campaign_path": letter.campaign.get_absolute_url(),
            "confirm_path": CONFIRM_LETTER.path(letter),
            "targets": targets,
            "form_targets": form_targets,
            **as_first_official_reads_it(letter, targets + form_targets),
        }
    with retry_mail_on_failure(send_letter_mail, letter_id, kind, attempt=attempt):
        send_templated_mail(
            f"letters/email/{kind}", context, to=letter.supporter.email, language=letter.language
        )


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
