import contextlib

from django.core.management.base import BaseCommand, CommandError

from tadamun import vault
from tadamun.vault import keyring, store
from tadamun.vault.terminal import read_mnemonics


class Command(BaseCommand):
    help = (
        "Destroy the keys (needs the secret or k shares again): personal data becomes "
        "unreadable forever; public content and counts stay."
    )

    stealth_options = ("stdin",)  # tests and scripts pass the shares

    def add_arguments(self, parser):
        parser.add_argument("--yes", action="store_true", help="do not ask to confirm")

    def handle(self, *args, yes, **options):
        if not yes and input("Type DESTROY to make all personal data unreadable: ") != "DESTROY":
            raise CommandError("Nothing destroyed.")
        try:
            store.destroy(read_mnemonics(options.get("stdin")))
        except keyring.WrongSecret:
            raise CommandError("Refused: these shares do not open the vault.") from None
        except (store.NotSealed, vault.Destroyed):
            raise CommandError("There are no keys to destroy.") from None
        with contextlib.suppress(vault.Locked):  # no agent running: nothing in memory
            vault.lock()
        self.stdout.write("The keys are destroyed.")
