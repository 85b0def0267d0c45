from io import StringIO

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult


def test_scheduler_enqueues_every_periodic_task(db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("scheduler", "--once", stdout=StringIO())
    queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert queued == set(settings.PERIODIC_TASKS)
