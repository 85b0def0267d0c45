"""Background work for the coalition: emails to endorsement contacts. Tasks take ids."""

from django.urls import reverse
from django.utils import translation
from django_tasks import task

from tadamun.coalition.links import CONFIRM_ENDORSEMENT
from tadamun.coalition.models import Endorsement
from tadamun.coalition.queries import standing_endorsement
from tadamun.core.mail import send_templated_mail
from tadamun.core.outbox import Mail, link_path
from tadamun.core.tasks import retry_mail_on_failure


def endorsement_confirmation(endorsement_id: int) -> Mail | None:
    """The link to confirm a submission; or, when the organisation already endorses the
    campaign or waits for a moderator, word of it (the form answered the same either way).
    Sent by core.outbox (coalition.outbox)."""
    endorsement = (
        Endorsement.objects.select_related("campaign", "organisation")
        .filter(pk=endorsement_id, status=Endorsement.Status.UNCONFIRMED)
        .first()
    )
    if endorsement is None:
        return None
    name = "already" if standing_endorsement(endorsement) else "confirm"
    return Mail(
        f"coalition/email/{name}",
        to=endorsement.contact_email,
        language=endorsement.language,
        context={"endorsement": endorsement, "campaign": endorsement.campaign},
        paths=link_path(CONFIRM_ENDORSEMENT, endorsement),
    )


@task()
def send_moderation_result(endorsement_id: int, attempt: int = 0) -> None:
    endorsement = (
        Endorsement.objects.select_related("campaign", "organisation")
        .filter(
            pk=endorsement_id, status__in=[Endorsement.Status.APPROVED, Endorsement.Status.REJECTED]
        )
        .first()
    )
    if endorsement is None or not endorsement.contact_email:  # the contact erased their data
        return
    name = "approved" if endorsement.status == Endorsement.Status.APPROVED else "rejected"
    with translation.override(endorsement.language):
        path = reverse("coalition:endorsements", args=[endorsement.campaign.slug])
    context = {"endorsement": endorsement, "campaign": endorsement.campaign, "path": path}
    with retry_mail_on_failure(send_moderation_result, endorsement_id, attempt=attempt):
        send_templated_mail(
            f"coalition/email/{name}",
            context,
            to=endorsement.contact_email,
            language=endorsement.language,
        )
