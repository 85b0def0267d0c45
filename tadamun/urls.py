from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path

from tadamun.api.api import api, api_not_found
from tadamun.core import views as core_views
from tadamun.core.sitemaps import SITEMAPS
from tadamun.front.views import home
from tadamun.health import views as health_views
from tadamun.mailings.urls import provider_urlpatterns as mailing_provider_urls

handler500 = "tadamun.core.unavailable.server_error"  # an outage of the database is a 503

admin.site.site_header = "Tadamun"
admin.site.site_title = "Tadamun"

urlpatterns = [
    path("robots.txt", core_views.robots_txt),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(".well-known/security.txt", core_views.security_txt, name="security_txt"),
    path("healthz", health_views.healthz, name="healthz"),
    path("metrics", health_views.metrics, name="metrics"),
    path("theme/<slug:version>.css", core_views.theme, name="theme"),
    # Uploaded logos and the site's images, small and public; a front server may serve
    # MEDIA_ROOT instead.
    re_path(r"^media/(?P<path>logos/[\w.-]+)$", core_views.media),
    re_path(r"^media/(?P<path>identity/[\w.-]+)$", core_views.media),
    path("", include("tadamun.places.urls")),
    *mailing_provider_urls,
    path("api/", api.urls),
    re_path(r"^api/", api_not_found),  # any other address under /api/: JSON, not a page
]

urlpatterns += i18n_patterns(
    path("", home, name="home"),
    path("", include("tadamun.front.urls")),
    path("", include("tadamun.coalition.urls")),
    path("", include("tadamun.publications.urls")),
    path("", include("tadamun.petitions.urls")),
    path("", include("tadamun.events.urls")),
    path("", include("tadamun.aid.urls")),
    path("", include("tadamun.watch.urls")),
    path("", include("tadamun.letters.urls")),
    path("", include("tadamun.mailings.urls")),
    path("", include("tadamun.rebuttals.urls")),
    path("", include("tadamun.supporters.urls")),
    path("", include("tadamun.demo.urls")),  # the demo's mailbox: a 404 unless settings.DEMO
    path("admin/", admin.site.urls),
)
