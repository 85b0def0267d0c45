"""System checks of the deployment (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def proxy_is_trusted(app_configs, **kwargs):
    """Behind a proxy every request comes from the proxy's address: unless the proxy is in
    TRUSTED_PROXIES (so its X-Forwarded-For is read), all clients share one rate-limit count."""
    if settings.SECURE_PROXY_SSL_HEADER and not settings.TRUSTED_PROXIES:
        return [
            checks.Warning(
                "BEHIND_HTTPS_PROXY is set but TRUSTED_PROXIES is empty: every client counts "
                "as the proxy's address in the rate limits.",
                hint="Set TRUSTED_PROXIES to the proxy's address (docs/deploy.md).",
                id="tadamun.W001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def demo_is_off(app_configs, **kwargs):
    """DEMO shows the site's outgoing mail on a public page (tadamun/demo/views.py)."""
    if settings.DEMO:
        return [
            checks.Error(
                "DEMO is on: the demo's mailbox page would show the site's mail to anyone.",
                hint="Unset DEMO: it is for `make demo` only.",
                id="tadamun.E001",
            )
        ]
    return []
