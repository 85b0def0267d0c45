"""The database down (restarting, unreachable, its disk full): every request gets a 503 with
`Retry-After` and a translated page saying, on a form, that what was sent was NOT recorded,
never a 500 (docs/operations.md, "When the database is down").

Two ways in, one answer: `DatabaseUnavailable` (middleware) catches the error a view raises;
`server_error` (handler500) catches it when it is raised around the view (the session saved
after the view). Only the errors of an outage are mapped: OperationalError (unreachable,
locked, disk full) and InterfaceError (connection gone). A programming error stays a 500.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views import defaults

from tadamun.core.paths import this_page

logger = logging.getLogger(__name__)

# SQLite raises OperationalError for a schema mistake too ("no such column"): only these say
# the database itself cannot be reached or written, as PostgreSQL's OperationalError does.
SQLITE_OUTAGES = ("database is locked", "unable to open", "disk i/o error", "is full")


def is_outage(error: BaseException | None) -> bool:
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if type(cause).__module__ == "sqlite3":
        return any(words in str(cause).lower() for words in SQLITE_OUTAGES)
    return True


def unavailable_response(request, error: BaseException) -> HttpResponse:
    # The kind only: an error's text can quote a query's values.
    logger.warning("database unavailable: %s", type(error).__name__)
    path = this_page(request, query=False)
    language = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    with translation.override(language):
        # Rendered without the context processors: they read the session and the user,
        # which live in the database.
        html = render_to_string(
            "core/unavailable.html",
            {
                "request": request,
                "shared_page": True,  # no messages (they may live in the session)
                "submitted": request.method == "POST",
                "CURRENT_LANGUAGE": language,
                "LANGUAGE_DIRECTION": "rtl" if translation.get_language_bidi() else "ltr",
            },
        )
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(settings.DATABASE_DOWN_RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailable:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_outage(exception):
            return unavailable_response(request, exception)
        return None


def server_error(request):
    """handler500: the outage page when the error is an outage, else Django's 500 page."""
    error = sys.exc_info()[1]
    if is_outage(error):
        return unavailable_response(request, error)
    return defaults.server_error(request)
