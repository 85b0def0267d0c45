from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tadamun.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made here (the secret is shown once, then only its first characters) and
    revoked here; they are never edited."""

    list_display = ["__str__", "organisation", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["organisation"]
    fields = ["organisation", "name"]
    actions = ["revoke"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        key = obj.issue()
        super().save_model(request, obj, form, change)
        self.message_user(
            request,
            _("The token is %(key)s. Copy it now: it is not shown again.") % {"key": key},
            messages.WARNING,
        )

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            token.revoke()
            count += 1
        self.message_user(
            request, ngettext("%d token revoked.", "%d tokens revoked.", count) % count
        )
