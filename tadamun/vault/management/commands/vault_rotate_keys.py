from django.core.management.base import BaseCommand

from tadamun.core.progress import printer
from tadamun.vault import rotation
from tadamun.vault.terminal import read_mnemonics, refusals


class Command(BaseCommand):
    help = (
        "Rotate the field-encryption key while the site runs: a new key first, every encrypted "
        "column re-encrypted under it in batches (with progress), then the old key dropped. "
        "Needs k shares (they keep working). Interrupted, run it again: it carries on."
    )

    stealth_options = ("stdin",)  # tests and scripts pass the shares

    def add_arguments(self, parser):
        parser.add_argument(
            "--keep-old-key",
            action="store_true",
            help="stop before dropping the old key (run again to drop it)",
        )

    def handle(self, *args, keep_old_key, **options):
        progress = printer(self.stdout, "rows")
        try:
            with refusals("rotate"):
                report = rotation.rotate_field_keys(
                    read_mnemonics(options.get("stdin")),
                    progress=progress,
                    keep_old_key=keep_old_key,
                )
        finally:
            progress.end()
        moved = sum(report["moved"].values())
        begun = "A new key was put first; " if report["started"] else "A rotation carried on; "
        self.stdout.write(f"{begun}{moved} values re-encrypted under it.")
        self.stdout.write(
            "Any other machine's agent was locked (it held the keys before): unlock each "
            "with `manage.py vault_unlock` there."
        )
        if report["dropped"]:
            self.stdout.write("The old key is dropped: no value needs it any more.")
        else:
            self.stdout.write("The old key is kept: run the command again to drop it.")
