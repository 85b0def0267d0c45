from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tadamun.supporters import services
from tadamun.supporters.models import Consent, Supporter


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["purpose", "organisation", "wording", "source", "given_at", "withdrawn_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Supporter)
class SupporterAdmin(admin.ModelAdmin):
    """Supporters are read here, never typed in: they come from the public forms."""

    list_display = ["__str__", "country", "language", "source", "created_at"]
    list_filter = ["language", "country"]
    fields = ["email", "name", "country", "language", "source", "created_at", "updated_at"]
    readonly_fields = fields
    inlines = [ConsentInline]
    search_help_text = None
    actions = ["erase"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # Deleting would leave their signatures' names and comments behind: erase instead.
        return False

    @admin.action(description=_("Erase the selected supporters (their signatures stay counted)"))
    def erase(self, request, queryset):
        count = 0
        for supporter in queryset:
            services.erase(supporter)
            count += 1
        self.message_user(
            request, ngettext("%d supporter erased.", "%d supporters erased.", count) % count
        )

    def get_search_results(self, request, queryset, search_term):
        """Search by exact email address, through its keyed hash."""
        if search_term and "@" in search_term:
            return queryset.with_email(search_term), False
        return super().get_search_results(request, queryset, search_term)

    search_fields = ["source"]
