from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "tadamun.events"
    verbose_name = _("Days of action")

    def ready(self):
        from tadamun.events import personal_data
        from tadamun.supporters import registry

        registry.register(
            "events",
            title=_("Events you proposed"),
            labels=personal_data.EVENT_LABELS,
            describe=personal_data.describe_events,
            anonymise=personal_data.anonymise_events,
        )
        registry.register(
            "rsvps",
            title=_("Events you answered"),
            labels=personal_data.RSVP_LABELS,
            describe=personal_data.describe_rsvps,
            anonymise=personal_data.anonymise_rsvps,
        )
