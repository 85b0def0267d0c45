from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionConfig(AppConfig):
    name = "tadamun.coalition"
    verbose_name = _("Coalition")

    def ready(self):
        from tadamun.coalition import personal_data
        from tadamun.supporters import registry

        registry.register(
            "endorsements",
            title=_("Endorsements you submitted"),
            labels=personal_data.LABELS,
            describe=personal_data.describe,
            anonymise=personal_data.anonymise,
        )
