"""Where each app declares the personal data it holds about a supporter.

The supporters app cannot know every record other apps link to a supporter, so each app
registers two functions in its AppConfig.ready(): one that describes what it holds (for "my
data" and the JSON download) and one that anonymises it (for erasure).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class PersonalDataProvider:
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


_providers: dict[str, PersonalDataProvider] = {}


def register(name, *, title, labels, describe: Callable, anonymise: Callable) -> None:
    _providers[name] = PersonalDataProvider(name, title, labels, describe, anonymise)


def providers() -> list[PersonalDataProvider]:
    return list(_providers.values())
