from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "tadamun.letters"
    verbose_name = _("Letters to decision makers")

    def ready(self):
        from tadamun.letters import personal_data
        from tadamun.supporters import registry

        registry.register(
            "letters",
            title=_("Letters you wrote"),
            labels=personal_data.LABELS,
            describe=personal_data.describe,
            anonymise=personal_data.anonymise,
        )
