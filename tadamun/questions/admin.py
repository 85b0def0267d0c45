from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tadamun.coalition.access import held_to_their_organisations, organisations_for, questions_for
from tadamun.coalition.member_admin import TheirOrganisationsOnly
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
class QuestionAdmin(TheirOrganisationsOnly, ReaderTitles, admin.ModelAdmin):
    form = QuestionForm
    list_display = ["title", "key", "kind", "required", "petition", "event", "letter_campaign"]
    list_filter = ["kind"]
    search_fields = ["title", "key"]
    raw_id_fields = ["petition", "event", "letter_campaign"]
    inlines = [QuestionTranslationInline]

    def get_fields(self, request, obj=None):
        return ["petition", "event", "letter_campaign", *FIELDS]

    # An organisation's organisers ask questions on their organisations' own actions only:
    # they list, change and delete those, and attach new ones to those (coalition.access).
    reach = staticmethod(questions_for)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in Question.ACTION_FIELDS and held_to_their_organisations(request.user):
            related = db_field.related_model._default_manager
            kwargs["queryset"] = related.filter(organisation__in=organisations_for(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(QuestionTranslation)
class QuestionTranslationAdmin(TranslationAdmin):
    translated_fields = ["title", "summary", "options"]

    def get_queryset(self, request):
        questions = questions_for(request.user, Question.objects.all())
        return super().get_queryset(request).filter(question__in=questions)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "question":
            kwargs["queryset"] = questions_for(request.user, Question.objects.all())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
