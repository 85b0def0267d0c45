from django.contrib import admin

from tadamun.core.admin import ReaderTitles, TranslationAdmin, TranslationInline
from tadamun.publications.models import Publication, PublicationTranslation


class PublicationTranslationInline(TranslationInline):
    model = PublicationTranslation


@admin.register(Publication)
class PublicationAdmin(ReaderTitles, admin.ModelAdmin):
    list_display = ["title", "kind", "campaign", "status", "published_at", "language", "version"]
    list_filter = ["kind", "status", "campaign"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["other_campaigns"]
    fields = [
        "campaign",
        "other_campaigns",
        "kind",
        "title",
        "slug",
        "status",
        "published_at",
        "language",
        "summary",
        "body",
    ]
    inlines = [PublicationTranslationInline]


@admin.register(PublicationTranslation)
class PublicationTranslationAdmin(TranslationAdmin):
    pass
