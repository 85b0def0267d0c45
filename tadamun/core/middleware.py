"""Headers the site adds to its pages."""

from django.conf import settings


class OnionLocation:
    """With ONION_ADDRESS set, every page tells Tor Browser where the same page is on the
    onion service (the `Onion-Location` header), so readers on Tor can switch to it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.onion = settings.ONION_ADDRESS.rstrip("/")

    def __call__(self, request):
        response = self.get_response(request)
        if self.onion and response.get("Content-Type", "").startswith("text/html"):
            response["Onion-Location"] = self.onion + request.get_full_path()
        return response
