from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

HERE = Path(__file__).parent


@pytest.fixture(scope="package")
def demo_for_the_package(django_db_setup, django_db_blocker):
    """`manage.py load_demo` run once for the package's tests that read it (they run after
    the package's other tests, see below), rolled back after the last of them."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def demo_loaded(demo_for_the_package, django_db_blocker):
    """The demo for a module's read-only tests; what the module changed is rolled back after
    it (to a savepoint), so each module starts from the demo as loaded."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def pytest_collection_modifyitems(items):
    """This package's tests that want an empty database (or none) run before the demo is
    loaded for the others: a stable sort, each group in its files' order."""
    here = [item for item in items if HERE in Path(item.path).parents]
    if not here:
        return
    first = [item for item in here if "demo_loaded" not in item.fixturenames]
    then = [item for item in here if "demo_loaded" in item.fixturenames]
    start = items.index(here[0])
    rest = [item for item in items if item not in set(here)]
    items[:] = rest[:start] + first + then + rest[start:]
