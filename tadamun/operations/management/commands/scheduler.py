"""`manage.py scheduler`: enqueue the periodic tasks (settings.PERIODIC_TASKS) when they fall due.

The Django tasks API has no scheduler of its own. This loop only enqueues; workers run the
tasks. Run exactly one scheduler per site: the tasks are idempotent, so a second one wastes
work but breaks nothing.

It outlives the queue's store: when enqueueing fails (database or Redis down, disk full) it
logs the outage once, waits with a growing pause, and tries the same task again; it beats
meanwhile, so /healthz tells a scheduler that waits from one that is gone.
"""

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

from tadamun.health.heartbeat import Beating, Outage
from tadamun.health.models import Heartbeat


class Command(BaseCommand):
    help = "Enqueue periodic tasks when due (see PERIODIC_TASKS in settings)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every task once, exit.")
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between checks.")

    def handle(self, *args, once=False, tick=5.0, **options):
        if once:  # one round, nothing to beat for
            self.loop(once, tick)
            return
        process = f"scheduler-{os.getpid()}-{get_random_string(12)}"
        with Beating(process, Heartbeat.Role.SCHEDULER):
            self.loop(once, tick)

    def loop(self, once: bool, tick: float) -> None:
        due = dict.fromkeys(settings.PERIODIC_TASKS, 0.0)
        outage = Outage("scheduler: the queue")
        while True:
            now = time.monotonic()
            for path, every in settings.PERIODIC_TASKS.items():
                if now < due[path]:
                    continue
                try:
                    import_string(path).enqueue()
                except (DatabaseError, RedisError, OSError) as error:
                    outage.wait(error)
                    break  # this task is still due: the next round tries it first
                outage.ended()
                due[path] = now + every
                self.stdout.write(f"enqueued {path}")
            else:
                if once:
                    return
                time.sleep(tick)
