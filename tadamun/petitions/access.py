"""Who may export which signatures: coalition admins all of them, an organisation organiser
only those of supporters who agreed to share their details with that organisation."""

from django.db.models import Exists, OuterRef

from tadamun.coalition.access import organisations_for
from tadamun.petitions.models import Signature
from tadamun.supporters.models import Consent


def exports_everything(user) -> bool:
    return user.is_active and user.has_perm("petitions.export_signatures")


def can_export(user) -> bool:
    return exports_everything(user) or organisations_for(user).exists()


def exportable_signatures(user, petition):
    signatures = Signature.objects.filter(petition=petition, supporter__isnull=False).exclude(
        status=Signature.Status.INVALIDATED
    )
    if exports_everything(user):
        return signatures
    shared = Consent.objects.active().filter(
        supporter=OuterRef("supporter"),
        purpose=Consent.Purpose.PARTNER,
        organisation__in=organisations_for(user),
    )
    return signatures.filter(Exists(shared))
