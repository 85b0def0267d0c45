"""`manage.py restore FILE --yes`: bring back a backup made by `manage.py backup`.

A backup sealed to the vault opens with this machine's vault unlocked (the same seal), or
with the keyholders' shares, asked here (not echoed) or read one a line from standard input.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tadamun.operations import backups
from tadamun.vault.terminal import read_mnemonics


class Command(BaseCommand):
    help = "Replace the database and the uploaded files with those of a backup."

    stealth_options = ("stdin",)  # tests and scripts pass the shares

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path)
        parser.add_argument(
            "--yes", action="store_true", help="Confirm: the current data is replaced."
        )

    def handle(self, *args, backup, yes=False, **options):
        if not yes:
            raise CommandError("This replaces every row of the database: add --yes to confirm.")
        if not backup.exists():
            raise CommandError(f"No file at {backup}.")
        try:
            try:
                manifest = backups.restore(backup)
            except backups.NeedsShares as needed:
                self.stdout.write(str(needed))
                shares = read_mnemonics(options.get("stdin"), needed=needed.threshold)
                manifest = backups.restore(backup, mnemonics=shares)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"restored the backup of {manifest['created']}"))
