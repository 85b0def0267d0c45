from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "tadamun.petitions"
    verbose_name = _("Petitions")

    def ready(self):
        from tadamun.petitions import personal_data
        from tadamun.supporters import registry

        registry.register(
            "signatures",
            title=_("Petitions you signed"),
            labels=personal_data.LABELS,
            describe=personal_data.describe,
            anonymise=personal_data.anonymise,
        )
