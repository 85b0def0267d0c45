from django.contrib import admin

from tadamun.core.admin import HTTPS_BY_DEFAULT, ReaderTitles, TranslationAdmin, TranslationInline
from tadamun.rebuttals.models import Claim, ClaimTranslation, Source, Tag


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1
    formfield_overrides = HTTPS_BY_DEFAULT


class ClaimTranslationInline(TranslationInline):
    model = ClaimTranslation
    fields = ["language", "title", "summary", "seen_in", "body", "outdated", "matches_source"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


@admin.register(Claim)
class ClaimAdmin(ReaderTitles, admin.ModelAdmin):
    list_display = ["title", "verdict", "published", "published_at", "updated_at"]
    list_filter = ["verdict", "published", "campaigns", "tags"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["tags", "campaigns"]
    fields = [
        "title",
        "slug",
        "verdict",
        "seen_in",
        "tags",
        "campaigns",
        "published",
        "published_at",
        "language",
        "summary",
        "body",
    ]
    inlines = [SourceInline, ClaimTranslationInline]


@admin.register(ClaimTranslation)
class ClaimTranslationAdmin(TranslationAdmin):
    translated_fields = ["title", "summary", "seen_in", "body"]
