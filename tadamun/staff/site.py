from django.contrib import admin
from django.urls import path

from tadamun.staff import views


class StaffAdminSite(admin.AdminSite):
    """The admin site: a password alone never opens it; every staff account needs its second
    step (an authenticator's code or a recovery code), and sets one up at its first login."""

    site_header = "Tadamun"
    site_title = "Tadamun"

    def has_permission(self, request):
        # OTPMiddleware gives request.user is_verified(); a user just logged in within this
        # request (the end of the login steps) is a plain User until the next request.
        is_verified = getattr(request.user, "is_verified", None)
        return super().has_permission(request) and is_verified is not None and is_verified()

    def login(self, request, extra_context=None):
        return views.PasswordStep.as_view(site=self)(request)

    def get_urls(self):
        return [
            path("login/code/", views.CodeStep.as_view(site=self), name="login_code"),
            path("login/enrol/", views.Enrolment.as_view(site=self), name="login_enrol"),
            path(
                "recovery-codes/",
                self.admin_view(views.RecoveryCodes.as_view(site=self)),
                name="recovery_codes",
            ),
            *super().get_urls(),
        ]
