from django.urls import reverse
from django.utils import translation
from django_tasks import task

from tadamun.core.mail import send_templated_mail
from tadamun.core.tasks import retry_mail_on_failure
from tadamun.supporters.models import LinkRequest, Supporter


@task()
def send_my_data_link(link_request_id: int, attempt: int = 0) -> None:
    """Send the link if we hold the address; the request is deleted once done (one the mail
    server kept refusing is deleted by `forget_unconfirmed`)."""
    from tadamun.supporters.services import my_data_token

    link_request = LinkRequest.objects.filter(pk=link_request_id).first()
    if link_request is None:
        return
    supporter = Supporter.objects.with_email(link_request.email).first()
    if supporter is not None:
        language = link_request.language
        with translation.override(language):
            path = reverse("supporters:my_data", args=[my_data_token(supporter)])
        with retry_mail_on_failure(send_my_data_link, link_request_id, attempt=attempt):
            send_templated_mail(
                "supporters/email/my_data",
                {"supporter": supporter, "path": path},
                to=supporter.email,
                language=language,
            )
    link_request.delete()


@task()
def forget_unconfirmed() -> dict:
    """Daily: delete what nobody confirmed in time (see supporters.retention)."""
    from tadamun.supporters.retention import forget_unconfirmed as forget

    return forget()


@task()
def send_share_request(partner_person_id: int, attempt: int = 0) -> None:
    """Ask the person, in their language, whether to share their data with the partner that
    submitted them (supporters.partners)."""
    from tadamun.supporters.models import PartnerPerson
    from tadamun.supporters.partners import share_token

    person = (
        PartnerPerson.objects.select_related("organisation", "supporter")
        .filter(pk=partner_person_id)
        .first()
    )
    if person is None:
        return  # erased since
    language = person.supporter.language
    with translation.override(language):
        path = reverse("supporters:share", args=[share_token(person)])
    with retry_mail_on_failure(send_share_request, partner_person_id, attempt=attempt):
        send_templated_mail(
            "supporters/email/share_request",
            {"partner": person.organisation, "path": path},
            to=person.supporter.email,
            language=language,
        )
