from django.core.management.base import BaseCommand

from tadamun.core.privacy import email_hash
from tadamun.supporters.models import Supporter


class Command(BaseCommand):
    help = (
        "Recompute every supporter's email lookup hash with the current HASH_KEY. "
        "Run right after changing HASH_KEY (docs/security.md)."
    )

    def handle(self, *args, **options):
        total = Supporter.objects.count()
        rows = Supporter.objects.values_list("pk", "email").iterator(chunk_size=2000)
        for done, (pk, email) in enumerate(rows, 1):
            Supporter.objects.filter(pk=pk).update(email_hash=email_hash(email))
            if done % 1000 == 0:
                self.stdout.write(f"\r{done}/{total}", ending="")
        self.stdout.write(f"\r{total}/{total} supporters rehashed")
