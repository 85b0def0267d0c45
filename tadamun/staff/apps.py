"""The staff app, the admin's site, and the libraries' apps of the back office under names from
the project's catalogues (so the Arabic back office has no English app or model name)."""

from auditlog.apps import AuditlogConfig
from django.apps import AppConfig, apps
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class StaffConfig(AppConfig):
    """Staff accounts: the two-step login's views, templates and tests, and the roles (roles.py),
    written after every migrate."""

    name = "tadamun.staff"
    default = True

    def ready(self):
        from tadamun.staff import enrolment
        from tadamun.staff.roles import ensure_roles

        enrolment.connect()

        # Roles are groups with fixed permissions; they are (re)written after every migrate so
        # a new model's permissions reach the right roles without a hand-written migration.
        # post_migrate is sent once per app, and each app's permissions are made when its
        # turn comes: the roles are written once, at the last app's, when all exist (apps
        # without models get no signal).
        last_app = [app for app in apps.get_app_configs() if app.models_module][-1]
        post_migrate.connect(ensure_roles, sender=last_app, dispatch_uid="tadamun.ensure_roles")


class StaffAdminConfig(admin_apps.AdminConfig):
    """The admin, served by a site that lets in only staff who passed both login steps."""

    default = False
    default_site = "tadamun.staff.site.StaffAdminSite"


def name_models(app_config, names: dict) -> None:
    """Give a library's models names from the project's catalogues. Only `_meta`'s names
    change, not the options its migrations recorded (`original_attrs`), so no migration."""
    for model_name, (singular, plural) in names.items():
        opts = app_config.get_model(model_name)._meta
        opts.verbose_name, opts.verbose_name_plural = singular, plural


class AuthenticatorsConfig(AppConfig):
    """django-otp's TOTP devices: the staff's authenticator apps."""

    name = "django_otp.plugins.otp_totp"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = _("Authenticators")

    def ready(self):
        name_models(self, {"totpdevice": (_("authenticator app"), _("authenticator apps"))})


class RecoveryCodesConfig(AppConfig):
    """django-otp's static devices: the staff's recovery codes."""

    name = "django_otp.plugins.otp_static"
    default_auto_field = "django.db.models.AutoField"
    verbose_name = _("Recovery codes")

    def ready(self):
        name_models(
            self, {"staticdevice": (_("set of recovery codes"), _("sets of recovery codes"))}
        )


class AuditTrailConfig(AuditlogConfig):
    """django-auditlog, named in the project's catalogues."""

    verbose_name = _("Audit trail")

    def ready(self):
        super().ready()
        name_models(self, {"logentry": (_("audit entry"), _("audit entries"))})


class BackgroundTasksConfig(TasksAppConfig):
    """django-tasks-db's results, named in the project's catalogues."""

    verbose_name = _("Background tasks")

    def ready(self):
        super().ready()
        name_models(self, {"dbtaskresult": (_("task result"), _("task results"))})
