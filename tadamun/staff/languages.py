"""The language a staff member is written to in: the one they last used the back office in
(remembered by the admin site, StaffAdminSite.admin_view), else what the caller knows (the page
they are on, their organisation's endorsements), else the site's. Every email to a staff
account (coalition.tasks, staff.notices) takes its language from `language_of`."""

from django.conf import settings
from django.utils import translation

from tadamun.staff.models import StaffLanguage

SESSION_KEY = "staff_language"


def language_of(user, otherwise: str | None = None) -> str:
    stored = StaffLanguage.objects.filter(user=user).values_list("language", flat=True).first()
    return stored or otherwise or settings.LANGUAGE_CODE


def remember(request) -> None:
    """Keep the language of the back-office page the staff member opens. Written when it
    changes only: the session remembers what was kept, so a page costs no query."""
    language = translation.get_language()
    if request.session.get(SESSION_KEY) == language or language not in dict(settings.LANGUAGES):
        return
    StaffLanguage.objects.update_or_create(user=request.user, defaults={"language": language})
    request.session[SESSION_KEY] = language
