from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class EnrolmentWindow(models.Model):
    """Since when a staff account without an authenticator may set one up with its password
    alone. The window opens when the account becomes staff and again when its authenticator
    is removed, and lasts STAFF_ENROLMENT_DAYS: an account nobody set up in time cannot be
    taken over later by whoever learns its password (see staff.enrolment)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolment_window",
        verbose_name=_("staff account"),
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)

    class Meta:
        verbose_name = _("enrolment window")
        verbose_name_plural = _("enrolment windows")

    def __str__(self):
        return str(self.user)


class StaffLanguage(models.Model):
    """The language a staff member is written to in (staff.languages): the one they last used
    the back office in. Staff have no supporter record, so nothing else says it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_language",
        verbose_name=_("staff account"),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("staff member's language")
        verbose_name_plural = _("staff members' languages")
        default_permissions = ()  # set by using the back office, never by hand

    def __str__(self):
        return f"{self.user} ({self.language})"
