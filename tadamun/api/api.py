"""The JSON API: /api/ (OpenAPI document at /api/openapi.json, browsable docs at /api/docs,
served from this host). Errors are JSON with a `detail`, never an HTML page."""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import ValidationError

from tadamun.api.osdi import router as osdi_router
from tadamun.api.public import router as public_router
from tadamun.vault import Locked
from tadamun.vault.middleware import locked_response

api = NinjaAPI(
    title="Tadamun API",
    version="1",
    description=(
        "What the Tadamun site shows, as JSON: campaigns and their statements, petitions "
        "and their counts, days of action and events, letter campaigns and their counts, the "
        "watch list, the aid directory and the rebuttals: read-only, public, no personal data. "
        "Under /api/osdi/v1/, the partners' API (OSDI, in Action Network's dialect), with a "
        "partner's token in the OSDI-API-Token header."
    ),
    urls_namespace="api",
)
api.add_router("/osdi/v1/", osdi_router)
api.add_router("/", public_router)


@csrf_exempt  # a POST to an unknown address is a JSON 404 too, not the CSRF page
def api_not_found(request):
    return JsonResponse({"detail": "Not found."}, status=404)


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc):
    return api.create_response(request, {"detail": "The body is too large."}, status=413)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(Locked)
def locked(request, exc):
    """The vault locked (or its keys destroyed): vault.middleware's JSON 503, also with DEBUG
    on (where ninja would answer an unhandled exception with a 500 and its traceback)."""
    return locked_response(request, exc)
