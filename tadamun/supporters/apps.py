from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportersConfig(AppConfig):
    name = "tadamun.supporters"
    verbose_name = _("Supporters")

    def ready(self):
        from tadamun.supporters import personal_data, registry

        registry.register(
            "partner_submissions",
            title=_("What partner organisations sent us about you"),
            labels=personal_data.LABELS,
            describe=personal_data.describe,
            anonymise=personal_data.anonymise,
        )
