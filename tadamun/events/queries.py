"""Public reading functions other apps call (the home and campaign pages)."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import get_language

from tadamun.events.models import DayOfAction, DayOfActionTranslation


def upcoming_days(campaign):
    """The campaign's days of action that have not ended yet, soonest first."""
    return (
        DayOfAction.objects.public()
        .filter(campaign=campaign, ends_on__gte=timezone.localdate())
        .prefetch_related(
            Prefetch("translations", DayOfActionTranslation.objects.filter(language=get_language()))
        )
        .order_by("starts_on")
    )
