from django.db.models import Prefetch
from django.utils.translation import get_language

from tadamun.watch.models import WatchItem, WatchItemTranslation


def timeline():
    """Published items, latest first, with their translation into the reader's language."""
    return WatchItem.objects.published().prefetch_related(
        Prefetch("translations", WatchItemTranslation.objects.filter(language=get_language()))
    )
