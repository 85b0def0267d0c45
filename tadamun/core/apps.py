from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tadamun.core"
    verbose_name = _("Site")

    def ready(self):
        from tadamun.core import checks  # noqa: F401 - registers the deployment checks
        from tadamun.core.audit import register_personal_data_models

        register_personal_data_models()
