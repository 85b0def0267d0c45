from datetime import timedelta

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from django.views.static import serve

from tadamun.core.identity import site_identity, theme_css


@require_GET
@cache_control(max_age=86400, public=True)
def media(request, path):
    """Uploaded logos and the site's images: small, public, and named by the storage or by
    their pixels (never by the uploader)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", "Disallow: /admin/"]
    lines += [f"Disallow: /{code}/admin/" for code, _name in settings.LANGUAGES]
    lines += ["", f"Sitemap: {settings.SITE_URL}/sitemap.xml"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
@cache_control(max_age=86400, public=True)
def security_txt(request):
    """RFC 9116: whom to tell about a vulnerability. Expires half a year ahead."""
    expires = timezone.now().replace(microsecond=0) + timedelta(days=180)
    lines = [
        f"Contact: {settings.SECURITY_CONTACT}",
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: en, ar, fr, de, es, tr",
        f"Canonical: {settings.SITE_URL}/.well-known/security.txt",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def theme(request, version):
    """The coalition's colours as CSS variables over the default design's (a stylesheet, not
    inline styles: the Content-Security-Policy allows none). Its URL carries the version of
    the colours, so the current one is kept for a year; an old URL gets today's colours."""
    identity = site_identity(settings.LANGUAGE_CODE)
    response = HttpResponse(theme_css(identity.theme), content_type="text/css; charset=utf-8")
    current = version == identity.theme_version
    patch_cache_control(
        response, public=True, max_age=365 * 86400 if current else 60, immutable=current
    )
    return response
