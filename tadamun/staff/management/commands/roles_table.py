from django.core.management.base import BaseCommand

from tadamun.staff.roles import rights_table


class Command(BaseCommand):
    help = "Print the roles' stated rights as the Markdown table of docs/security.md."

    def handle(self, *args, **options):
        self.stdout.write(rights_table())
