from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "tadamun.petitions"
    verbose_name = _("Petitions")
