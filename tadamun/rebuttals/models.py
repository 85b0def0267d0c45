"""Claims as they circulate and the coalition's answers: each with a verdict, its sources and
translations. A claim is about what is said, never about who says it: no page profiles a
person."""

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tadamun.core.models import SourceBase, Translatable, TranslatableQuerySet, Translation
from tadamun.core.text import validate_plain_text
from tadamun.rebuttals.search import index_text


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    names = models.JSONField(
        _("names in other languages"),
        default=dict,
        blank=True,
        help_text=_('For example {"ar": "الصحة", "fr": "santé"}.'),
    )

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def name_in(self, language: str) -> str:
        name = self.names.get(language) if isinstance(self.names, dict) else None
        return name if isinstance(name, str) and name else self.name


class ClaimQuerySet(TranslatableQuerySet):
    def published(self):
        return self.filter(published=True)


class Claim(Translatable):
    """`title` is the claim as it circulates, `summary` the answer in a sentence or two,
    `body` the rebuttal (Markdown), `seen_in` where it circulates (all translatable)."""

    text_fields = ("title", "summary", "body", "seen_in")

    class Verdict(models.TextChoices):
        FALSE = "false", pgettext_lazy("verdict on a claim", "False")
        MISLEADING = "misleading", _("Misleading")
        LACKS_CONTEXT = "context", _("Lacks context")
        UNPROVEN = "unproven", _("Unproven")
        TRUE = "true", pgettext_lazy("verdict on a claim", "True")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    seen_in = models.TextField(
        _("where it circulates"),
        max_length=500,
        blank=True,
        validators=[validate_plain_text],
        help_text=_(
            "Where the claim is seen (a kind of outlet, a platform, a speech), not who said "
            "it: this library answers claims and keeps no files on people."
        ),
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims", verbose_name=_("tags"))
    campaigns = models.ManyToManyField(
        "coalition.Campaign",
        blank=True,
        related_name="claims",
        verbose_name=_("campaigns"),
        help_text=_("The campaigns whose pages show it. It may serve several."),
    )
    published = models.BooleanField(
        pgettext_lazy("shown on the site: yes or no", "published"), default=False
    )
    published_at = models.DateTimeField(_("published on"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Every word of the claim in every language, reduced for search (see rebuttals.search).
    search_text = models.TextField(editable=False, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("rebuttals:detail", args=[self.slug])

    def save(self, *args, **kwargs):
        self.search_text = index_text(self)
        super().save(*args, **kwargs)


class ClaimTranslation(Translation):
    source_field = "claim"

    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="translations", verbose_name=_("claim")
    )
    seen_in = models.TextField(
        _("where it circulates"), max_length=500, blank=True, validators=[validate_plain_text]
    )

    class Meta:
        verbose_name = _("claim translation")
        verbose_name_plural = _("claim translations")
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "language"], name="one_claim_translation_per_language"
            )
        ]

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The claim's search text holds every translation's words.
        Claim.objects.filter(pk=self.claim_id).update(search_text=index_text(self.claim))


class Source(SourceBase):
    claim = models.ForeignKey(
        Claim, on_delete=models.CASCADE, related_name="sources", verbose_name=_("claim")
    )

    class Meta(SourceBase.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")
