from functools import partial, wraps

from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path

from tadamun.core.identity import site_identity
from tadamun.staff import dashboard, languages, navigation, views
from tadamun.vault import views as vault_views


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

    def admin_view(self, view, cacheable=False):
        """Every back-office page remembers the language its staff member reads it in: the
        emails to them are written in it (staff.languages)."""
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def remembering(request, *args, **kwargs):
            response = inner(request, *args, **kwargs)
            if request.method == "GET" and self.has_permission(request):
                languages.remember(request)
            return response

        return remembering

    def each_context(self, request):
        """The back office wears the site's name (its identity), like the public pages."""
        name = site_identity().name
        return {**super().each_context(request), "site_header": name, "site_title": name}

    def login(self, request, extra_context=None):
        return views.PasswordStep.as_view(site=self)(request)

    def index(self, request, extra_context=None):
        """The first page: the user's dashboard, then their jobs."""
        panels = dashboard.panels_for(request.user)
        return super().index(request, {"panels": panels, **(extra_context or {})})

    def get_app_list(self, request, app_label=None):
        """The menu by job (see navigation.py); an app's own page keeps its models."""
        if app_label:
            return super().get_app_list(request, app_label)
        # Asked twice per page (the page's list and the menu's): built once per request.
        if not hasattr(request, "_jobs"):
            request._jobs = navigation.by_job(super().get_app_list(request))
        return request._jobs

    def job_view(self, request, job):
        """One job's models, like an app's page."""
        found = [entry for entry in self.get_app_list(request) if entry["app_label"] == job]
        if not found:
            raise Http404
        context = {
            **self.each_context(request),
            "title": found[0]["name"],
            "subtitle": None,
            "app_list": found,
            "app_label": job,
        }
        request.current_app = self.name
        return TemplateResponse(request, "admin/app_index.html", context)

    def export_urls(self):
        """The exports page and its files (staff.exports; each view checks who asks)."""
        from tadamun.staff import exports

        views = {
            "exports": ("exports/", exports.index),
            "export_supporters": ("exports/supporters.csv", exports.supporters),
            "export_answers": ("exports/events/<int:pk>/answers.csv", exports.answers),
            "export_letters": ("exports/letters/<int:pk>/officials.csv", exports.letters),
            "export_letter_answers": (
                "exports/letters/<int:pk>/answers.csv",
                exports.letter_answers,
            ),
        }
        return [
            path(route, self.admin_view(partial(view, self)), name=name)
            for name, (route, view) in views.items()
        ]

    def get_urls(self):
        return [
            path("login/code/", views.CodeStep.as_view(site=self), name="login_code"),
            path("login/enrol/", views.Enrolment.as_view(site=self), name="login_enrol"),
            path(
                "recovery-codes/",
                self.admin_view(views.RecoveryCodes.as_view(site=self)),
                name="recovery_codes",
            ),
            path("job/<slug:job>/", self.admin_view(self.job_view), name="job"),
            *self.export_urls(),
            path("vault/", self.admin_view(partial(vault_views.page, self)), name="vault"),
            *super().get_urls(),
        ]
