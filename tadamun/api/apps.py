from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "tadamun.api"
    verbose_name = _("API")

    def ready(self):
        from tadamun.api import personal_data, receivers  # noqa: F401 - connects the receivers
        from tadamun.supporters import registry

        registry.register(
            "partner_deliveries",
            title=_("Partners told of your actions"),
            labels=personal_data.LABELS,
            describe=personal_data.describe,
            anonymise=personal_data.anonymise,
        )
