from datetime import timedelta

import pytest
from django.utils import timezone


def test_healthz_reports_database_cache_and_queue(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "queue": "ok",
        "queue_waiting": 0,
        "queue_oldest_seconds": None,
    }


def test_healthz_is_503_when_the_cache_is_down(client, db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["cache"] == "error"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_healthz_tells_a_waiting_queue_from_a_stalled_one(client, db, database_queue):
    from django_tasks_db.models import DBTaskResult

    from tadamun.mailings.tasks import kick_mailings

    kick_mailings.enqueue()
    body = client.get("/healthz").json()
    assert (body["queue"], body["queue_waiting"]) == ("ok", 1)
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 200  # the app servers are fine; no worker takes tasks
    assert response.json()["queue"] == "stalled"
    assert response.json()["queue_oldest_seconds"] >= 3600


def test_healthz_reads_the_rq_queue_on_redis(client, db, rq_queue):
    from tadamun.mailings.tasks import kick_mailings

    kick_mailings.enqueue()
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["queue"], body["queue_waiting"]) == ("ok", 1)
    assert 0 <= body["queue_oldest_seconds"] < 60

    (job,) = rq_queue.get_jobs()
    job.enqueued_at = timezone.now() - timedelta(hours=1)
    job.save()
    body = client.get("/healthz").json()
    assert body["queue"] == "stalled" and body["queue_oldest_seconds"] >= 3600
