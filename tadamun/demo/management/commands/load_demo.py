from django.core.management.base import BaseCommand

from tadamun.demo.loader import load


class Command(BaseCommand):
    help = "Load the demo campaign, its statement in every language, organisations and accounts."

    def handle(self, *args, **options):
        accounts = load()
        self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        for account in accounts:
            self.stdout.write(
                f"  staff account {account.username!r} ({account.role}): "
                f"password {account.password}"
            )
