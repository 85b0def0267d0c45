"""Translatable content shared by campaigns and publications.

A translatable object holds its text in a source language and counts versions of that text.
Each translation records the source version it was made from, so a translation whose source
has since changed is flagged outdated instead of silently drifting.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from tadamun.core.markdown import render_markdown
from tadamun.core.text import validate_plain_text, validate_single_line, validate_web_address


class TranslatedText(models.Model):
    """Title, summary and Markdown body in one `language`; the body's HTML is rendered once,
    on save."""

    title = models.CharField(_("title"), max_length=200, validators=[validate_single_line])
    summary = models.TextField(
        _("summary"), max_length=1000, blank=True, validators=[validate_plain_text]
    )
    body = models.TextField(_("body"), blank=True, help_text=_("Markdown."))
    body_html = models.TextField(editable=False, blank=True)

    # The fields a translation carries; a subclass with more translated text adds its names.
    text_fields = ("title", "summary", "body")

    class Meta:
        abstract = True

    def render(self):
        self.body_html = render_markdown(self.body)

    def text_changed(self) -> bool:
        if self.pk is None:
            return True
        stored = type(self).objects.filter(pk=self.pk).values(*self.text_fields).first()
        return stored is None or any(stored[f] != getattr(self, f) for f in self.text_fields)


class TranslatableQuerySet(models.QuerySet):
    """The QuerySet of every `Translatable` model."""

    def for_reader(self, language: str | None = None):
        """With only the translation a reader of `language` (the active language) needs:
        a page reads one translation per object, not every language's."""
        translations = self.model._meta.get_field("translations").related_model
        wanted = translations.objects.filter(language=language or get_language())
        return self.prefetch_related(Prefetch("translations", wanted))


class Translatable(TranslatedText):
    """The source text of something translatable. Concrete models define a `translations`
    relation to a `Translation` subclass, and a QuerySet from `TranslatableQuerySet`."""

    language = models.CharField(
        _("source language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    version = models.PositiveIntegerField(_("source version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and self.text_changed():
            self.version += 1
        self.render()
        super().save(*args, **kwargs)

    def localized(self, language: str) -> "Localized":
        """The text to show a reader of `language`: their translation, else the source."""
        if language != self.language:
            for translation in self.translations.all():
                if translation.language == language:
                    return Localized(
                        translation,
                        self.language,
                        is_fallback=False,
                        is_outdated=translation.source_version < self.version,
                    )
        return Localized(
            self, self.language, is_fallback=language != self.language, is_outdated=False
        )


class Translation(TranslatedText):
    """A translation of a `Translatable`; subclasses add a foreign key named by `source_field`
    with related_name="translations"."""

    source_field = "source"

    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    source_version = models.PositiveIntegerField(
        _("translated from version"), default=0, editable=False
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.source} [{self.language}]"

    def save(self, *args, **kwargs):
        # A new translation is made from the source as it is now. Later edits do not clear the
        # "outdated" flag by themselves (fixing a typo does not translate a new section): the
        # translator says so explicitly, through mark_current().
        if self.pk is None:
            self.source_version = self.source.version
        self.render()
        super().save(*args, **kwargs)

    def mark_current(self) -> None:
        """The translator checked this translation against the source as it is now."""
        self.source_version = self.source.version

    @property
    def source(self) -> Translatable:
        return getattr(self, self.source_field)

    @property
    def is_outdated(self) -> bool:
        return self.source_version < self.source.version


@dataclass(frozen=True)
class Localized:
    """The text a reader gets: `title`, `summary`, `body_html` (and any other translated
    field) of the translation, or of the source when there is none."""

    text: TranslatedText
    source_language: str
    is_fallback: bool
    is_outdated: bool

    def __getattr__(self, name):
        return getattr(self.text, name)

    @property
    def language_info(self) -> dict:
        return get_language_info(self.language)


class SourceBase(models.Model):
    """Where something is reported, with an archived copy that survives the page changing
    (the watch list's moves, the rebuttals' claims). Subclasses add the foreign key."""

    title = models.CharField(_("title"), max_length=300, validators=[validate_single_line])
    url = models.URLField(_("address"), max_length=500, validators=[validate_web_address])
    archive_url = models.URLField(
        _("archived copy"),
        max_length=500,
        blank=True,
        validators=[validate_web_address],
        help_text=_("A copy in a web archive, e.g. https://web.archive.org/…"),
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["published_on", "pk"]

    def __str__(self):
        return self.title


class OutboxMessage(models.Model):
    """An email with a link that must go out once (core.outbox): written in the transaction
    that records what it is about, so no crash, lost queue job or mail outage can lose it.
    It names its object by kind and id only: the address and the link are read when sent."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENDING = "sending"
        SENT = "sent"
        SKIPPED = "skipped"  # nothing to send any more (confirmed, erased, withdrawn)
        FAILED = "failed"

    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    # Messages of one lane (a petition, an event, "your data" links...) share the batches
    # fairly with every other lane: a rush on one form does not hold up the others' links.
    lane = models.CharField(max_length=60)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    claim = models.CharField(max_length=16, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    not_before = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["status", "lane"], name="outbox_status_lane"),
            models.Index(fields=["status", "created_at"], name="outbox_status_created"),
            models.Index(fields=["kind", "object_id"], name="outbox_kind_object"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id} ({self.status})"
