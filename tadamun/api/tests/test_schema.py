"""Schemathesis against /api/openapi.json: generated requests to every operation, each
answer checked against the document (no server error, a documented status, the declared
schema). Driven by a plain loop: schemathesis's pytest plugin does not run under pytest 9."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from schemathesis.config import SchemathesisConfig

from tadamun.api.models import ApiToken
from tadamun.coalition.models import Organisation
from tadamun.petitions.models import Signature
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent

# What JSON Schema cannot say: a filter can match its pattern and name no real day
# ('2026-02-31', a 400); a person's email must be deliverable, their name free of control
# characters, their country a real one; a petition may be closed (a 409). OSDI answers
# those with a documented 4xx, which is not a refusal of valid data. Every other check
# (no server error, documented statuses and bodies) holds for OSDI as for the rest.
CONFIG = """
[[operations]]
include-path-regex = "^/api/osdi/v1/"
[operations.checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "404", "409", "422", "429"]
"""


@pytest.fixture
def wsgi_in_test_transaction():
    """Requests through the WSGI app without closing the test's database connection at their
    end (what Django's own test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def partner_key(demo, db, settings):
    """A partner's token, with people sharing their data with it: OSDI operations answer
    with data, not only with 401s."""
    settings.OSDI_RATE = "100000/m"
    partner = Organisation.objects.get(partner_code="isn")
    for signature in Signature.objects.confirmed()[:30]:
        supporters.give_consent(signature.supporter, Consent.Purpose.PARTNER, organisation=partner)
    token = ApiToken(organisation=partner, name="schemathesis")
    key = token.issue()
    token.save()
    return key


def test_every_operation_keeps_to_its_document(partner_key, wsgi_in_test_transaction):
    schema = schemathesis.openapi.from_wsgi(
        "/api/openapi.json", get_wsgi_application(), config=SchemathesisConfig.from_str(CONFIG)
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 26
    answered = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @examples(
            max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        def keeps_to_the_document(case):
            response = case.call_and_validate(
                headers={"Accept-Encoding": "identity", "OSDI-API-Token": partner_key}
            )
            answered.setdefault(case.operation.label, set()).add(response.status_code)

        keeps_to_the_document()

    # Every collection answered with data at least once (the token works, the data is there).
    collections = [op.label for op in operations if op.method == "get" and "{" not in op.path]
    assert [label for label in collections if 200 not in answered[label]] == []
