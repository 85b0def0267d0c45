"""Schemathesis against /api/openapi.json: generated requests to every operation, each
answer checked against the document (no server error, a documented status, the declared
schema). Driven by a plain loop: schemathesis's pytest plugin does not run under pytest 9."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from tadamun.api.tests.test_public_api import demo  # noqa: F401 - the demo content, loaded once


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests through the WSGI app without closing the test's database connection at their
    end (what Django's own test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_operation_keeps_to_its_document(demo, db, wsgi_in_test_transaction):  # noqa: F811
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def keeps_to_the_document(case):
            case.call_and_validate(headers={"Accept-Encoding": "identity"})

        keeps_to_the_document()
