"""The second login step's devices: one authenticator (TOTP) and one set of recovery codes."""

from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


def has_authenticator(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def authenticator_to_confirm(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up; the same one on every reload of the page,
    so the QR code the person already scanned keeps working."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with fresh ones; each works once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def verify(user, code: str):
    """The device that accepts this code (authenticator or recovery code), or None.

    django-otp throttles each device: after a wrong code the next try must wait longer.
    """
    code = "".join(code.split()).lower()
    for device in devices_for_user(user, for_verify=True):
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    return None


def is_recovery(device) -> bool:
    return isinstance(device, StaticDevice)
