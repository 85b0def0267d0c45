"""ETag, If-None-Match and Cache-Control for the public read API."""

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag


class ApiCaching:
    """A successful GET of the public API gets an ETag and may be cached for
    API_CACHE_SECONDS; a client sending the ETag back gets 304 with no body. (Placed after
    GZip in MIDDLEWARE, so it sees the answer before compression: GZip then weakens the
    ETag, which If-None-Match still matches.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method not in ("GET", "HEAD")
            or not request.path.startswith("/api/")
            or request.path.startswith("/api/osdi/")
            or response.status_code != 200
            or response.streaming
        ):
            return response
        set_response_etag(response)
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
        return get_conditional_response(request, etag=response["ETag"], response=response)
