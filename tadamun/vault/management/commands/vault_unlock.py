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
            nargs="?",
            const="",
            default=None,
            metavar="CODE",
            help="a join code; without CODE it is asked, not echoed (kept out of the shell's "
            "history)",
        )

    def handle(self, *args, join=None, **options):
        try:
            if join is None:
                vault.unlock(read_mnemonics(options.get("stdin")))
            else:
                vault.join(join or read_join_code(options.get("stdin")))
        except keyring.WrongSecret:
            raise CommandError("Refused: these shares do not open the vault.") from None
        except JoinRefused as refused:
            raise CommandError(refused.explain()) from None
        except vault.Locked:
            raise CommandError("No vault agent answers (start `manage.py vault_agent`).") from None
        self.stdout.write("The vault is unlocked.")
