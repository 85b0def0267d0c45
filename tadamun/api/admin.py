from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tadamun.api.models import ApiToken, WebhookDelivery, WebhookEndpoint


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made here (the secret is shown once, then only its first characters) and
    revoked here; they are never edited."""

    list_display = ["__str__", "organisation", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["organisation"]
    fields = ["organisation", "name"]
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

    def save_model(self, request, obj, form, change):
        secret = None if change else obj.issue_secret()
        super().save_model(request, obj, form, change)
        if secret:
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
