"""Who may export which signatures: coalition admins all of them, an organisation organiser
only those of supporters who confirmed sharing their details with that organisation (the
partner boundary: tadamun.supporters.partners)."""

from tadamun.petitions.models import Signature
from tadamun.supporters.partners import organised_by, visible_actions


def exports_everything(user) -> bool:
    return user.is_active and user.has_perm("petitions.export_signatures")


def can_export(user) -> bool:
    return exports_everything(user) or organised_by(user).exists()


def exportable_signatures(user, petition):
    signatures = Signature.objects.filter(petition=petition, supporter__isnull=False).exclude(
        status=Signature.Status.INVALIDATED
    )
    if exports_everything(user):
        return signatures
    confirmed = signatures.filter(status=Signature.Status.CONFIRMED)
    return visible_actions(organised_by(user), confirmed)
