"""Where each app declares the personal data it holds: the one list of it.

Each app with personal data has a `personal_data.py` ending in a `DECLARATION`: its models
that hold personal data (with what the audit trail leaves out, what no one edits by hand,
what is forgotten when unconfirmed) and its sections of "your data" (how a person's data is
described for the page and the JSON download, and anonymised on erasure). This module
collects them, and is what retention, the audit trail (`core/audit.py`), the roles'
never-by-hand list (`staff/roles.py`), "your data", erasure and their tests read. Adding a
personal-data model touches only its app's `personal_data.py`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import import_module

from django.apps import apps
from django.db.models import Model, QuerySet, TextChoices
from django.utils.formats import date_format
from django.utils.module_loading import module_has_submodule
from django.utils.timezone import is_aware, localtime
from django.utils.translation import get_language_info
from django_countries.fields import Country

EVERYTHING = ("add", "change", "delete")


@dataclass(frozen=True)
class Unconfirmed:
    """Rows typed by someone who may not own the address they gave: retention deletes those
    older than UNCONFIRMED_RETENTION_DAYS."""

    name: str  # the key in retention's counts
    rows: Callable[[], QuerySet]  # () -> the unconfirmed rows, of any age


@dataclass(frozen=True)
class PersonalDataModel:
    """A model holding personal data. The audit trail records every save and delete of it,
    with every free-text field masked."""

    label: str  # "app_label.ModelName"
    about_supporters: bool = True  # False for staff accounts and officials
    audited: bool = True
    audit_skips: tuple[str, ...] = ()  # fields changing on every login or send, left out
    made_by_the_public: bool = False  # its creation is the person's act: not in the trail
    never_by_hand: tuple[str, ...] = ()  # admin actions ("add", ...) refused even a superuser
    keeps_supporter: str = ""  # the field whose supporter retention keeps while the row lives
    unconfirmed: Unconfirmed | None = None

    @property
    def model(self) -> type[Model]:
        return apps.get_model(self.label)


@dataclass(frozen=True)
class PersonalDataProvider:
    """A section of "your data": what an app holds about a supporter."""

    name: str  # the key in the JSON download
    title: str  # translated heading on the "my data" page
    labels: dict  # item key -> translated label
    describe: Callable  # (supporter) -> list[dict] of plain, JSON-safe values
    anonymise: Callable  # (supporter) -> None; keeps counts right
    statuses: type[TextChoices] | None = None  # the words for the items' "status" codes

    def sections(self, supporter) -> list[list[tuple[str, object]]]:
        """The items as (label, value) pairs, for the page: in words of the reader's language
        (`readable`), where the download keeps the codes and ISO dates a program reads."""
        return [
            [
                (self.labels.get(key, key), readable(key, value, self.statuses))
                for key, value in item.items()
                if value
            ]
            for item in self.describe(supporter)
        ]


def readable(key: str, value, statuses: type[TextChoices] | None = None):
    """A described value as a person reads it: a status in words, a country's name, a date
    and time formatted for the reader's language and time zone."""
    if key == "status" and statuses is not None and value in statuses.values:
        return statuses(value).label
    if key == "country" and isinstance(value, str) and len(value) == 2:
        return Country(value).name or value
    if key == "language" and isinstance(value, str):
        try:
            return get_language_info(value)["name_translated"]
        except KeyError:
            return value
    if isinstance(value, str) and "T" in value[10:11]:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if is_aware(moment) and ("+00:00" in value or value.endswith("Z")):
            moment = localtime(moment)  # a moment stored in UTC; local ones keep their zone
        return date_format(moment, "DATETIME_FORMAT")
    if isinstance(value, list):
        return ", ".join(str(part) for part in value)
    return value


@dataclass(frozen=True)
class Declaration:
    """What one app's `personal_data.py` declares."""

    models: list[PersonalDataModel]
    providers: list[PersonalDataProvider] = field(default_factory=list)


@cache
def declarations() -> list[Declaration]:
    """Every app's declaration, in the order of INSTALLED_APPS."""
    return [
        import_module(f"{app.name}.personal_data").DECLARATION
        for app in apps.get_app_configs()
        if module_has_submodule(app.module, "personal_data")
    ]


def personal_data_models() -> list[PersonalDataModel]:
    return [declared for declaration in declarations() for declared in declaration.models]


def providers() -> list[PersonalDataProvider]:
    return [provider for declaration in declarations() for provider in declaration.providers]
