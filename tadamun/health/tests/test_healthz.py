"""/healthz names each failing part with a 503, and is 200 again once the fault is gone."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tadamun.coalition.outbox import ENDORSEMENT, LANE
from tadamun.core import outbox
from tadamun.core.models import OutboxMessage
from tadamun.health.models import Heartbeat
from tadamun.health.tests.conftest import database_down, free_port


def failing(client, scope=""):
    response = client.get(f"/healthz{scope}")
    assert response.status_code == (503 if response.json()["failing"] else 200)
    return response.json()["failing"]


def test_healthz_reports_every_check(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    for part in ("database", "disk", "cache", "queue", "workers", "scheduler", "email"):
        assert body[part] == "ok", part
    assert body["queue_waiting"] == 0 and body["disk_free_mb"] > 0


def test_healthz_names_redis_down_and_recovers(client, db, redis_cache):
    assert failing(client) == []
    redis_cache.stop()
    assert failing(client) == ["cache"]
    assert failing(client, "?scope=serving") == []  # app servers still serve, uncached
    redis_cache.start()
    assert failing(client) == []


@pytest.mark.django_db(transaction=True)
def test_healthz_names_the_database_down_and_recovers(client):
    with database_down():
        response = client.get("/healthz?scope=serving")
        assert response.status_code == 503
        assert response.json()["failing"] == ["database"]
        assert "database" in failing(client)
    assert failing(client) == []


def test_healthz_names_low_disk(client, db, settings):
    settings.HEALTH_MIN_FREE_MB = 2**40
    assert failing(client) == ["disk"]
    assert failing(client, "?scope=serving") == ["disk"]
    settings.HEALTH_MIN_FREE_MB = 1
    assert failing(client) == []


def test_healthz_names_email_failing_until_a_send_works(client, make_endorsement, settings):
    endorsement = make_endorsement(status="unconfirmed")
    outbox.put(ENDORSEMENT, endorsement.pk, lane=LANE)  # its link waits to go
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nothing listens
    outbox.drain()
    assert "email" in failing(client)
    assert client.get("/healthz").json()["email_failing_seconds"] >= 0

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.update(not_before=None)  # the retry is due now
    outbox.drain()
    assert len(mail.outbox) == 1
    assert failing(client) == []


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def beat(role, seconds_ago=0):
    Heartbeat.objects.update_or_create(
        process=f"{role}-1",
        defaults={"role": role, "beat_at": timezone.now() - timedelta(seconds=seconds_ago)},
    )


def test_healthz_names_dead_workers_and_scheduler(client, db, database_queue, settings):
    assert failing(client) == ["workers", "scheduler"]
    beat(Heartbeat.Role.WORKER)
    beat(Heartbeat.Role.SCHEDULER)
    assert failing(client) == []
    beat(Heartbeat.Role.WORKER, seconds_ago=settings.WORKER_SILENT_SECONDS + 1)
    body = client.get("/healthz").json()
    assert body["failing"] == ["workers"]
    assert (body["workers_alive"], body["workers_silent"]) == (0, 1)


def test_healthz_tells_a_waiting_queue_from_a_stalled_one(client, db, database_queue):
    from django_tasks_db.models import DBTaskResult

    from tadamun.mailings.tasks import kick_mailings

    beat(Heartbeat.Role.WORKER)
    beat(Heartbeat.Role.SCHEDULER)
    kick_mailings.enqueue()
    body = client.get("/healthz").json()
    assert (body["queue"], body["queue_waiting"], body["failing"]) == ("ok", 1, [])
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
    body = client.get("/healthz").json()
    assert body["failing"] == ["queue"]  # workers beat, yet nothing is taken
    assert body["queue"] == "stalled" and body["queue_oldest_seconds"] >= 3600


def test_healthz_reads_the_rq_queue_on_redis(client, db, rq_queue):
    from tadamun.mailings.tasks import kick_mailings

    kick_mailings.enqueue()
    body = client.get("/healthz").json()
    assert (body["queue"], body["queue_waiting"]) == ("ok", 1)
    assert 0 <= body["queue_oldest_seconds"] < 60
    assert body["workers"] == "none alive"  # no rqworker runs in the tests

    (job,) = rq_queue.get_jobs()
    job.enqueued_at = timezone.now() - timedelta(hours=1)
    job.save()
    body = client.get("/healthz").json()
    assert body["queue"] == "stalled" and body["queue_oldest_seconds"] >= 3600


def test_metrics_are_off_without_a_token_and_need_it(client, db, settings):
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "s3cret-token"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert response.status_code == 200
    text = response.content.decode()
    assert 'tadamun_check_ok{check="database"} 1' in text
    assert "\ntadamun_queue_waiting 0\n" in text
    assert "tadamun_disk_free_mb " in text


def test_healthz_names_a_stalled_intake_and_stalled_links(client, petition, settings):
    """Issue 22: the backlog of submissions not yet recorded and of links not yet sent, each
    named once its oldest waited past its threshold (settings), with the figures."""
    from tadamun.core.models import OutboxMessage, SealedSubmission
    from tadamun.petitions.models import SignatureIntake

    long_ago = timezone.now() - timedelta(hours=1)
    row = SignatureIntake.objects.create(petition=petition, sealed="{}", email_hash="x")
    SignatureIntake.objects.filter(pk=row.pk).update(created_at=long_ago)
    link = OutboxMessage.objects.create(kind="test", object_id=1, lane="test")
    OutboxMessage.objects.filter(pk=link.pk).update(created_at=long_ago)
    sealed = SealedSubmission.objects.create(kind="test", sealed="{}")
    SealedSubmission.objects.filter(pk=sealed.pk).update(created_at=long_ago)

    body = client.get("/healthz").json()
    assert body["failing"] == ["intake", "sealed", "outbox"]
    assert body["intake_waiting"] == 1 and body["intake_oldest_seconds"] >= 3600
    assert body["sealed_waiting"] == 1 and body["sealed_oldest_seconds"] >= 3600
    assert body["outbox_waiting"] == 1 and body["outbox_oldest_seconds"] >= 3600
    settings.INTAKE_STALL_SECONDS = settings.OUTBOX_STALL_SECONDS = 2 * 3600
    assert failing(client) == []
