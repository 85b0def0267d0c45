from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tadamun.core.admin import HTTPS_BY_DEFAULT, TranslationAdmin, TranslationInline
from tadamun.letters import imports
from tadamun.letters.models import (
    Delivery,
    Letter,
    LetterCampaign,
    LetterCampaignTranslation,
    Target,
    TargetGroup,
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Columns: reference, name, title, institution, country (code or English name), "
            "email, contact_form, groups (separated by |), active (yes or no). UTF-8; commas "
            "or semicolons."
        ),
    )


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "official_count"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(official_count=Count("targets"))

    @admin.display(description=gettext_lazy("officials"), ordering="official_count")
    def official_count(self, obj):
        return obj.official_count


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "institution", "country", "email", "active"]
    list_filter = ["active", "groups", "country"]
    search_fields = ["name", "role", "institution", "reference"]
    filter_horizontal = ["groups"]
    formfield_overrides = HTTPS_BY_DEFAULT
    change_list_template = "admin/letters/target/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="letters_target_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        """Import officials from a CSV file: every row checked, then all saved or none."""
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        report = None
        if request.method == "POST" and form.is_valid():
            try:
                report = imports.import_targets(form.cleaned_data["file"].read())
            except imports.ImportRefused as refused:
                form.add_error("file", str(refused))
            else:
                if not report.problems:
                    self.message_user(
                        request,
                        _(
                            "Imported %(rows)s rows: %(created)s new officials, %(updated)s "
                            "updated, %(unchanged)s unchanged."
                        )
                        % {
                            "rows": report.rows,
                            "created": report.created,
                            "updated": report.updated,
                            "unchanged": report.unchanged,
                        },
                        messages.SUCCESS,
                    )
                    return redirect(reverse("admin:letters_target_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import officials from a CSV file"),
            "form": form,
            "report": report,
        }
        return TemplateResponse(
            request,
            "admin/letters/target/import.html",
            context,
            status=200 if report is None or not report.problems else 400,
        )


class LetterCampaignTranslationInline(TranslationInline):
    model = LetterCampaignTranslation
    fields = [
        "language",
        "title",
        "summary",
        "body",
        "subject",
        "letter",
        "outdated",
        "matches_source",
    ]


@admin.register(LetterCampaign)
class LetterCampaignAdmin(admin.ModelAdmin):
    list_display = ["title", "campaign", "group", "choice", "delivery", "status", "letters"]
    list_filter = ["status", "delivery", "campaign"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        "campaign",
        "title",
        "slug",
        "status",
        "group",
        "choice",
        "delivery",
        "language",
        "summary",
        "body",
        "subject",
        "letter",
    ]
    inlines = [LetterCampaignTranslationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(letter_count=Count("letters"))

    @admin.display(description=gettext_lazy("letters"), ordering="letter_count")
    def letters(self, obj):
        return obj.letter_count


@admin.register(LetterCampaignTranslation)
class LetterCampaignTranslationAdmin(TranslationAdmin):
    translated_fields = ["title", "summary", "body", "subject", "letter"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["target", "status", "attempts", "not_before", "sent_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    """Letters are read here, never written: what the writer wrote is theirs."""

    list_display = ["__str__", "campaign", "status", "country", "language", "created_at"]
    list_filter = ["status", "campaign", "country"]
    fields = ["campaign", "status", "country", "language", "created_at", "confirmed_at"]
    readonly_fields = fields
    inlines = [DeliveryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
