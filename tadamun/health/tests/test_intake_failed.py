"""A row that failed MAX_ATTEMPTS times is kept, and named apart from what waits: /healthz
says "failed" (a person must look) where a stuck worker reads "stalled"; `intake_failed`
lists such rows by kind and age, nothing they hold, and `--retry` gives them back."""

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from tadamun.core import intake
from tadamun.core.intake_worker import MAX_ATTEMPTS
from tadamun.core.models import SealedSubmission
from tadamun.petitions import services, submissions
from tadamun.petitions.models import SignatureIntake
from tadamun.petitions.tasks import process_intake


def healthz(client) -> dict:
    response = client.get("/healthz")
    assert response.status_code == (503 if response.json()["failing"] else 200)
    return response.json()


def poison_signature(petition) -> SignatureIntake:
    """A signature whose sealed text no version can read: each run counts an attempt."""
    row = submissions.accept(
        petition, services.SignatureRequest(name="Rania", email="rania@example.org", country="FR")
    )
    SignatureIntake.objects.filter(pk=row.pk).update(sealed="not a submission")
    return row


def test_a_row_failing_every_attempt_reads_failed_not_stalled(client, petition):
    row = poison_signature(petition)
    for _run in range(MAX_ATTEMPTS):
        body = healthz(client)
        assert (body["intake"], body["intake_waiting"], body["intake_failed"]) == ("ok", 1, 0)
        assert process_intake.call() == 0
    body = healthz(client)
    assert body["failing"] == ["intake"]
    assert (body["intake"], body["intake_waiting"], body["intake_failed"]) == ("failed", 0, 1)
    assert body["intake_oldest_seconds"] is None  # nothing waits: no worker is stuck
    assert SignatureIntake.objects.get(pk=row.pk).attempts == MAX_ATTEMPTS  # kept, not lost


def test_a_stuck_worker_reads_stalled_with_the_failed_rows_counted_apart(
    client, petition, settings
):
    poison_signature(petition)
    SignatureIntake.objects.update(attempts=MAX_ATTEMPTS)
    waiting = SealedSubmission.objects.create(kind="some.service", sealed="{}")
    SealedSubmission.objects.create(kind="other.service", sealed="{}", attempts=MAX_ATTEMPTS)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    SealedSubmission.objects.filter(pk=waiting.pk).update(created_at=an_hour_ago)

    body = healthz(client)
    assert body["failing"] == ["intake", "sealed"]
    assert (body["sealed"], body["sealed_waiting"], body["sealed_failed"]) == ("stalled", 1, 1)
    assert body["sealed_oldest_seconds"] >= 3600  # the waiting row's age, not the failed one's
    assert body["intake"] == "failed"


def test_the_command_lists_failed_rows_without_what_they_hold_and_retries_them(client, petition):
    poison_signature(petition)
    intake.accept("tadamun.nowhere.service", "amal@example.org", [], {})
    SignatureIntake.objects.update(attempts=MAX_ATTEMPTS)
    SealedSubmission.objects.update(attempts=MAX_ATTEMPTS)
    SealedSubmission.objects.create(kind="waiting.service", sealed="{}")  # not failed

    out = StringIO()
    call_command("intake_failed", stdout=out)
    listed = out.getvalue()
    assert f"intake #{SignatureIntake.objects.get().pk}  {petition.slug}  " in listed
    assert "sealed #" in listed and "tadamun.nowhere.service" in listed
    assert "waiting.service" not in listed
    assert listed.rstrip().endswith("2 failed")
    for personal in ("rania", "Rania", "amal@example.org"):
        assert personal not in listed
    assert SealedSubmission.objects.filter(attempts=MAX_ATTEMPTS).count() == 1  # only listed

    call_command("intake_failed", "--retry", stdout=out)
    assert "2 given back to the workers" in out.getvalue()
    assert not SignatureIntake.objects.exclude(attempts=0).exists()
    body = healthz(client)
    assert (body["intake"], body["intake_waiting"], body["intake_failed"]) == ("ok", 1, 0)
    assert (body["sealed_waiting"], body["sealed_failed"]) == (2, 0)
