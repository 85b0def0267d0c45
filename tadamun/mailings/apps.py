from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailingsConfig(AppConfig):
    name = "tadamun.mailings"
    verbose_name = _("Mailings")

    def ready(self):
        from tadamun.mailings import personal_data
        from tadamun.supporters import registry

        registry.register(
            "mailings",
            title=_("Mailings sent to you"),
            labels=personal_data.LABELS,
            describe=personal_data.describe,
            anonymise=personal_data.anonymise,
        )
