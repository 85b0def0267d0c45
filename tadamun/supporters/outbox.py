"""The "your data" link, sent through core.outbox."""

from tadamun.core import outbox
from tadamun.supporters.links import MY_DATA
from tadamun.supporters.models import LinkRequest, Supporter

MY_DATA_LINK = "supporters.my_data"
# One lane for every "your data" request: a rush on a petition never holds them up.
LANE = "your-data"


def _forget_requests(ids: list[int]) -> None:
    """A request is deleted once its link went (or never will): the address it holds is
    needed no longer."""
    LinkRequest.objects.filter(pk__in=ids).delete()


@outbox.kind(MY_DATA_LINK, done=_forget_requests)
def my_data_links(ids: list[int]) -> dict[int, outbox.Mail]:
    """The link, for each request whose address we hold (others get nothing: see
    services.request_my_data_link)."""
    mails = {}
    for link_request in LinkRequest.objects.filter(pk__in=ids):
        supporter = Supporter.objects.with_email(link_request.email).first()
        if supporter is not None:
            mails[link_request.pk] = outbox.Mail(
                template="supporters/email/my_data",
                to=supporter.email,
                language=link_request.language,
                context={"supporter": supporter},
                paths=outbox.link_path(MY_DATA, supporter),
            )
    return mails
