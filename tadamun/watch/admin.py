from django.contrib import admin

from tadamun.core.admin import HTTPS_BY_DEFAULT, ReaderTitles, TranslationAdmin, TranslationInline
from tadamun.watch.models import Source, WatchItem, WatchItemTranslation


class SourceInline(admin.TabularInline):
    model = Source
    extra = 1
    formfield_overrides = HTTPS_BY_DEFAULT


class WatchItemTranslationInline(TranslationInline):
    model = WatchItemTranslation
    fields = ["language", "title", "actor", "summary", "body", "outdated", "matches_source"]


@admin.register(WatchItem)
class WatchItemAdmin(ReaderTitles, admin.ModelAdmin):
    list_display = ["title", "actor", "country", "happened_on", "status", "published"]
    list_filter = ["status", "published", "campaigns", "country"]
    filter_horizontal = ["campaigns"]
    search_fields = ["title", "actor"]
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        "title",
        "slug",
        "actor",
        "country",
        "happened_on",
        "status",
        "published",
        "letter_campaign",
        "campaigns",
        "language",
        "summary",
        "body",
    ]
    inlines = [SourceInline, WatchItemTranslationInline]


@admin.register(WatchItemTranslation)
class WatchItemTranslationAdmin(TranslationAdmin):
    translated_fields = ["title", "actor", "summary", "body"]
