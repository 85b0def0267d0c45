"""What the coalition app holds about a supporter, for "my data" and erasure: the
endorsements they submitted as their organisation's contact.

An endorsement's contact is not linked to a supporter record, and its address is stored
encrypted without a hash: the few endorsements are read and compared one by one.
"""

from django.utils.translation import gettext_lazy as _

from tadamun.coalition.models import Endorsement
from tadamun.core.privacy import normalise_email
from tadamun.supporters import registry

LABELS = {
    "organisation": _("Organisation"),
    "campaign": _("Campaign"),
    "status": _("Status"),
    "submitted": _("Submitted"),
}


def _as_contact(supporter) -> list[Endorsement]:
    address = normalise_email(supporter.email)
    return [
        endorsement
        for endorsement in Endorsement.objects.select_related("organisation", "campaign")
        if normalise_email(endorsement.contact_email) == address
    ]


def describe(supporter) -> list[dict]:
    return [
        {
            "organisation": endorsement.organisation.name,
            "campaign": endorsement.campaign.title,
            "status": endorsement.status,
            "submitted": endorsement.created_at.isoformat(),
        }
        for endorsement in _as_contact(supporter)
    ]


def anonymise(supporter) -> None:
    """An unconfirmed endorsement goes; the others stay, the organisation's, without a
    contact (moderators can still approve or reject them; nobody is told)."""
    endorsements = Endorsement.objects.filter(pk__in=[e.pk for e in _as_contact(supporter)])
    endorsements.filter(status=Endorsement.Status.UNCONFIRMED).delete()
    endorsements.update(contact_name="", contact_email="")


DECLARATION = registry.Declaration(
    models=[
        registry.PersonalDataModel(
            "coalition.Endorsement",
            audit_skips=("submitted_logo",),  # a re-encoded image, not personal data
            made_by_the_public=True,
            never_by_hand=("add",),  # made through the public form, confirmed by its contact
            # With the logo it may hold, never stored as a file before confirmation.
            unconfirmed=registry.Unconfirmed(
                "endorsements",
                lambda: Endorsement.objects.filter(status=Endorsement.Status.UNCONFIRMED),
            ),
        )
    ],
    providers=[
        registry.PersonalDataProvider(
            "endorsements",
            title=_("Endorsements you submitted"),
            labels=LABELS,
            describe=describe,
            anonymise=anonymise,
            statuses=Endorsement.Status,
        )
    ],
)
