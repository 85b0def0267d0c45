"""Background work for the coalition: emails to endorsement contacts and to organisations'
organisers. Tasks take ids."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from tadamun.coalition.links import CONFIRM_ENDORSEMENT
from tadamun.coalition.models import Endorsement, Feature, Organisation
from tadamun.coalition.queries import standing_endorsement
from tadamun.core.mail import send_templated_mail
from tadamun.core.outbox import Mail, link_path
from tadamun.core.tasks import retry_mail_on_failure
from tadamun.staff.languages import language_of


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


def organisation_language(organisation: Organisation) -> str:
    """The language to write to an organisation's organiser in when they never used the back
    office (staff.languages): the one its latest endorsement was made in (their own words),
    else the site's."""
    made_in = organisation.endorsements.order_by("-pk").values_list("language", flat=True)
    return made_in.first() or settings.LANGUAGE_CODE


@task()
def send_feature_request(feature_id: int, organiser_id: int, attempt: int = 0) -> None:
    """Tell one of the owner's organisers, in their language, that another organisation asks
    to feature their action (coalition.services.request_feature), while the request waits."""
    feature = (
        Feature.objects.select_related("organisation", "petition", "letter_campaign", "event")
        .filter(pk=feature_id, status=Feature.Status.PENDING)
        .first()
    )
    owner = feature and feature.action.organisation
    user = get_user_model().objects.filter(pk=organiser_id, is_active=True).first()
    if owner is None or user is None or not user.email:
        return
    if not owner.organisers.filter(pk=user.pk).exists():
        return  # no longer one of its organisers
    language = language_of(user, otherwise=organisation_language(owner))
    with translation.override(language):
        path = reverse("admin:coalition_feature_changelist") + "?waiting=yes"
    context = {"feature": feature, "action": feature.action, "path": path}
    with retry_mail_on_failure(send_feature_request, feature_id, organiser_id, attempt=attempt):
        send_templated_mail(
            "coalition/email/feature_request", context, to=user.email, language=language
        )
