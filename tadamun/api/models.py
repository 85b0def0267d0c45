"""API tokens of partner organisations (OSDI). Only a keyed hash of each token is stored:
the token itself is shown once, when it is made."""

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.core.privacy import keyed_hash


def token_hash(key: str) -> str:
    return keyed_hash("api-token", key)


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        "coalition.Organisation",
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("partner organisation"),
        help_text=_("The token sees only the supporters who agreed to share with this partner."),
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
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.organisation} · {self.name} ({self.prefix}…)"

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
