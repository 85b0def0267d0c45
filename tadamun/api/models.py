"""API tokens of partner organisations and the coalition's own (OSDI). Only a keyed hash of
each token is stored: the token itself is shown once, when it is made. What each kind reads is
decided in tadamun.supporters.partners (`reader`)."""

import json
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.core.crypto import EncryptedTextField
from tadamun.core.outgoing import validate_outgoing_url
from tadamun.core.privacy import keyed_hash


def token_hash(key: str) -> str:
    return keyed_hash("api-token", key)


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    class Kind(models.TextChoices):
        PARTNER = "partner", _("A partner organisation's token")
        COALITION = "coalition", _("The coalition's own token")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PARTNER)
    organisation = models.ForeignKey(
        "coalition.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("partner organisation"),
        help_text=_("A partner's token names its partner; the coalition's own token names none."),
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("Where it is used."))
    prefix = models.CharField(_("begins with"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        permissions = [("revoke_apitoken", _("Can revoke API tokens"))]
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="partner", organisation__isnull=False)
                | models.Q(kind="coalition", organisation__isnull=True),
                name="a_partner_token_names_its_partner",
            ),
        ]

    def __str__(self):
        owner = self.organisation or self.get_kind_display()
        return f"{owner} · {self.name} ({self.prefix}…)"

    def issue(self) -> str:
        """Give the token a new secret and return it (to be shown once)."""
        key = secrets.token_urlsafe(32)
        self.prefix = key[:8]
        self.key_hash = token_hash(key)
        return key

    def revoke(self) -> None:
        ApiToken.objects.filter(pk=self.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def token_for(key: str) -> ApiToken | None:
    return (
        ApiToken.objects.active()
        .select_related("organisation")
        .filter(key_hash=token_hash(key))
        .first()
    )


class WebhookEndpoint(models.Model):
    """Where a partner wants to hear of what happens, signed with its own secret."""

    class Event(models.TextChoices):
        SIGNATURE = "signature.confirmed", _("A signature is confirmed")
        ATTENDANCE = "attendance.confirmed", _("An attendance is confirmed")
        ENDORSEMENT = "endorsement.approved", _("An endorsement is approved")
        LETTER = "letter.sent", _("A letter is sent")

    organisation = models.ForeignKey(
        "coalition.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
        verbose_name=_("partner organisation"),
        help_text=_("Empty: the coalition's own endpoint."),
    )
    # Checked again at each delivery (tadamun.core.outgoing): names are resolved only then.
    url = models.URLField(_("address"), max_length=500, validators=[validate_outgoing_url])
    events = models.JSONField(_("events"), default=list)
    secret = EncryptedTextField(editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self):
        return f"{self.organisation or _('The coalition')} → {self.url}"

    def issue_secret(self) -> str:
        self.secret = secrets.token_urlsafe(32)
        return self.secret


class WebhookDelivery(models.Model):
    """One event sent (or being sent) to one endpoint: the log partners and admins read.

    The person an event is about is kept apart from the rest of the payload, encrypted and
    tied to their supporter record, only until the partner has it: it is forgotten once
    delivered (or given up), and erasure deletes the deliveries still waiting and unlinks
    the others (see api.personal_data).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))  # never personal data: see `person`
    person = EncryptedTextField(blank=True, default="", editable=False)  # JSON, until delivered
    supporter = models.ForeignKey(
        "supporters.Supporter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="webhook_deliveries",
        editable=False,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_status_code = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.event} → {self.endpoint_id}"

    @property
    def data(self) -> dict:
        """What the partner receives: the payload, and the person while it is kept, with
        their answers to the action's custom questions as its `custom_fields` (kept with the
        person, as personal as their name: see webhooks.Person)."""
        if not self.person:
            return self.payload
        person = json.loads(self.person)
        custom_fields = person.pop("custom_fields", {})
        return {**self.payload, "person": person, "custom_fields": custom_fields}

    def forget_person(self) -> None:
        """Drop the copy of the person (the link to their record stays, for "my data")."""
        WebhookDelivery.objects.filter(pk=self.pk).update(person="")
