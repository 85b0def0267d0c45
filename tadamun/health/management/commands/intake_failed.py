from django.core.management.base import BaseCommand
from django.utils.timesince import timesince

from tadamun.core import intake_worker
from tadamun.core.intake import SEALED
from tadamun.petitions.intake import SIGNATURES

INTAKES = (SIGNATURES, SEALED)


class Command(BaseCommand):
    help = (
        "List the intake rows that failed to be recorded too often (/healthz: intake or "
        "sealed 'failed'): their intake, id, kind and age, nothing they hold. With --retry, "
        "give them their attempts back so the next worker run tries them again (after "
        "fixing the cause: the worker's log names each failure's kind of error)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--retry", action="store_true", help="try them again")

    def handle(self, *args, retry=False, **options):
        total = 0
        for intake in INTAKES:
            for pk, kind, created_at in intake_worker.failed_rows(intake):
                self.stdout.write(f"{intake.name} #{pk}  {kind}  {timesince(created_at)} old")
                total += 1
        if not retry:
            self.stdout.write(f"{total} failed")
            return
        retried = sum(intake_worker.retry_failed(intake) for intake in INTAKES)
        self.stdout.write(f"{retried} given back to the workers")
