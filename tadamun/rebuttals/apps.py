from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RebuttalsConfig(AppConfig):
    name = "tadamun.rebuttals"
    verbose_name = _("Claims and rebuttals")
