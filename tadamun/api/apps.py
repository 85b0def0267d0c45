from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "tadamun.api"
    verbose_name = _("API")

    def ready(self):
        from tadamun.api import receivers  # noqa: F401 - connects the receivers
