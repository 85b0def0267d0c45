"""Two simultaneous submissions of the same endorsement make one (unconfirmed) endorsement."""

import threading

import pytest
from django.db import connection

from tadamun.coalition import services
from tadamun.coalition.models import Endorsement, Organisation


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submission_makes_one_endorsement(campaign):
    barrier = threading.Barrier(4)
    errors = []

    def submit():
        try:
            barrier.wait()
            services.submit_endorsement(
                campaign,
                services.OrganisationDetails(name="Amal Network", country="FR", kind="ngo"),
                contact_name="Rania",
                contact_email="rania@amal.example",
            )
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Organisation.objects.count() == 0  # made only when the contact confirms
    assert Endorsement.objects.count() == 1
