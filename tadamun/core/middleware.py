"""Headers the site adds to its pages."""

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import JsonResponse

from tadamun.core.paths import this_page


class OnionLocation:
    """With ONION_ADDRESS set, every page tells Tor Browser where the same page is on the
    onion service (the `Onion-Location` header), so readers on Tor can switch to it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.onion = settings.ONION_ADDRESS.rstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if self.onion and response.get("Content-Type", "").startswith("text/html"):
            response["Onion-Location"] = self.onion + this_page(request)
        return response


class ContentLengthCheck:
    """A request whose Content-Length is not a length (`abc`, `-1`) is a 400 before anything
    reads its body: Django's own reading of the body would fail on it with a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH", "").strip()
        if declared and not (declared.isascii() and declared.isdigit()):
            if request.path.startswith("/api/"):  # the API's errors are JSON (tadamun.api.api)
                return JsonResponse({"detail": "Content-Length is not a number."}, status=400)
            raise BadRequest("Content-Length is not a number.")
        return self.get_response(request)
