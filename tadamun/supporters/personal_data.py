"""What partner organisations sent about a supporter, for "my data" and erasure."""

import json

from django.utils.translation import gettext_lazy as _

from tadamun.supporters import registry
from tadamun.supporters.models import PartnerPerson

LABELS = {
    "partner": _("partner organisation"),
    "name": _("Name"),
    "email": _("Email address"),
    "country": _("Country"),
    "language": _("Language"),
    "postal_code": _("Postal code"),
    "custom_fields": _("Other fields the partner sent"),
    "tags": _("Tags"),
}


def describe(supporter) -> list[dict]:
    """Each partner's submission, as it sent it (none for those the person chose to share
    with without being submitted)."""
    described = []
    for known in supporter.partner_people.select_related("organisation").prefetch_related("tags"):
        if known.submitted is None:
            continue
        sent = json.loads(known.submitted)
        name = " ".join(sent.get(part, "") for part in ("given_name", "family_name")).strip()
        described.append(
            {
                "partner": known.organisation.name,
                "name": name,
                "email": sent.get("email", ""),
                "country": sent.get("country", ""),
                "language": sent.get("language", ""),
                "postal_code": sent.get("postal_code", ""),
                "custom_fields": "; ".join(
                    f"{field}: {value}" for field, value in sent.get("custom_fields", {}).items()
                ),
                "tags": ", ".join(tag.name for tag in known.tags.all()),
            }
        )
    return described


def anonymise(supporter) -> None:
    PartnerPerson.objects.filter(supporter=supporter).delete()


DECLARATION = registry.Declaration(
    models=[
        # A person leaves through erasure, which anonymises what they did; no one edits them.
        registry.PersonalDataModel(
            "supporters.Supporter", made_by_the_public=True, never_by_hand=registry.EVERYTHING
        ),
        registry.PersonalDataModel(
            "supporters.Consent",
            made_by_the_public=True,
            never_by_hand=registry.EVERYTHING,
            keeps_supporter="supporter",
        ),
        registry.PersonalDataModel("supporters.PartnerPerson", audited=False),
        # A "my data" link asked for by email, forgotten after a day (see retention).
        registry.PersonalDataModel("supporters.LinkRequest", audited=False),
        # An uploaded file waiting for the worker: encrypted, and emptied once imported
        # (core.imports.run), so no one person's record lives in it; the import itself is
        # in the audit trail as the uploader's act.
        registry.PersonalDataModel(
            "supporters.SupporterImport", about_supporters=False, audited=False
        ),
    ],
    providers=[
        registry.PersonalDataProvider(
            "partner_submissions",
            title=_("What partner organisations sent us about you"),
            labels=LABELS,
            describe=describe,
            anonymise=anonymise,
        )
    ],
)
