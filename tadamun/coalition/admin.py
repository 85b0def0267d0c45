from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tadamun.coalition import access, services
from tadamun.coalition.models import Campaign, CampaignTranslation, Endorsement, Organisation
from tadamun.core.admin import TranslationAdmin, TranslationInline


class CampaignTranslationInline(TranslationInline):
    model = CampaignTranslation


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "starts_on", "ends_on", "language", "version"]
    list_filter = ["status"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    fields = ["title", "slug", "status", "starts_on", "ends_on", "language", "summary", "body"]
    inlines = [CampaignTranslationInline]


@admin.register(CampaignTranslation)
class CampaignTranslationAdmin(TranslationAdmin):
    pass


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "kind", "endorsement_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name"]
    filter_horizontal = ["organisers"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(endorsement_count=Count("endorsements"))
        return access.organisations_for(request.user, queryset)

    def get_exclude(self, request, obj=None):
        # Only those who see every organisation may name its organisers: an organiser must
        # not be able to add accounts to their own organisation.
        return [] if access.sees_all_organisations(request.user) else ["organisers"]

    @admin.display(description=_("endorsements"), ordering="endorsement_count")
    def endorsement_count(self, obj):
        return obj.endorsement_count


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ["organisation", "country", "campaign", "status", "created_at", "confirmed_at"]
    list_filter = ["status", "campaign"]
    list_select_related = ["organisation", "campaign"]
    search_fields = ["organisation__name"]
    actions = ["approve", "reject"]
    fields = [
        "campaign",
        "organisation",
        "status",
        "public_message",
        "contact_name",
        "contact_email",
        "language",
        "created_at",
        "confirmed_at",
        "moderated_at",
        "moderated_by",
        "moderation_note",
    ]
    # Moderators edit only what the organisation shows and the note sent back to it.
    readonly_fields = [f for f in fields if f not in ("public_message", "moderation_note")]
    change_list_template = "admin/coalition/endorsement/change_list.html"

    def get_queryset(self, request):
        return access.endorsements_for(request.user, super().get_queryset(request))

    def has_add_permission(self, request):
        return False  # endorsements come from the public form, confirmed by their contact

    def has_moderate_permission(self, request):
        return request.user.has_perm("coalition.moderate_endorsement")

    @admin.display(description=_("country"), ordering="organisation__country")
    def country(self, obj):
        return obj.organisation.country.name

    def changelist_view(self, request, extra_context=None):
        counts = dict(
            self.get_queryset(request).values_list("status").annotate(n=Count("pk")).order_by()
        )
        extra_context = {
            **(extra_context or {}),
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in Endorsement.Status.choices
            ],
        }
        return super().changelist_view(request, extra_context)

    @admin.action(description=_("Approve the selected endorsements"), permissions=["moderate"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, approve=True)

    @admin.action(description=_("Reject the selected endorsements"), permissions=["moderate"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, approve=False)

    def _moderate(self, request, queryset, *, approve):
        changed = services.moderate_endorsements(queryset, approve=approve, by=request.user)
        skipped = queryset.count() - changed
        if approve:
            message = ngettext("%d endorsement approved.", "%d endorsements approved.", changed)
        else:
            message = ngettext("%d endorsement rejected.", "%d endorsements rejected.", changed)
        self.message_user(request, message % changed, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%d endorsement left as it was: email not confirmed, or already so.",
                    "%d endorsements left as they were: email not confirmed, or already so.",
                    skipped,
                )
                % skipped,
                messages.WARNING,
            )
