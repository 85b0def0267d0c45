"""Where each app declares the personal data it holds: the one list of it.

Each app with personal data has a `personal_data.py` ending in a `DECLARATION`: its models
that hold personal data (with what the audit trail leaves out, what no one edits by hand,
what is forgotten when unconfirmed) and its sections of "your data" (how a person's data is
described for the page and the JSON download, and anonymised on erasure). This module
collects them, and is what retention, the audit trail (`core/audit.py`), the roles'
never-by-hand list (`core/roles.py`), "your data", erasure and their tests read. Adding a
personal-data model touches only its app's `personal_data.py`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from django.apps import apps
from django.db.models import Model, QuerySet
from django.utils.module_loading import module_has_submodule

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

    def sections(self, supporter) -> list[list[tuple[str, object]]]:
        """The items as (label, value) pairs, for the page."""
        return [
            [(self.labels.get(key, key), value) for key, value in item.items() if value]
            for item in self.describe(supporter)
        ]


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
