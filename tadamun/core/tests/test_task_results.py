"""Finished task rows do not pile up in the database queue (core.tasks.forget_finished_tasks)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tadamun.core.tasks import forget_finished_tasks
from tadamun.petitions.tasks import reconcile_counters


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_old_finished_rows_go_and_the_rest_stay(db, database_queue, settings):
    settings.TASK_RESULTS_KEEP_SECONDS = 3600
    now = timezone.now()
    rows = {}
    for name, status, age in [
        ("waiting", TaskResultStatus.READY, timedelta(days=30)),
        ("running", TaskResultStatus.RUNNING, timedelta(days=30)),
        ("just done", TaskResultStatus.SUCCESSFUL, timedelta(minutes=5)),
        ("done long ago", TaskResultStatus.SUCCESSFUL, timedelta(hours=2)),
        ("failed lately", TaskResultStatus.FAILED, timedelta(days=2)),
        ("failed long ago", TaskResultStatus.FAILED, timedelta(days=8)),
    ]:
        result = reconcile_counters.enqueue()
        DBTaskResult.objects.filter(pk=result.id).update(status=status, finished_at=now - age)
        rows[name] = result.id
    assert forget_finished_tasks.call() == 2
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert {str(pk) for pk in left} == {
        str(rows[name]) for name in ("waiting", "running", "just done", "failed lately")
    }
