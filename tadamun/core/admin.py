"""Admin pieces shared by every translatable model, and the site identity's admin."""

from django import forms
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import F, Prefetch
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tadamun.core import colours, images
from tadamun.core.identity import Picture
from tadamun.core.models import SiteIdentity, SiteIdentityTranslation, SiteTexts, Translatable

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


class ReaderTitles:
    """A list mixin: the title of each translatable object in the list (its own, and those of
    the translatable objects its columns name, a petition's campaign say) is shown in the
    staff member's language where a translation exists, like the public pages show them."""

    def get_list_display(self, request):
        return [self._in_reader_language(name) for name in super().get_list_display(request)]

    def get_queryset(self, request):
        language = get_language()
        queryset = super().get_queryset(request)
        if issubclass(self.model, Translatable):
            queryset = queryset.for_reader(language)
        for name in self._translatable_columns():
            related = self.model._meta.get_field(name).related_model
            translations = related._meta.get_field("translations").related_model
            wanted = translations.objects.filter(language=language)
            queryset = queryset.prefetch_related(Prefetch(f"{name}__translations", wanted))
        return queryset

    def _translatable_columns(self) -> list[str]:
        names = []
        for name in self.list_display:
            if not isinstance(name, str) or not name.isidentifier():
                continue
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.is_relation and issubclass(field.related_model or object, Translatable):
                names.append(name)
        return names

    def _in_reader_language(self, name):
        if name == "title" and issubclass(self.model, Translatable):
            label = self.model._meta.get_field("title").verbose_name
            return admin.display(description=label, ordering="title")(_reader_title)
        if name in self._translatable_columns():
            field = self.model._meta.get_field(name)

            @admin.display(description=field.verbose_name, ordering=name)
            def column(obj):
                related = getattr(obj, name)
                return _reader_title(related) if related is not None else "—"

            return column
        return name


def _reader_title(obj) -> str:
    return obj.localized(get_language()).title


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


class SiteIdentityForm(forms.ModelForm):
    """Colours checked for contrast; images re-encoded at every size they are served in."""

    logo_upload = forms.FileField(
        label=_("new logo"),
        required=False,
        validators=[images.validate_logo],
        help_text=_("PNG, JPEG, WebP or GIF; shown in the page header, 48 pixels high."),
    )
    remove_logo = forms.BooleanField(label=_("remove the logo"), required=False)
    hero_upload = forms.FileField(
        label=_("new hero image"),
        required=False,
        validators=[images.validate_picture],
        help_text=_("A wide photograph for the home page, at least 1600 pixels wide."),
    )
    remove_hero = forms.BooleanField(label=_("remove the hero image"), required=False)

    class Meta:
        model = SiteIdentity
        fields = [
            "language",
            *SiteTexts.text_fields,
            "sender_address",
            "main_colour",
            "second_colour",
        ]

    def clean_main_colour(self):
        return self._colour("main_colour")

    def clean_second_colour(self):
        return self._colour("second_colour")

    def _colour(self, name: str) -> str:
        value = self.cleaned_data.get(name, "")
        if not value:
            return ""
        colours.validate_colour(value)
        return colours.normalise(value)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("second_colour") and not cleaned.get("main_colour"):
            self.add_error("main_colour", _("Give the main colour as well as the second."))
        return cleaned

    def save(self, commit=True):
        identity = super().save(commit=False)
        replaced = []
        for name, upload_field, remove_field, sizes in (
            ("logo", "logo_upload", "remove_logo", images.LOGO),
            ("hero", "hero_upload", "remove_hero", images.HERO),
        ):
            upload = self.cleaned_data.get(upload_field)
            if upload or self.cleaned_data.get(remove_field):
                new = images.store_picture(upload, sizes) if upload else {}
                replaced.append((getattr(identity, name), new))
                setattr(identity, name, new)
        if commit:
            identity.save()
        # The old files go once the record no longer names them.
        transaction.on_commit(
            lambda: [images.delete_picture(old, keep=new) for old, new in replaced]
        )
        return identity


class SiteIdentityTranslationInline(TranslationInline):
    model = SiteIdentityTranslation
    fields = ["language", *SiteTexts.text_fields, "outdated", "matches_source"]


@admin.register(SiteIdentity)
class SiteIdentityAdmin(ReaderTitles, admin.ModelAdmin):
    """One record, made by the migration: edited, never added or deleted."""

    form = SiteIdentityForm
    list_display = ["__str__", "title", "language", "updated_at"]
    readonly_fields = ["current_logo", "current_hero"]
    inlines = [SiteIdentityTranslationInline]
    fieldsets = [
        (
            _("Name and texts"),
            {
                "fields": [
                    "language",
                    "title",
                    "summary",
                    "letters_intro",
                    "rebuttals_intro",
                    "aid_intro",
                    "api_message",
                ],
                "description": _("Leave a field blank to keep the neutral text, translated."),
            },
        ),
        (_("Email"), {"fields": ["sender_name", "sender_address", "sign_off", "letter_footer"]}),
        (
            _("Look"),
            {
                "fields": [
                    "main_colour",
                    "second_colour",
                    "current_logo",
                    "logo_upload",
                    "remove_logo",
                    "current_hero",
                    "hero_upload",
                    "remove_hero",
                    "hero_alt",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("logo"))
    def current_logo(self, obj):
        return _preview(Picture.of(obj.logo, by_height=True), 48)

    @admin.display(description=_("hero image"))
    def current_hero(self, obj):
        return _preview(Picture.of(obj.hero, by_height=False), 120)


def _preview(picture: Picture | None, height: int) -> str:
    if picture is None:
        return "—"
    return format_html('<img src="{}" alt="" height="{}">', picture.src, height)


@admin.register(SiteIdentityTranslation)
class SiteIdentityTranslationAdmin(TranslationAdmin):
    translated_fields = list(SiteTexts.text_fields)
