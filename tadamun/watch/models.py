"""The watch list: moves by governments and institutions that the campaign opposes or tracks
(a deportation agreement, an embassy reopening, an aid cut, a court ruling), each with its
sources and their archived copies."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from tadamun.core.models import SourceBase, Translatable, TranslatableQuerySet, Translation
from tadamun.core.text import validate_single_line

ACTOR_MAX_LENGTH = 200


class WatchItemQuerySet(TranslatableQuerySet):
    def published(self):
        return self.filter(published=True)


class WatchItem(Translatable):
    """`title` says what happened, `actor` who made the move, `summary` sums it up, `body`
    explains (all translatable)."""

    text_fields = ("title", "actor", "summary", "body")

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("watch list status", "Proposed")
        ENACTED = "enacted", _("Enacted")
        REVERSED = "reversed", _("Reversed")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    actor = models.CharField(
        _("who"),
        max_length=ACTOR_MAX_LENGTH,
        validators=[validate_single_line],
        help_text=_("The government, ministry, court or institution that made the move."),
    )
    country = CountryField(_("country"))
    happened_on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    published = models.BooleanField(
        pgettext_lazy("shown on the site: yes or no", "published"), default=False
    )
    letter_campaign = models.ForeignKey(
        "letters.LetterCampaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="watch_items",
        verbose_name=_("letter campaign answering it"),
    )
    campaigns = models.ManyToManyField(
        "coalition.Campaign",
        blank=True,
        related_name="watch_items",
        verbose_name=_("campaigns"),
        help_text=_("The campaigns whose pages show it. It may serve several."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = WatchItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("watch list item")
        verbose_name_plural = _("watch list items")
        ordering = ["-happened_on", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("watch:detail", args=[self.slug])


class WatchItemTranslation(Translation):
    source_field = "item"

    item = models.ForeignKey(
        WatchItem,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("watch list item"),
    )
    actor = models.CharField(
        _("who"), max_length=ACTOR_MAX_LENGTH, blank=True, validators=[validate_single_line]
    )

    class Meta:
        verbose_name = _("watch list item translation")
        verbose_name_plural = _("watch list item translations")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "language"], name="one_watch_translation_per_language"
            )
        ]


class Source(SourceBase):
    item = models.ForeignKey(
        WatchItem, on_delete=models.CASCADE, related_name="sources", verbose_name=_("item")
    )

    class Meta(SourceBase.Meta):
        verbose_name = _("source")
        verbose_name_plural = _("sources")
