from django.core.management.base import BaseCommand, CommandError

from tadamun import vault
from tadamun.vault import joincodes, joining


class Command(BaseCommand):
    help = (
        "Make a one-time join code (valid 10 minutes) on this unlocked machine: another "
        "machine's agent given it (`vault_unlock --join` there) gets the keys from this "
        "machine's agent over TLS. This agent must serve joins (vault_agent --join-listen)."
    )

    def handle(self, *args, **options):
        try:
            code, _row = joining.make_code_here()
        except joining.NotServing:
            raise CommandError(
                "This machine's agent serves no joins: start it with --join-listen HOST:PORT "
                "(or VAULT_JOIN_LISTEN)."
            ) from None
        except vault.Locked:
            raise CommandError(
                "The vault is locked here: only an unlocked machine can let another join."
            ) from None
        self.stdout.write(
            f"Join code, valid once for {joincodes.VALID_MINUTES} minutes (give it only to "
            "whoever runs the other machine; it opens the keys):"
        )
        self.stdout.write(f"  {code.readable()}")
        self.stdout.write(
            "On the other machine, with its agent running: manage.py vault_unlock --join "
            "(the code is asked there, not echoed)."
        )
