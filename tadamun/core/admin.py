"""Admin pieces shared by every translatable model."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import F
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

# Admin forms read an address typed without a scheme as https:// (Django 6's default).
HTTPS_BY_DEFAULT = {models.URLField: {"assume_scheme": "https"}}


class OutdatedFilter(admin.SimpleListFilter):
    title = _("translation state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("outdated", _("Outdated")), ("current", _("Up to date"))]

    def queryset(self, request, queryset):
        source_version = F(f"{queryset.model.source_field}__version")
        if self.value() == "outdated":
            return queryset.filter(source_version__lt=source_version)
        if self.value() == "current":
            return queryset.filter(source_version__gte=source_version)
        return queryset


class TranslationForm(forms.ModelForm):
    matches_source = forms.BooleanField(
        label=_("Matches the current source"),
        required=False,
        help_text=_(
            "Tick once the translation says everything the source says now; this clears the "
            "“outdated” flag."
        ),
    )

    def save(self, commit=True):
        if self.cleaned_data.get("matches_source"):
            self.instance.mark_current()
        return super().save(commit)


class TranslationInline(admin.StackedInline):
    extra = 0
    form = TranslationForm
    fields = ["language", "title", "summary", "body", "outdated", "matches_source"]
    readonly_fields = ["outdated"]

    @admin.display(description=_("outdated"), boolean=True)
    def outdated(self, obj):
        return obj.is_outdated if obj.pk else None


class TranslationAdmin(admin.ModelAdmin):
    """Where translators work: the source text beside the translation they edit."""

    form = TranslationForm
    list_display = ["__str__", "language", "outdated", "updated_at"]
    list_filter = ["language", OutdatedFilter]
    readonly_fields = ["outdated", "source_text"]
    translated_fields = ["title", "summary", "body"]

    def get_fields(self, request, obj=None):
        return [
            self.model.source_field,
            "language",
            "source_text",
            *self.translated_fields,
            "outdated",
            "matches_source",
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(self.model.source_field)

    @admin.display(description=_("outdated"), boolean=True)
    def outdated(self, obj):
        return obj.is_outdated

    @admin.display(description=_("source text"))
    def source_text(self, obj):
        source = obj.source
        return format_html(
            '<strong>{}</strong><p>{}</p><pre class="tadamun-source">{}</pre>',
            source.title,
            source.summary,
            source.body,
        )
