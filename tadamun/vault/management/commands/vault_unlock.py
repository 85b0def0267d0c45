from django.core.management.base import BaseCommand, CommandError

from tadamun import vault
from tadamun.vault import keyring
from tadamun.vault.joining import JoinRefused
from tadamun.vault.terminal import read_join_code, read_mnemonics


class Command(BaseCommand):
    help = (
        "Unlock this machine's vault agent with the secret or k shares (asked, not echoed), "
        "or with --join and a one-time join code made on an unlocked machine "
        "(vault_join_code): this agent then gets the keys from that machine's over TLS."
    )

    stealth_options = ("stdin",)  # tests and scripts pass the shares

    def add_arguments(self, parser):
        parser.add_argument(
            "--join",
            action="store_true",
            help="with a join code, asked and not echoed (never an argument: other users "
            "read a process's arguments, and the shell keeps them)",
        )

    def handle(self, *args, join=False, **options):
        try:
            if join:
                vault.join(read_join_code(options.get("stdin")))
            else:
                vault.unlock(read_mnemonics(options.get("stdin")))
        except keyring.WrongSecret:
            raise CommandError("Refused: these shares do not open the vault.") from None
        except JoinRefused as refused:
            raise CommandError(refused.explain()) from None
        except vault.Locked:
            raise CommandError("No vault agent answers (start `manage.py vault_agent`).") from None
        self.stdout.write("The vault is unlocked.")
