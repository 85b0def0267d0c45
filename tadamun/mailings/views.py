"""The two doors of mailings on the public site: one-click unsubscribe (RFC 8058) and the
signed endpoint through which the mail provider reports bounces and complaints."""

import hashlib
import hmac
import json
import time

from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tadamun.core.confirmation import confirm_view
from tadamun.core.privacy import email_hash
from tadamun.mailings.links import UNSUBSCRIBE_FROM_MAILING
from tadamun.mailings.models import Recipient, Suppression
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent, Supporter

WEBHOOK_TOLERANCE = 300  # seconds a signed report stays acceptable
WEBHOOK_MAX_BYTES = 64 * 1024


def unsubscribe_from(recipient: Recipient) -> Recipient:
    """Withdraw the consent the mailing was sent under: the coalition's updates, or the
    partner's."""
    if recipient.supporter is None:
        return recipient  # erased: nothing left to write to
    partner = recipient.mailing.partner
    if partner is None:
        supporters.withdraw_consents(recipient.supporter, purpose=Consent.Purpose.UPDATES)
    else:  # that organisation's consents alone: the coalition's and the others' stay
        theirs = recipient.supporter.consents.active().filter(
            purpose=Consent.Purpose.PARTNER, organisation=partner
        )
        supporters.withdraw_consents(recipient.supporter, list(theirs.values_list("pk", flat=True)))
    return recipient


# One click from a mail program posts here with no session and no CSRF token (RFC 8058);
# the signed link is the authority, and it can only take consent away.
# GET shows a button (mail scanners open links); POST unsubscribes.
unsubscribe = csrf_exempt(
    confirm_view(
        UNSUBSCRIBE_FROM_MAILING,
        template="mailings/unsubscribe.html",
        context=lambda recipient: {"mailing": recipient.mailing},
        act=unsubscribe_from,
        done_template="mailings/unsubscribed.html",
    )
)


def signature_is_valid(request, body: bytes) -> bool:
    """`X-Tadamun-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`."""
    secret = settings.MAILING_WEBHOOK_SECRET
    parts = dict(
        part.split("=", 1)
        for part in request.headers.get("X-Tadamun-Signature", "").split(",")
        if "=" in part
    )
    if not secret or not parts.get("t", "").isdigit() or "v1" not in parts:
        return False
    if abs(time.time() - int(parts["t"])) > WEBHOOK_TOLERANCE:
        return False
    expected = hmac.new(
        secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


def _error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@csrf_exempt
@require_POST
def bounces(request):
    """Reports from the mail provider: `{"type": "bounce" | "complaint", "email": "...",
    "permanent": true}`. A permanent bounce or a complaint stops all mail to the address;
    a complaint also withdraws every consent. Only the address's keyed hash is kept."""
    if int(request.headers.get("Content-Length") or 0) > WEBHOOK_MAX_BYTES:
        return _error("too large", 413)
    body = request.body
    if not signature_is_valid(request, body):
        return _error("bad signature", 403)
    try:
        report = json.loads(body)
        kind, email = report["type"], report["email"]
    except (ValueError, KeyError, TypeError, RecursionError):  # RecursionError: nested too deep
        return _error("expected a JSON object with type and email", 400)
    if kind not in ("bounce", "complaint") or not isinstance(email, str) or "@" not in email:
        return _error("unknown type or address", 400)
    if kind == "bounce" and not report.get("permanent", True):
        return JsonResponse({"recorded": False})  # a soft bounce: the next mailing tries again
    Suppression.objects.get_or_create(
        email_hash=email_hash(email),
        defaults={
            "reason": Suppression.Reason.COMPLAINT
            if kind == "complaint"
            else Suppression.Reason.BOUNCE
        },
    )
    if kind == "complaint" and (supporter := Supporter.objects.with_email(email).first()):
        supporters.withdraw_consents(supporter)
    return JsonResponse({"recorded": True})
