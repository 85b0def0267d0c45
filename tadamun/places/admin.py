from django.contrib import admin
from django.db.models import Q

from tadamun.places import services
from tadamun.places.models import City


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    """Read only: `manage.py load_cities` fills the table. Searching finds a city by any of
    its names, so other admins can pick one with `autocomplete_fields`."""

    list_display = ["name", "country", "population", "time_zone", "geonameid"]
    search_fields = ["name"]
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        named = services.cities_named(search_term).values("pk")
        return queryset.filter(Q(pk__in=named) | Q(name__istartswith=search_term.strip())), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
