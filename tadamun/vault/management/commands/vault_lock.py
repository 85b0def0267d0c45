from django.core.management.base import BaseCommand, CommandError

from tadamun.vault import store
from tadamun.vault.everywhere import lock_everywhere


class Command(BaseCommand):
    help = (
        "Lock now, on every machine: this machine's agent drops the keys at once, every other "
        "machine's within VAULT_LOCK_POLL_SECONDS; app servers follow within seconds."
    )

    def handle(self, *args, **options):
        if not store.exists():
            raise CommandError("The vault is not sealed: nothing to lock.")
        here = lock_everywhere()
        self.stdout.write(
            "The vault is locked."
            if here
            else "Lock ordered on every machine (no agent answers on this one)."
        )
