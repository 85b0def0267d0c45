"""Headers the site adds to its pages."""

import inspect
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import BadRequest, ImproperlyConfigured
from django.http import JsonResponse
from django.http.request import split_domain_port
from django.middleware import security

from tadamun.core.paths import this_page


class PlainHttpOnion:
    """Plain http to the onion service (ONION_ADDRESS, `http://….onion`) is not redirected to
    https: Tor encrypts it end to end, and an onion address has no certificate unless its
    operator bought one, so the redirect would lose Tor's readers. Listed right before
    Django's SecurityMiddleware (whose deploy checks look for it by name): on the onion it
    skips only that middleware's redirect, and still adds its headers."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Django wraps each middleware (functools.wraps) to turn exceptions into responses.
        self.security = inspect.unwrap(get_response)
        if not isinstance(self.security, security.SecurityMiddleware):
            raise ImproperlyConfigured("PlainHttpOnion goes right before SecurityMiddleware.")
        onion = urlsplit(settings.ONION_ADDRESS)
        self.plain_onion_host = onion.hostname if onion.scheme == "http" else None

    def __call__(self, request):
        host, _port = split_domain_port(request.META.get("HTTP_HOST", ""))
        if self.plain_onion_host and host == self.plain_onion_host:
            response = self.security.get_response(request)  # past the redirect only
            return self.security.process_response(request, response)
        return self.get_response(request)


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
