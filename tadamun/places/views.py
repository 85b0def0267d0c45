import functools
import hashlib

from django.http import HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import etag, require_safe

from tadamun.places.maps import world_outline_svg


@functools.cache
def _world_digest() -> str:
    return hashlib.sha256(world_outline_svg().encode()).hexdigest()[:32]


def _world_etag(request) -> str:
    return _world_digest()


@require_safe
@cache_control(max_age=86400, public=True)
@etag(_world_etag)
def world_outline(request):
    """The countries' outlines, the background of every map (the same in every language)."""
    return HttpResponse(world_outline_svg(), content_type="image/svg+xml; charset=utf-8")
