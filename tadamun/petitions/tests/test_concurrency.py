"""The same email signing twice at the same moment is one signature."""

import threading

import pytest
from django.db import connection

from tadamun.petitions import services
from tadamun.petitions.models import Signature
from tadamun.supporters.models import Supporter


@pytest.mark.django_db(transaction=True)
def test_concurrent_double_submission_makes_one_signature(petition):
    threads_count = 6
    barrier = threading.Barrier(threads_count)
    errors = []

    def submit():
        try:
            barrier.wait()
            signature = services.sign(
                petition,
                services.SignatureRequest(name="Amal", email="amal@example.org", country="FR"),
            )
            services.confirm(signature)
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Supporter.objects.count() == 1
    assert Signature.objects.count() == 1
    petition.refresh_from_db()
    assert petition.confirmed_count == 1
