from django.conf import settings
from django.utils.translation import get_language, get_language_bidi

from tadamun.core.identity import site_identity


def site(request):
    return {
        "LANGUAGE_DIRECTION": "rtl" if get_language_bidi() else "ltr",
        "CURRENT_LANGUAGE": get_language(),
        "SITE_URL": settings.SITE_URL,
        "identity": site_identity(),
    }
