"""Who may export which signatures: coalition admins all of them, an organisation organiser
only those of supporters who agreed to share their details with that organisation."""

from django.db.models import Exists, OuterRef

from tadamun.coalition.models import Organisation
from tadamun.petitions.models import Signature
from tadamun.supporters.models import Consent


def exports_everything(user) -> bool:
    return user.is_active and user.has_perm("petitions.export_signatures")


def organised_by(user):
    """The organisations the user is listed as an organiser of: whatever else they may see,
    these are the only partners whose shared supporters they export."""
    return (
        Organisation.objects.filter(organisers=user)
        if user.is_active
        else Organisation.objects.none()
    )


def can_export(user) -> bool:
    return exports_everything(user) or organised_by(user).exists()


def exportable_signatures(user, petition):
    signatures = Signature.objects.filter(petition=petition, supporter__isnull=False).exclude(
        status=Signature.Status.INVALIDATED
    )
    if exports_everything(user):
        return signatures
    shared = Consent.objects.active().filter(
        supporter=OuterRef("supporter"),
        purpose=Consent.Purpose.PARTNER,
        organisation__in=organised_by(user),
    )
    return signatures.filter(Exists(shared), status=Signature.Status.CONFIRMED)
