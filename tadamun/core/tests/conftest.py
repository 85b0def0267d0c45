import pytest
from django.db import transaction

from tadamun.demo.loader import load


@pytest.fixture
def demo(module_demo, db):
    """The demo site: a campaign, its publications in several languages, organisations.
    Loaded once for the module (module_demo); each test's own changes are rolled back."""


@pytest.fixture(scope="module")
def module_demo(django_db_setup, django_db_blocker):
    """The demo site loaded once for a whole module, in a transaction rolled back after it:
    for modules that crawl the site once and check what they found in many small tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        load(signers=0.1)
        yield
        transaction.set_rollback(True)
