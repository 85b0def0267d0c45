"""What the letters app holds about a supporter, for "my data" and erasure."""

from django.utils.translation import gettext_lazy as _

from tadamun.letters import counters
from tadamun.letters.models import Delivery, Letter
from tadamun.supporters import registry

LABELS = {
    "campaign": _("Letter campaign"),
    "status": _("Status"),
    "country": _("Country"),
    "city": _("City"),
    "name": _("Name"),
    "subject": _("Subject"),
    "letter": _("Letter"),
    "written": _("Written"),
    "officials": _("Sent to"),
}


def describe(supporter) -> list[dict]:
    return [
        {
            "campaign": letter.campaign.title,
            "status": letter.status,
            "country": letter.country.code,
            "city": letter.city,
            "name": letter.name,
            "subject": letter.subject,
            "letter": letter.text,
            "written": letter.created_at.isoformat(),
            "officials": ", ".join(
                str(delivery.target)
                for delivery in letter.deliveries.all()
                if delivery.status == Delivery.Status.SENT
            ),
        }
        for letter in supporter.letters.select_related("campaign").prefetch_related(
            "deliveries__target"
        )
    ]


def anonymise(supporter) -> None:
    """Cut the letters loose from the person: country and the deliveries already sent stay,
    so the counts stay right; unconfirmed letters and letters not yet sent (which could no
    longer carry the writer's reply address) go."""
    letters = Letter.objects.filter(supporter=supporter)
    letters.filter(status=Letter.Status.UNCONFIRMED).delete()
    unsent = Delivery.objects.filter(
        letter__supporter=supporter, status__in=[Delivery.Status.QUEUED, Delivery.Status.SENDING]
    )
    counters.add_deliveries(counters.counted(unsent), -1)
    unsent.delete()
    letters.update(supporter=None, name="", city="", subject="", text="")


DECLARATION = registry.Declaration(
    models=[
        registry.PersonalDataModel(
            "letters.Letter",
            made_by_the_public=True,
            never_by_hand=registry.EVERYTHING,
            keeps_supporter="supporter",
            unconfirmed=registry.Unconfirmed(
                "letters", lambda: Letter.objects.filter(status=Letter.Status.UNCONFIRMED)
            ),
        ),
        # A letter's sending to one official; what it says stays on the letter.
        registry.PersonalDataModel(
            "letters.Delivery", audited=False, never_by_hand=registry.EVERYTHING
        ),
        # The officials written to: their names and offices are public, their changes traced.
        registry.PersonalDataModel("letters.Target", about_supporters=False),
        # An uploaded file of officials, encrypted while it waits and emptied once imported.
        registry.PersonalDataModel("letters.TargetImport", about_supporters=False, audited=False),
    ],
    providers=[
        registry.PersonalDataProvider(
            "letters",
            title=_("Letters you wrote"),
            labels=LABELS,
            describe=describe,
            anonymise=anonymise,
            statuses=Letter.Status,
        )
    ],
)
