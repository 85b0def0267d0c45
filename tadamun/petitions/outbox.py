"""The emails with a link petitions promise, sent through core.outbox."""

from tadamun.core import outbox
from tadamun.petitions.links import CONFIRM_SIGNATURE
from tadamun.petitions.models import Signature

SIGNATURE = "petitions.signature"


def lane(petition_id: int) -> str:
    """Each petition shares the outbox fairly with the others and with every other form."""
    return f"petition:{petition_id}"


@outbox.kind(SIGNATURE)
def signature_confirmations(ids: list[int]) -> dict[int, outbox.Mail]:
    """The link to confirm each signature that still waits for it."""
    signatures = Signature.objects.select_related("petition", "supporter").filter(
        pk__in=ids, status=Signature.Status.UNCONFIRMED, supporter__isnull=False
    )
    return {
        signature.pk: outbox.Mail(
            template="petitions/email/confirm",
            to=signature.supporter.email,
            language=signature.language,
            context={"signature": signature, "petition": signature.petition},
            paths=outbox.link_path(CONFIRM_SIGNATURE, signature),
        )
        for signature in signatures
    }
