"""What the sealed intake (core/intake.py) holds about a supporter, for "my data" and erasure:
submissions sent while the vault was locked that no worker has recorded yet."""

from django.utils.translation import gettext_lazy as _

from tadamun.core import intake
from tadamun.supporters import registry


def describe(supporter) -> list[dict]:
    return [
        {"submitted": row.created_at.isoformat()}
        for row in intake.waiting_for(supporter.email_hash)
    ]


def anonymise(supporter) -> None:
    """A submission still waiting to be recorded would bring the person back: it goes."""
    rows = intake.waiting_for(supporter.email_hash)
    intake.SealedSubmission.objects.filter(pk__in=[row.pk for row in rows]).delete()


DECLARATION = registry.Declaration(
    models=[
        # Sealed while the vault is locked, recorded (and deleted) on unlock: untraced.
        registry.PersonalDataModel("core.SealedSubmission", audited=False),
    ],
    providers=[
        registry.PersonalDataProvider(
            "waiting",
            title=_("Sent while the site was locked, waiting to be recorded"),
            labels={"submitted": _("Submitted")},
            describe=describe,
            anonymise=anonymise,
        )
    ],
)
