"""`manage.py backup [--output FILE]`: an encrypted backup, taken while the site runs."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tadamun.operations import backups


class Command(BaseCommand):
    help = "Write an encrypted backup of the database and the uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="The file to write.")

    def handle(self, *args, output=None, **options):
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        output = output or Path(settings.VAR_DIR) / "backups" / f"tadamun-{stamp}.backup"

        def progress(done, total):
            self.stdout.write(f"\rencrypted {done * 100 // max(total, 1)}%", ending="")

        try:
            backups.create(output, progress=progress)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"backup written to {output}"))
