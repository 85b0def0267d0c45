from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "tadamun.questions"
    verbose_name = _("Custom questions")

    def ready(self):
        from tadamun.questions import signals  # noqa: F401  (forget rendered forms)
