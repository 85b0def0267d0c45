"""Consents the old OSDI signup helper gave partners on a person's behalf are withdrawn on
upgrade; those people chose on the site stay (issue: a partner token gave itself consent)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("supporters", "0005_partner_people")]
AFTER = [("supporters", "0006_withdraw_consents_partners_gave_themselves")]


@pytest.fixture
def back_to_the_latest_schema():
    """The tests after this one need every migration applied again, whatever happens here."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_consents_partners_gave_themselves_are_withdrawn(back_to_the_latest_schema):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    organisation = old.get_model("coalition", "Organisation").objects.create(
        name="Partner", country="FR", kind="ngo", partner_code="p"
    )
    Supporter, Consent = (
        old.get_model("supporters", "Supporter"),
        old.get_model("supporters", "Consent"),
    )
    people = [Supporter.objects.create(email_hash=f"{n}" * 64, language="en") for n in (1, 2)]
    given = {"osdi:7": people[0], "petition:open-the-borders": people[1]}
    for source, person in given.items():
        Consent.objects.create(
            supporter=person,
            purpose="partner",
            organisation=organisation,
            wording="partner-1",
            source=source,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps.get_model("supporters", "Consent")
    still = new.objects.filter(withdrawn_at__isnull=True).values_list("source", flat=True)
    assert list(still) == ["petition:open-the-borders"]
