"""The humanitarian aid directory: organisations the coalition has vetted, and their appeals.

The platform handles no money: it links to each organisation's own donation page.
"""

from datetime import timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tadamun.core.models import Translatable, TranslatableQuerySet, Translation
from tadamun.core.text import validate_single_line, validate_web_address

# An entry nobody has checked again for this long is flagged on the site and in the admin.
REVERIFY_AFTER = timedelta(days=182)


class Sector(models.TextChoices):
    MEDICAL = "medical", _("Medical care")
    FOOD = "food", _("Food")
    SHELTER = "shelter", _("Shelter")
    WINTER = "winter", _("Winterisation")
    EDUCATION = "education", _("Education")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    LEGAL = "legal", _("Legal aid")


class AidOrganisationQuerySet(TranslatableQuerySet):
    def public(self):
        return self.filter(status=AidOrganisation.Status.PUBLISHED)

    def in_sector(self, sector: str):
        return self.filter(sectors__icontains=f"|{sector}|")


class AidOrganisation(Translatable):
    """A vetted aid organisation: `title` is its name, `summary` one line on what it does,
    `body` the longer description, all translatable."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # "|medical|food|": a portable way to filter by one sector on SQLite and PostgreSQL alike.
    sectors = models.CharField(_("sectors"), max_length=200, blank=True, editable=False)
    countries_served = CountryField(_("countries served"), multiple=True, blank=True)
    areas_served = models.CharField(
        _("areas served"),
        max_length=200,
        blank=True,
        validators=[validate_single_line],
        help_text=_("Regions, districts or camps, as people there name them."),
    )
    registration_country = CountryField(_("registered in"), blank=True)
    registration_number = models.CharField(
        _("registration number"), max_length=100, blank=True, validators=[validate_single_line]
    )
    website = models.URLField(
        _("website"), max_length=300, blank=True, validators=[validate_web_address]
    )
    donation_url = models.URLField(
        _("donation page"), max_length=300, blank=True, validators=[validate_web_address]
    )
    verified_by = models.ForeignKey(
        "coalition.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="verified_aid_organisations",
        verbose_name=_("verified by"),
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    campaigns = models.ManyToManyField(
        "coalition.Campaign",
        blank=True,
        related_name="aid_organisations",
        verbose_name=_("campaigns"),
        help_text=_("The campaigns whose pages show it. It may serve several."),
    )

    objects = AidOrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("aid organisation")
        verbose_name_plural = _("aid organisations")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("aid:detail", args=[self.slug])

    @property
    def sector_list(self) -> list[str]:
        return [code for code in self.sectors.strip("|").split("|") if code]

    @sector_list.setter
    def sector_list(self, codes) -> None:
        chosen = [code for code in Sector.values if code in set(codes)]
        self.sectors = f"|{'|'.join(chosen)}|" if chosen else ""

    def sector_labels(self) -> list[str]:
        return [Sector(code).label for code in self.sector_list]

    def needs_reverification(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.verified_on is None or self.verified_on < today - REVERIFY_AFTER


class AidOrganisationTranslation(Translation):
    source_field = "organisation"

    organisation = models.ForeignKey(
        AidOrganisation,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("aid organisation"),
    )

    class Meta:
        verbose_name = _("aid organisation translation")
        verbose_name_plural = _("aid organisation translations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "language"], name="one_aid_translation_per_language"
            )
        ]


class AppealQuerySet(TranslatableQuerySet):
    def current(self, today=None):
        today = today or timezone.localdate()
        return self.filter(
            starts_on__lte=today,
            ends_on__gte=today,
            organisation__status=AidOrganisation.Status.PUBLISHED,
        )


class Appeal(Translatable):
    """A time-bound call for help (winter fuel, a field hospital), run by one organisation."""

    organisation = models.ForeignKey(
        AidOrganisation,
        on_delete=models.CASCADE,
        related_name="appeals",
        verbose_name=_("aid organisation"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    donation_url = models.URLField(
        _("donation page"),
        max_length=300,
        blank=True,
        validators=[validate_web_address],
        help_text=_("Leave empty to use the organisation's."),
    )

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["ends_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="appeal_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def link(self) -> str:
        return self.donation_url or self.organisation.donation_url


class AppealTranslation(Translation):
    source_field = "appeal"

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="translations", verbose_name=_("appeal")
    )

    class Meta:
        verbose_name = _("appeal translation")
        verbose_name_plural = _("appeal translations")
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "language"], name="one_appeal_translation_per_language"
            )
        ]
