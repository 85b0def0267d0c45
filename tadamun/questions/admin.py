from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tadamun.core.admin import ReaderTitles, TranslationAdmin, TranslationInline
from tadamun.questions.models import Question, QuestionTranslation

LABELS = {"title": _("question"), "summary": _("help text")}
FIELDS = ["key", "kind", "required", "position", "language", "title", "summary", "options"]


class QuestionForm(forms.ModelForm):
    class Meta:
        model = Question
        fields = FIELDS
        labels = LABELS


class QuestionInline(admin.StackedInline):
    """The custom questions of a petition, event or letter campaign, on its admin page; their
    translations are on each question's own page (the link beside it)."""

    model = Question
    form = QuestionForm
    fields = FIELDS
    extra = 0
    show_change_link = True


class QuestionTranslationInline(TranslationInline):
    model = QuestionTranslation
    fields = ["language", "title", "summary", "options", "outdated", "matches_source"]


@admin.register(Question)
class QuestionAdmin(ReaderTitles, admin.ModelAdmin):
    form = QuestionForm
    list_display = ["title", "key", "kind", "required", "petition", "event", "letter_campaign"]
    list_filter = ["kind"]
    search_fields = ["title", "key"]
    raw_id_fields = ["petition", "event", "letter_campaign"]
    inlines = [QuestionTranslationInline]

    def get_fields(self, request, obj=None):
        return ["petition", "event", "letter_campaign", *FIELDS]


@admin.register(QuestionTranslation)
class QuestionTranslationAdmin(TranslationAdmin):
    translated_fields = ["title", "summary", "options"]
