"""Finding organisations by an area they serve, however the area is spelt or written.

Coalition admins list areas by name ("Idlib, Harem, Jisr al-Shughur"). A search finds an
organisation when one of those names and what was typed share a place-name key
(`places.names`: no accents, case or Arabic letter variants), or when the gazetteer knows
what was typed as a town one of whose names is listed: "إدلب", "Idleb" and "idlib" all find
"Idlib".
"""

from tadamun.places.models import CityName
from tadamun.places.names import index_keys, search_keys
from tadamun.places.services import cities_named

TOWNS_LOOKED_AT = 20  # a name shared by many towns: the most populous are enough


def area_keys(areas_served: str) -> set[str]:
    return {key for area in areas_served.split(",") for key in index_keys(area.strip())}


def keys_for(text: str) -> set[str]:
    """What was typed, and every name of the towns the gazetteer knows by it."""
    towns = cities_named(text).values("pk")[:TOWNS_LOOKED_AT]
    return search_keys(text) | set(
        CityName.objects.filter(city__in=towns).values_list("key", flat=True)
    )


def serving(organisations, text: str) -> list:
    wanted = keys_for(text)
    return [found for found in organisations if area_keys(found.areas_served) & wanted]
