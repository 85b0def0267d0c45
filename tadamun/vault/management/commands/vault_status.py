from django.core.management.base import BaseCommand

from tadamun import vault


class Command(BaseCommand):
    help = "Print the vault's state: unlocked, locked, destroyed or unsealed."

    def handle(self, *args, **options):
        self.stdout.write(vault.state())
