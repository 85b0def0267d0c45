from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tadamun.coalition.models import Campaign
from tadamun.core.models import Translatable, TranslatableQuerySet, Translation


class PublicationQuerySet(TranslatableQuerySet):
    def published(self):
        return self.filter(
            status=Publication.Status.PUBLISHED, published_at__lte=timezone.now()
        ).exclude(campaign__status=Campaign.Status.DRAFT)


class Publication(Translatable):
    """A statement, article or booklet of a campaign, written in one language and translated."""

    class Kind(models.TextChoices):
        STATEMENT = "statement", _("Statement")
        ARTICLE = "article", _("Article")
        BOOKLET = "booklet", _("Booklet")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="publications", verbose_name=_("campaign")
    )
    other_campaigns = models.ManyToManyField(
        Campaign,
        blank=True,
        related_name="shared_publications",
        verbose_name=_("also part of"),
        help_text=_("Other campaigns whose pages show it too."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ARTICLE)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("publications:detail", args=[self.slug])


class PublicationTranslation(Translation):
    source_field = "publication"

    publication = models.ForeignKey(
        Publication,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("publication"),
    )

    class Meta:
        verbose_name = _("publication translation")
        verbose_name_plural = _("publication translations")
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "language"], name="one_publication_translation_per_language"
            )
        ]
