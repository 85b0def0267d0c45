from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tadamun.core"
    verbose_name = _("Site")

    def ready(self):
        from tadamun.core import checks  # noqa: F401 - registers the deployment checks
        from tadamun.core.audit import register_personal_data_models
        from tadamun.core.roles import ensure_roles

        register_personal_data_models()

        # Roles are groups with fixed permissions; they are (re)written after every migrate so
        # a new model's permissions reach the right roles without a hand-written migration.
        # post_migrate is sent once per app, and each app's permissions are made when its
        # turn comes: the roles are written once, at the last app's, when all exist (apps
        # without models get no signal).
        last_app = [app for app in apps.get_app_configs() if app.models_module][-1]
        post_migrate.connect(ensure_roles, sender=last_app, dispatch_uid="tadamun.ensure_roles")
