from django.core.management.base import BaseCommand, CommandError

from tadamun import vault


class Command(BaseCommand):
    help = "Lock now: this machine's agent drops the keys; app servers follow within seconds."

    def handle(self, *args, **options):
        try:
            vault.lock()
        except vault.Locked:
            raise CommandError("No vault agent answers (nothing held, or not sealed).") from None
        self.stdout.write("The vault is locked.")
