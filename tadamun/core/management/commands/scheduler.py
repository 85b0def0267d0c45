"""`manage.py scheduler`: enqueue the periodic tasks (settings.PERIODIC_TASKS) when they fall due.

The Django tasks API has no scheduler of its own. This loop only enqueues; workers run the
tasks. Run exactly one scheduler per site: the tasks are idempotent, so a second one wastes
work but breaks nothing.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Enqueue periodic tasks when due (see PERIODIC_TASKS in settings)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Enqueue every task once, exit.")
        parser.add_argument("--tick", type=float, default=5.0, help="Seconds between checks.")

    def handle(self, *args, once=False, tick=5.0, **options):
        due = dict.fromkeys(settings.PERIODIC_TASKS, 0.0)
        while True:
            now = time.monotonic()
            for path, every in settings.PERIODIC_TASKS.items():
                if now >= due[path]:
                    import_string(path).enqueue()
                    due[path] = now + every
                    self.stdout.write(f"enqueued {path}")
            if once:
                return
            time.sleep(tick)
