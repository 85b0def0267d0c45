"""Reads whose SQL the ORM builds once per process, then runs with each request's values.

A page drawn from scratch spent more time having the ORM build its queries (filters joined,
subqueries resolved, SQL compiled: a third of the petition page) than having the database
run them. A `PreparedRead` asks the ORM once per process and database for the SQL of a
QuerySet built from markers, and afterwards only executes that SQL with the real values in
the markers' places, turning rows into what the same QuerySet would give (values, or model
instances with their `select_related` objects and annotations), through the compiler's own
converters and Django's related populators.

What may vary between calls is only what the builder takes as arguments (an int or a str,
which every backend passes to the driver unchanged): anything else in the QuerySet (a
status, a limit) is fixed at the first call. Prefetches are not prepared (a builder with
`prefetch_related` is refused); callers add them with `prefetch_related_objects`.
"""

from collections.abc import Callable
from itertools import count

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable, get_related_populators

# Values no real id or slug takes, each once in a compiled query's parameters.
_INT_MARKERS = count(-(2**31) + 7919)
_STR_PREFIX = "\x00prepared-"


def _markers(kinds: tuple[type, ...]) -> list:
    return [
        next(_INT_MARKERS) if kind is int else f"{_STR_PREFIX}{next(_INT_MARKERS)}"
        for kind in kinds
    ]


class _Compiled:
    """One QuerySet's SQL and the compiler that knows how to read its rows."""

    def __init__(self, queryset: QuerySet, markers: list, using: str):
        if queryset._prefetch_related_lookups:
            raise ImproperlyConfigured("A prepared read cannot prefetch: prefetch after it.")
        self.as_models = queryset._iterable_class is ModelIterable
        if not self.as_models and queryset._iterable_class is not ValuesListIterable:
            raise ImproperlyConfigured("A prepared read gives models or values_list() rows.")
        self.compiler = queryset.query.get_compiler(using=using)
        self.sql, params = self.compiler.as_sql()
        self.params = list(params)
        self.slots = []
        for marker in markers:
            found = [i for i, value in enumerate(self.params) if value == marker]
            if len(found) != 1:
                raise ImproperlyConfigured("Each argument of a prepared read must be used once.")
            self.slots.append(found[0])
        # What results_iter works out on every call: each column's converters.
        self.fields = [column[0] for column in self.compiler.select[: self.compiler.col_count]]
        self.converters = self.compiler.get_converters(self.fields)
        self.composite = self.compiler.has_composite_fields(self.fields)
        if self.as_models:
            self._prepare_models(using)

    def _prepare_models(self, using: str) -> None:
        """What ModelIterable works out per query: where the model's columns are, its related
        objects' populators and its annotations' columns."""
        info = self.compiler.klass_info
        fields = info["select_fields"]
        self.model = info["model"]
        self.model_columns = slice(fields[0], fields[-1] + 1)
        self.init_list = [
            column[0].target.attname for column in self.compiler.select[self.model_columns]
        ]
        self.populators = get_related_populators(info, self.compiler.select, using)
        self.annotations = self.compiler.annotation_col_map or {}

    def rows(self, args, using: str) -> list:
        params = list(self.params)
        for slot, value in zip(self.slots, args, strict=True):
            params[slot] = value
        with connections[using].cursor() as cursor:
            cursor.execute(self.sql, params)
            fetched = cursor.fetchall()
        if self.compiler.has_extra_select:  # columns only for ordering: as execute_sql drops them
            fetched = [row[: self.compiler.col_count] for row in fetched]
        rows = self._converted(fetched)
        return [self._model(row, using) for row in rows] if self.as_models else list(rows)

    def _converted(self, fetched: list):
        """The rows as `results_iter(tuple_expected=True)` gives them, with the converters
        worked out once."""
        if not (self.converters or self.composite):
            return fetched  # the driver's rows, tuples already
        rows = fetched
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        if self.composite:
            rows = self.compiler.composite_fields_to_tuples(rows, self.fields)
        return map(tuple, rows)

    def _model(self, row, using: str):
        obj = self.model.from_db(using, self.init_list, row[self.model_columns])
        for populator in self.populators:
            populator.populate(row, obj)
        for name, column in self.annotations.items():
            setattr(obj, name, row[column])
        return obj


class PreparedRead:
    """`build(*markers)` returns a QuerySet (of models, or `values_list()` tuples); calling
    the read with the real arguments returns its rows as a list. `kinds` gives each
    argument's type (int or str)."""

    def __init__(self, build: Callable[..., QuerySet], *kinds: type):
        if not set(kinds) <= {int, str}:
            raise ImproperlyConfigured("A prepared read takes only int and str arguments.")
        self.build = build
        self.kinds = kinds
        self._compiled: dict[str, _Compiled] = {}

    def __call__(self, *args, using: str = "default") -> list:
        compiled = self._compiled.get(using)
        if compiled is None:
            markers = _markers(self.kinds)
            compiled = _Compiled(self.build(*markers), markers, using)
            self._compiled[using] = compiled
        return compiled.rows(args, using)


def as_prefetched(instance, relation: str, rows: list) -> None:
    """Leave on `instance` what `prefetch_related(relation)` (a reverse foreign key) leaves
    for `rows` read otherwise (a prepared read): `instance.<relation>.all()` gives them
    without a query, and each row knows `instance` as its foreign key's object.

    Only `.all()` (and iterating it) reads them: a QuerySet chained from it (`.filter()`)
    finds nothing, never rows of another object."""
    field = getattr(type(instance), relation).field
    for row in rows:
        field.set_cached_value(row, instance)
    kept = QuerySet(model=field.model)
    kept.query.set_empty()
    kept._result_cache = rows
    kept._prefetch_done = True
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[field.remote_field.cache_name] = kept
