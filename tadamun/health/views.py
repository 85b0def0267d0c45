from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tadamun.health.checks import run_checks


@require_GET
@never_cache
def healthz(request):
    """Every check (tadamun.health.checks): 200 when all hold, else 503 naming the failing
    ones. `?scope=serving` runs only what a load balancer should act on (docs/scale.md)."""
    report, failing = run_checks(serving_only=request.GET.get("scope") == "serving")
    return JsonResponse(
        {"status": "error" if failing else "ok", "failing": failing, **report},
        status=503 if failing else 200,
    )


@require_GET
@never_cache
def metrics(request):
    """The same checks in Prometheus' text format, for `Authorization: Bearer METRICS_TOKEN`;
    no page at all (404) while no token is set."""
    if not settings.METRICS_TOKEN:
        raise Http404
    scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not constant_time_compare(token, settings.METRICS_TOKEN):
        response = HttpResponse("Unauthorized\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = "Bearer"
        return response
    report, failing = run_checks()
    lines = [
        "# HELP tadamun_check_ok 1 when the /healthz check holds.",
        "# TYPE tadamun_check_ok gauge",
    ]
    lines += [
        f'tadamun_check_ok{{check="{name}"}} {0 if name in failing else 1}'
        for name, value in report.items()
        if isinstance(value, str)
    ]
    for name, value in report.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            lines += [f"# TYPE tadamun_{name} gauge", f"tadamun_{name} {value}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; version=0.0.4")
