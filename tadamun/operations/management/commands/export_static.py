"""`manage.py export_static DIR`: the public site as plain files (see tadamun.operations.mirror)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from tadamun.operations import mirror


class Command(BaseCommand):
    help = "Write the public site, in every language, as static files into DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        def progress(done, total):
            self.stdout.write(f"\r{done} pages written, {total - done} to go   ", ending="")

        written = mirror.export(directory, progress=progress)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"{written} pages written to {directory}"))
