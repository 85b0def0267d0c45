"""Personal data asked for while the vault is locked: one translated page (503), never a
500, whatever the view; under /api/, the same in JSON. Public pages read no personal data and
never get here."""

from django.http import JsonResponse
from django.template.response import TemplateResponse

from tadamun.vault.holder import Destroyed, Locked


def locked_response(request, error: Locked):
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": str(error.message)}, status=503)
        response["Retry-After"] = "60"
        return response
    user = getattr(request, "user", None)
    response = TemplateResponse(
        request,
        "vault/locked.html",
        {
            "destroyed": isinstance(error, Destroyed),
            "message": error.message,
            "can_unlock": bool(user and user.has_perm("vault.unlock_vault")),
        },
        status=503,
    )
    response["Retry-After"] = "60"
    response["Cache-Control"] = "no-store"
    return response.render()


class LockedPage:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Locked):
            return locked_response(request, exception)
        return None
