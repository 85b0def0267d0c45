"""Under a rush the form keeps each signature sealed with one INSERT; workers record them."""

import pytest
from django.db import connection

from tadamun.petitions import intake, services
from tadamun.petitions.models import Signature, SignatureIntake
from tadamun.petitions.tasks import process_intake
from tadamun.petitions.tests.helpers import sign_form

SIGN = "/en/petitions/open-the-borders/sign/"


def test_the_form_keeps_the_submission_sealed_until_a_worker_records_it(client, petition):
    client.post(SIGN, sign_form(email="rania@example.org", name="Rania Haddad"))
    intake = SignatureIntake.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM petitions_signatureintake")
        stored = cursor.fetchone()[0]
    assert "rania" not in stored and "Haddad" not in stored
    assert not Signature.objects.exists()

    assert process_intake.call() == 1
    assert not SignatureIntake.objects.filter(pk=intake.pk).exists()
    signature = Signature.objects.get()
    assert signature.supporter.email == "rania@example.org"
    assert signature.public_name == "Rania"  # shown: first name only


def test_double_submissions_in_the_intake_make_one_signature(client, petition):
    client.post(SIGN, sign_form())
    client.post(SIGN, sign_form(email="AMAL@example.org"))
    assert SignatureIntake.objects.count() == 2
    process_intake.call()
    assert Signature.objects.count() == 1
    assert not SignatureIntake.objects.exists()


def test_a_worker_killed_midway_through_a_batch_leaves_the_whole_batch(
    client, petition, monkeypatch
):
    for index in range(3):
        client.post(SIGN, sign_form(email=f"p{index}@example.org"))

    def killed(*args, **kwargs):
        raise SystemExit("worker killed")  # after the signatures' INSERT, before the commit

    monkeypatch.setattr(intake.outbox, "put_many", killed)
    with pytest.raises(SystemExit):
        process_intake.call()
    monkeypatch.undo()
    assert not Signature.objects.exists()
    assert SignatureIntake.objects.count() == 3  # the batch rolled back: nothing lost
    process_intake.call()
    assert Signature.objects.count() == 3
    assert not SignatureIntake.objects.exists()


def test_recording_the_same_row_twice_is_harmless(client, petition):
    client.post(SIGN, sign_form())
    intake = SignatureIntake.objects.get()
    assert services.record_intake(intake) is not None
    assert services.record_intake(intake) is None
    assert Signature.objects.count() == 1


def test_a_row_that_cannot_be_recorded_does_not_block_the_others(client, petition):
    client.post(SIGN, sign_form(email="first@example.org"))
    SignatureIntake.objects.update(sealed="not a sealed payload")
    client.post(SIGN, sign_form(email="second@example.org"))
    assert process_intake.call() == 1
    assert Signature.objects.get().supporter.email == "second@example.org"
    assert SignatureIntake.objects.count() == 1  # kept for inspection, not lost
