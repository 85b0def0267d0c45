"""When a staff member may set up an authenticator with their password alone.

Only within STAFF_ENROLMENT_DAYS of becoming staff, or of losing their authenticator (a
superuser removes it, or "Let them set up a new authenticator" in the admin). After that a
password alone, however it was learnt, no longer opens the way to the admin.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tadamun.staff.models import EnrolmentWindow


def open_window(user) -> None:
    EnrolmentWindow.objects.update_or_create(user=user, defaults={"opened_at": timezone.now()})


def window_days() -> int:
    return settings.STAFF_ENROLMENT_DAYS


def is_open(user) -> bool:
    since = timezone.now() - timedelta(days=window_days())
    return EnrolmentWindow.objects.filter(user=user, opened_at__gte=since).exists()


def start_again(user) -> None:
    """Remove the user's authenticator and recovery codes, and open a new window."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    open_window(user)


def _new_staff(sender, instance, **kwargs):
    if instance.is_staff and not EnrolmentWindow.objects.filter(user=instance).exists():
        open_window(instance)


def _authenticator_removed(sender, instance, origin=None, **kwargs):
    # Only when the authenticator itself was deleted: when its account is being deleted, the
    # account's window is already gone and must not come back.
    deleted = getattr(origin, "model", type(origin))
    if instance.confirmed and deleted is TOTPDevice:
        open_window(instance.user)


def connect() -> None:
    post_save.connect(_new_staff, sender=get_user_model(), dispatch_uid="staff-new-staff")
    post_delete.connect(
        _authenticator_removed, sender=TOTPDevice, dispatch_uid="staff-authenticator-removed"
    )
