from django.core.management.base import BaseCommand, CommandError

from tadamun import vault
from tadamun.vault import keyring
from tadamun.vault.terminal import read_mnemonics


class Command(BaseCommand):
    help = "Unlock this machine's vault agent with the secret or k shares (asked, not echoed)."

    stealth_options = ("stdin",)  # tests and scripts pass the shares

    def handle(self, *args, **options):
        try:
            vault.unlock(read_mnemonics(options.get("stdin")))
        except keyring.WrongSecret:
            raise CommandError("Refused: these shares do not open the vault.") from None
        except vault.Locked:
            raise CommandError("No vault agent answers (start `manage.py vault_agent`).") from None
        self.stdout.write("The vault is unlocked.")
