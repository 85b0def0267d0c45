from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from tadamun.aid.models import (
    AidOrganisation,
    AidOrganisationTranslation,
    Appeal,
    AppealTranslation,
    Sector,
)
from tadamun.core.admin import HTTPS_BY_DEFAULT, ReaderTitles, TranslationAdmin, TranslationInline

ORGANISATION_FIELDS = [
    "title",
    "slug",
    "status",
    "language",
    "summary",
    "body",
    "countries_served",
    "areas_served",
    "registration_country",
    "registration_number",
    "website",
    "donation_url",
    "verified_by",
    "verified_on",
    "campaigns",
]


def _https_by_default(db_field, **kwargs):
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


class AidOrganisationForm(forms.ModelForm):
    """The sectors as checkboxes, kept in the model as "|medical|food|"."""

    sector_choices = forms.MultipleChoiceField(
        label=_("sectors"), choices=Sector.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = AidOrganisation
        fields = ORGANISATION_FIELDS
        formfield_callback = _https_by_default

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector_choices"].initial = self.instance.sector_list

    def save(self, commit=True):
        self.instance.sector_list = self.cleaned_data["sector_choices"]
        return super().save(commit)


class NeedsReverificationFilter(admin.SimpleListFilter):
    title = _("verification")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", _("Not verified for six months"))]

    def queryset(self, request, queryset):
        if self.value() != "yes":
            return queryset
        stale = [o.pk for o in queryset.only("verified_on") if o.needs_reverification()]
        return queryset.filter(pk__in=stale)


class AidOrganisationTranslationInline(TranslationInline):
    model = AidOrganisationTranslation


@admin.register(AidOrganisation)
class AidOrganisationAdmin(ReaderTitles, admin.ModelAdmin):
    form = AidOrganisationForm
    formfield_overrides = HTTPS_BY_DEFAULT
    list_display = ["title", "status", "verified_by", "verified_on", "needs_reverification"]
    list_filter = ["status", "campaigns", NeedsReverificationFilter]
    filter_horizontal = ["campaigns"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["verified_by"]
    fields = [*ORGANISATION_FIELDS[:6], "sector_choices", *ORGANISATION_FIELDS[6:]]
    inlines = [AidOrganisationTranslationInline]

    @admin.display(boolean=True, description=_("needs re-verification"))
    def needs_reverification(self, obj):
        return obj.needs_reverification()


class AppealTranslationInline(TranslationInline):
    model = AppealTranslation


@admin.register(Appeal)
class AppealAdmin(ReaderTitles, admin.ModelAdmin):
    formfield_overrides = HTTPS_BY_DEFAULT
    list_display = ["title", "organisation", "sector", "starts_on", "ends_on"]
    list_filter = ["sector", "organisation"]
    fields = [
        "organisation",
        "title",
        "sector",
        "starts_on",
        "ends_on",
        "donation_url",
        "language",
        "summary",
        "body",
    ]
    inlines = [AppealTranslationInline]


@admin.register(AidOrganisationTranslation)
class AidOrganisationTranslationAdmin(TranslationAdmin):
    pass


@admin.register(AppealTranslation)
class AppealTranslationAdmin(TranslationAdmin):
    pass
