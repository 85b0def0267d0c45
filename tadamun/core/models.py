"""Translatable content shared by campaigns and publications.

A translatable object holds its text in a source language and counts versions of that text.
Each translation records the source version it was made from, so a translation whose source
has since changed is flagged outdated instead of silently drifting.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from tadamun.core.crypto import EncryptedBinaryField
from tadamun.core.markdown import render_markdown
from tadamun.core.prepared import PreparedRead, as_prefetched
from tadamun.core.text import validate_plain_text, validate_single_line, validate_web_address
from tadamun.vault.sealing import SealedTextField


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
        return self.prefetch_related(reader_translation(self.model, language))


def first_for_reader(found: list, language: str, *readers):
    """The first of `found` (or None) with the translation a reader of `language` needs,
    then given to each of `readers(obj, language)` (questions.queries.read_asked): what
    `for_reader().prefetch_related(...).first()` gives, for objects read otherwise
    (core/prepared.py), with no query built per request."""
    if not found:
        return None
    obj = found[0]
    read_for_reader(obj, language)
    for reader in readers:
        reader(obj, language)
    return obj


# The reader's translation of each kind of Translatable, its SQL built once per process.
_READER_TRANSLATIONS: dict[type, PreparedRead] = {}


def read_for_reader(obj: "Translatable", language: str) -> None:
    """Give `obj` the translation a reader of `language` needs, as `for_reader()` does:
    none when `language` is its source language (its `localized` then reads no
    translation), else one prepared read."""
    if language == obj.language:
        as_prefetched(obj, "translations", [])
        return
    model = type(obj)
    if (read := _READER_TRANSLATIONS.get(model)) is None:
        field = model._meta.get_field("translations").field
        read = _READER_TRANSLATIONS[model] = PreparedRead(
            lambda source, language: field.model.objects.filter(
                **{field.attname: source}, language=language
            ),
            int,
            str,
        )
    as_prefetched(obj, "translations", read(obj.pk, language))


def related_reader(name: str):
    """A reader for `first_for_reader`: the translation of the object's `name` (a
    Translatable read with it through select_related), which its page shows too."""

    def read(obj, language: str) -> None:
        read_for_reader(getattr(obj, name), language)

    return read


def reader_translation(model, language: str | None = None) -> Prefetch:
    """The prefetch of `for_reader()`, for objects read otherwise (core/prepared.py)."""
    translations = model._meta.get_field("translations").related_model
    return Prefetch(
        "translations", translations.objects.filter(language=language or get_language())
    )


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


class SiteTexts(models.Model):
    """The site identity's translated texts, in the source record and in each translation.
    A blank field means the neutral default (translated in every language), and in a
    translation, the source's text. `title` is the site's name, `summary` its description."""

    title = models.CharField(
        _("site name"), max_length=80, blank=True, validators=[validate_single_line]
    )
    summary = models.CharField(
        _("short description"),
        max_length=300,
        blank=True,
        validators=[validate_single_line],
        help_text=_("One sentence: what search engines and link previews show."),
    )
    sender_name = models.CharField(
        _("sender name"),
        max_length=80,
        blank=True,
        validators=[validate_single_line],
        help_text=_("The name emails come from. Blank: the site name."),
    )
    sign_off = models.CharField(
        _("email sign-off"), max_length=120, blank=True, validators=[validate_single_line]
    )
    letter_footer = models.TextField(
        _("footer of letters to officials"),
        max_length=600,
        blank=True,
        validators=[validate_plain_text],
        help_text=_("Plain text under every letter an official receives; {name} is the writer."),
    )
    letters_intro = models.TextField(
        _("letters page introduction"), max_length=600, blank=True, validators=[validate_plain_text]
    )
    rebuttals_intro = models.TextField(
        _("rebuttals page introduction"),
        max_length=600,
        blank=True,
        validators=[validate_plain_text],
    )
    aid_intro = models.TextField(
        _("aid directory introduction"),
        max_length=600,
        blank=True,
        validators=[validate_plain_text],
    )
    api_message = models.CharField(
        _("API welcome message"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("The message of the OSDI entry point (/api/osdi/)."),
    )
    hero_alt = models.CharField(
        _("hero image description"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("What the hero image shows, for people who cannot see it."),
    )

    text_fields = (
        "title",
        "summary",
        "sender_name",
        "sign_off",
        "letter_footer",
        "letters_intro",
        "rebuttals_intro",
        "aid_intro",
        "api_message",
        "hero_alt",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.forget()

    def delete(self, *args, **kwargs):
        deleted = super().delete(*args, **kwargs)
        self.forget()
        return deleted

    @staticmethod
    def forget():
        """Drop the cached identity now and once the change commits (a page read meanwhile
        may have cached the old one)."""
        from tadamun.core.identity import forget_site_identity

        forget_site_identity()
        transaction.on_commit(forget_site_identity)

    def render(self):
        """No Markdown body to render."""


class SiteIdentity(SiteTexts, Translatable):
    """The one record of who runs the site and how it looks (DESIGN.md, principle 8): every
    page, email, letter and the API read it through `core.identity.site_identity()`."""

    body = None  # no Markdown body: its texts are the fields of SiteTexts
    body_html = None

    sender_address = models.EmailField(
        _("sender address"),
        blank=True,
        help_text=_("The address emails come from. Blank: the server's DEFAULT_FROM_EMAIL."),
    )
    main_colour = models.CharField(
        _("main colour"),
        max_length=7,
        blank=True,
        help_text=_("Links and buttons, e.g. #0b6b50. Blank: the default design's."),
    )
    second_colour = models.CharField(
        _("second colour"),
        max_length=7,
        blank=True,
        help_text=_("Figures and buttons under the pointer. Blank: a darker main colour."),
    )
    # What core.images.store_picture() made of the uploads: their sizes and file names.
    logo = models.JSONField(_("logo"), default=dict, blank=True, editable=False)
    hero = models.JSONField(_("hero image"), default=dict, blank=True, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = TranslatableQuerySet.as_manager()

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")

    def __str__(self):
        return str(_("Site identity"))

    def save(self, *args, **kwargs):
        self.pk = 1  # the one record
        super().save(*args, **kwargs)


class SiteIdentityTranslation(SiteTexts, Translation):
    source_field = "identity"
    body = None
    body_html = None

    identity = models.ForeignKey(
        SiteIdentity,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("site identity"),
    )

    class Meta:
        verbose_name = _("site identity translation")
        verbose_name_plural = _("site identity translations")
        constraints = [
            models.UniqueConstraint(
                fields=["identity", "language"], name="one_site_identity_translation_per_language"
            )
        ]


class ImportJob(models.Model):
    """A CSV file uploaded in the admin, checked and imported by a worker while the admin
    shows its progress (core.imports)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a worker")
        CHECKING = "checking", _("Checking the rows")
        PREVIEWED = "previewed", _("Checked: waiting for your confirmation")
        SAVING = "saving", _("Saving")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Nothing imported")

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    filename = models.CharField(_("file"), max_length=200)
    data = EncryptedBinaryField(editable=False)
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    rows = models.PositiveIntegerField(_("rows"), default=0)
    checked = models.PositiveIntegerField(_("rows checked"), default=0)
    report = models.JSONField(_("report"), default=dict, editable=False)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.WAITING, self.Status.CHECKING, self.Status.SAVING)


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


class SealedSubmission(models.Model):
    """A form's submission accepted while the vault was locked (core/intake.py): the call of
    its service, sealed to the vault's public key, waiting for a worker after unlock. It
    lives until the unlock; the worker deletes it in the transaction that records it."""

    kind = models.CharField(max_length=200)  # the service: "module.function"
    sealed = SealedTextField()  # {"email", "args", "kwargs"} as typed JSON
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.kind} #{self.pk}"
