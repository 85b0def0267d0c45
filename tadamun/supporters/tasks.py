from django_tasks import task

from tadamun.core.confirmation import send_link_mail
from tadamun.supporters.links import SHARE
from tadamun.supporters.models import PartnerPerson


@task()
def forget_unconfirmed() -> dict:
    """Daily: delete what nobody confirmed in time (see supporters.retention)."""
    from tadamun.supporters.retention import forget_unconfirmed as forget

    return forget()


@task()
def send_share_request(partner_person_id: int, attempt: int = 0) -> None:
    """Ask the person, in their language, whether to share their data with the partner that
    submitted them (supporters.partners)."""
    person = (
        PartnerPerson.objects.select_related("organisation", "supporter")
        .filter(pk=partner_person_id)
        .first()
    )
    if person is None:
        return  # erased since
    send_link_mail(
        send_share_request,
        partner_person_id,
        attempt=attempt,
        link=SHARE,
        obj=person,
        template="supporters/email/share_request",
        to=person.supporter.email,
        language=person.supporter.language,
        context={"partner": person.organisation},
    )
