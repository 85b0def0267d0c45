"""What the petitions app holds about a supporter, for "my data" and erasure."""

from functools import partial

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tadamun.petitions import queries
from tadamun.petitions.models import Signature, SignatureIntake
from tadamun.supporters import registry

LABELS = {
    "petition": _("Petition"),
    "status": _("Status"),
    "country": _("Country"),
    "name_shown": _("Name shown"),
    "comment": _("Comment"),
    "signed": _("Signed"),
}


def describe(supporter) -> list[dict]:
    return [
        {
            "petition": signature.petition.title,
            "status": signature.status,
            "country": signature.country.code,
            "name_shown": signature.public_name,
            "comment": signature.comment,
            "signed": signature.created_at.isoformat(),
        }
        for signature in supporter.signatures.select_related("petition")
    ]


def anonymise(supporter) -> None:
    """Cut the signatures loose from the person. Status, country and dates stay, so every
    count (total, by country, by day) stays right. Unconfirmed ones never counted: they go."""
    Signature.objects.filter(supporter=supporter, status=Signature.Status.UNCONFIRMED).delete()
    shown = supporter.signatures.exclude(public_name="").values_list("petition__slug", flat=True)
    transaction.on_commit(partial(queries.forget_rendered_pages, list(shown)))
    Signature.objects.filter(supporter=supporter).update(
        supporter=None, public_name="", comment="", name="", ip_hash="", email_domain=""
    )
    # A submission still waiting to be recorded would bring the person back.
    SignatureIntake.objects.filter(email_hash=supporter.email_hash).delete()


DECLARATION = registry.Declaration(
    models=[
        registry.PersonalDataModel(
            "petitions.Signature",
            made_by_the_public=True,
            never_by_hand=registry.EVERYTHING,
            keeps_supporter="supporter",
            unconfirmed=registry.Unconfirmed(
                "signatures",
                lambda: Signature.objects.filter(status=Signature.Status.UNCONFIRMED),
            ),
        ),
        # A sealed submission waiting for the worker: it lives for seconds, untraced.
        registry.PersonalDataModel("petitions.SignatureIntake", audited=False),
    ],
    providers=[
        registry.PersonalDataProvider(
            "signatures",
            title=_("Petitions you signed"),
            labels=LABELS,
            describe=describe,
            anonymise=anonymise,
            statuses=Signature.Status,
        )
    ],
)
