from django_tasks import task

from tadamun.core.confirmation import send_link_mail
from tadamun.supporters.links import CONFIRM_NEWS, SHARE
from tadamun.supporters.models import PartnerPerson, Supporter


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


@task()
def run_supporter_import(import_id: int) -> None:
    """Check and import an uploaded CSV file of supporters (see supporters.imports)."""
    from tadamun.supporters import imports
    from tadamun.supporters.models import SupporterImport

    if job := SupporterImport.objects.filter(pk=import_id).first():
        imports.run(job)


@task()
def send_news_question(supporter_id: int, attempt: int = 0) -> None:
    """Ask an imported person, in their language, whether they want the coalition's news
    (the coalition said so when importing them: supporters.imports)."""
    supporter = Supporter.objects.filter(pk=supporter_id).first()
    if supporter is None:
        return  # erased since
    send_link_mail(
        send_news_question,
        supporter_id,
        attempt=attempt,
        link=CONFIRM_NEWS,
        obj=supporter,
        template="supporters/email/confirm_news",
        to=supporter.email,
        language=supporter.language,
        context={},
    )
