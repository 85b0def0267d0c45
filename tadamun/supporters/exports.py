"""The back office's CSV exports of people: who may export whom, and the supporters' file.

Coalition admins (supporters.export_supporters) export everyone; an organisation organiser
exports only the people who confirmed sharing with an organisation they organise, and of
their actions only those that sharing covers (supporters.partners). Every export streams
(core.csv: formula cells neutralised) and is noted in the audit trail on the staff member's
own record, with its size never its content.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _lazy

from tadamun.core.audit import record_export
from tadamun.core.csv import streaming_csv
from tadamun.supporters.models import Consent, Supporter, Tag
from tadamun.supporters.partners import organised_by, shares_with, visible_actions

CHUNK = 1000


def exports_everything(user) -> bool:
    return user.is_active and user.has_perm("supporters.export_supporters")


def can_export(user) -> bool:
    return exports_everything(user) or organised_by(user).exists()


def exportable(user, actions):
    """Those of `actions` (rows with a `supporter`) the staff member may export."""
    if exports_everything(user):
        return actions
    return visible_actions(organised_by(user), actions)


def coalition_updates(consents) -> str:
    """When and how the person asked for the coalition's news ("" if they did not)."""
    for consent in consents:
        if consent.purpose == Consent.Purpose.UPDATES and consent.withdrawn_at is None:
            return f"{consent.given_at:%Y-%m-%d} {consent.source}".strip()
    return ""


def shared_with(consents) -> str:
    names = {
        consent.organisation.name
        for consent in consents
        if consent.purpose == Consent.Purpose.PARTNER and consent.withdrawn_at is None
    }
    return "; ".join(sorted(names))


# The supporters' file: (header, value of a supporter with its prefetched consents and tags,
# shown to organisers too). An organiser reads what the person shares with partners (partners.
# shown_to_partner); the coalition's own records (its news, its tags) are the coalition's.
COLUMNS = [
    (_lazy("Name"), lambda person, consents: person.name, True),
    (_lazy("Email address"), lambda person, consents: person.email, True),
    (_lazy("Country"), lambda person, consents: person.country.code, True),
    (_lazy("Language"), lambda person, consents: person.language, True),
    (_lazy("Shares with"), lambda person, consents: shared_with(consents), True),
    (_lazy("Created"), lambda person, consents: person.created_at, False),
    (_lazy("Coalition updates since"), lambda person, consents: coalition_updates(consents), False),
    (_lazy("Tags"), lambda person, consents: "; ".join(t.name for t in person.tags.all()), False),
]


def supporters_csv(user):
    """The supporters the staff member may export, with their consents (and for coalition
    admins the coalition's tags), streamed."""
    everything = exports_everything(user)
    people = Supporter.objects.order_by("pk")
    consents = Consent.objects.select_related("organisation")
    if not everything:
        organisations = organised_by(user)
        people = people.filter(shares_with(organisations))
        consents = consents.filter(organisation__in=organisations)
    people = people.prefetch_related(
        Prefetch("consents", queryset=consents),
        Prefetch("tags", queryset=Tag.objects.filter(organisation=None)),
    )
    columns = [column for column in COLUMNS if everything or column[2]]

    def rows():
        for person in people.iterator(chunk_size=CHUNK):
            given = list(person.consents.all())
            yield [value(person, given) for _header, value, _shown in columns]

    record_export(user, "supporters CSV")
    return streaming_csv("supporters.csv", [str(c[0]) for c in columns], rows())
