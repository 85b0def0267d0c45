"""A whole mailing through each real queue: the database queue (the default) and RQ on
Redis (the scale-out option), each with a real SMTP server."""

import os

import pytest
import redis
from django.core.management import call_command

from tadamun.mailings import services
from tadamun.mailings.models import Mailing

REDIS_FOR_TESTS = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


def send_to_everyone(make_supporter, make_mailing, how_many=12):
    for number in range(how_many):
        make_supporter(f"person{number}@example.org", language="fr" if number % 2 else "en")
    mailing = make_mailing()
    assert services.send_now(mailing)
    return mailing


def assert_sent_once_each(mailing, smtp_sink, how_many=12):
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    recipients = [rcpt for rcpt, _message in smtp_sink.messages]
    assert len(recipients) == len(set(recipients)) == how_many


@pytest.mark.django_db(transaction=True)
def test_a_mailing_through_the_database_queue(settings, smtp_sink, make_supporter, make_mailing):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.MAILING_BATCH_SIZE = 5
    mailing = send_to_everyone(make_supporter, make_mailing)
    assert not smtp_sink.messages  # queued, not sent by the request
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert_sent_once_each(mailing, smtp_sink)


@pytest.fixture
def rq_queue(settings):
    try:
        redis.Redis.from_url(REDIS_FOR_TESTS).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail("Redis is not reachable, and CI must test the RQ queue")
        pytest.skip("Redis is not running here")
    settings.RQ_QUEUES = {"default": {"URL": REDIS_FOR_TESTS}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    import django_rq

    queue = django_rq.get_queue("default")
    queue.empty()
    yield queue
    queue.empty()


@pytest.mark.django_db(transaction=True)
def test_a_mailing_through_rq_on_redis(settings, rq_queue, smtp_sink, make_supporter, make_mailing):
    from django_tasks_rq import Job
    from rq import SimpleWorker

    settings.MAILING_BATCH_SIZE = 5
    mailing = send_to_everyone(make_supporter, make_mailing)
    assert rq_queue.count == 1 and not smtp_sink.messages
    worker = SimpleWorker([rq_queue], connection=rq_queue.connection, job_class=Job)
    worker.work(burst=True)
    assert_sent_once_each(mailing, smtp_sink)
