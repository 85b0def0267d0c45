from django import forms
from django.contrib import admin, messages
from django.utils.functional import lazy
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tadamun.api.models import ApiToken, WebhookDelivery, WebhookEndpoint
from tadamun.core.audit import record_access_given

# What each kind of token and endpoint will and will not see, said where it is made (the
# rules themselves live in tadamun.supporters.partners).
PARTNER_TOKEN_SEES = gettext_lazy(
    "A partner's token sees the people the partner submitted (only what it submitted) and "
    "the people who confirmed, themselves, that they share their data with that partner, with "
    "the actions their consent covers. It never sees anyone else, nor other partners' tags."
)
COALITION_TOKEN_SEES = gettext_lazy(
    "The coalition's own token sees every supporter who asked to hear from the coalition: "
    "name, email address, country, language, consents, confirmed signatures, attendances and "
    "letters, and the coalition's tags. It never sees anyone who did not ask to hear from the "
    "coalition, nor what partners submitted or their tags, and it cannot write."
)
PARTNER_HOOK_HEARS = gettext_lazy(
    "A partner's endpoint hears of the signatures the partner brought from people who share "
    "with it, of the answers and letters of people who share what they do on the site with it, "
    "and of approved endorsements. It hears of nobody else."
)
COALITION_HOOK_HEARS = gettext_lazy(
    "The coalition's own endpoint (no partner organisation) hears of the signatures, answers "
    "and letters of people who asked to hear from the coalition, and of approved endorsements. "
    "It hears of nobody else."
)


def _explained(*texts) -> str:
    """The fieldset description: each text a paragraph (the admin shows it unescaped)."""
    return format_html_join("", "<p>{}</p>", ((text,) for text in texts))


# Rendered in the reader's language, not the one active when this module is imported.
explained = lazy(_explained, str)


class TokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["kind", "organisation", "name"]

    def clean(self):
        """A partner's token names its partner; the coalition's own names none."""
        cleaned = super().clean()
        partner = cleaned.get("kind") == ApiToken.Kind.PARTNER
        if partner and not cleaned.get("organisation"):
            self.add_error("organisation", _("A partner's token names its partner."))
        if not partner and cleaned.get("organisation"):
            self.add_error("organisation", _("The coalition's own token names no partner."))
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made here (the secret is shown once, then only its first characters) and
    revoked here; they are never edited. Only the roles holding api.add_apitoken (coalition
    admins) make them; the audit trail records each one made (api.personal_data)."""

    form = TokenForm
    list_display = ["__str__", "kind", "organisation", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["kind", "organisation"]
    fieldsets = [
        (
            None,
            {
                "fields": ["kind", "organisation", "name"],
                "description": explained(PARTNER_TOKEN_SEES, COALITION_TOKEN_SEES),
            },
        )
    ]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_revoke_permission(self, request):
        return request.user.has_perm("api.revoke_apitoken")

    def save_model(self, request, obj, form, change):
        key = obj.issue()
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            _("The token is %(key)s. Copy it now: it is not shown again.") % {"key": key},
            messages.WARNING,
        )

    @admin.action(description=gettext_lazy("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
            count += 1
        self.message_user(
            request, ngettext("%d token revoked.", "%d tokens revoked.", count) % count
        )


class EndpointForm(forms.ModelForm):
    url = forms.URLField(label=gettext_lazy("address"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(
        label=gettext_lazy("events"),
        choices=WebhookEndpoint.Event.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["organisation", "url", "events", "active"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """The signing secret is shown once, when the endpoint is made."""

    form = EndpointForm
    list_display = ["__str__", "events", "active", "created_at"]
    list_filter = ["active", "organisation"]
    fieldsets = [
        (
            None,
            {
                "fields": ["organisation", "url", "events", "active"],
                "description": explained(PARTNER_HOOK_HEARS, COALITION_HOOK_HEARS),
            },
        )
    ]

    def save_model(self, request, obj, form, change):
        """A new endpoint gets its secret, and its making goes into the audit trail."""
        secret = None if change else obj.issue_secret()
        super().save_model(request, obj, form, change)
        if secret:
            record_access_given(obj, "webhook endpoint")
            self.message_user(
                request,
                _("The signing secret is %(secret)s. Copy it now: it is not shown again.")
                % {"secret": secret},
                messages.WARNING,
            )


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """The log of what was sent where, read-only."""

    list_display = ["event", "endpoint", "status", "attempts", "last_status_code", "created_at"]
    list_filter = ["status", "event"]
    readonly_fields = [
        "endpoint",
        "event",
        "status",
        "attempts",
        "last_status_code",
        "last_error",
        "created_at",
        "delivered_at",
    ]
    exclude = ["payload"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
