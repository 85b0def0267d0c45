from django.core.management.base import BaseCommand

from tadamun.core.crypto import encrypted_fields


class Command(BaseCommand):
    help = (
        "Re-encrypt all personal data under the first key in FIELD_ENCRYPTION_KEYS. "
        "Run after putting a new key in front; then the old key can be removed."
    )

    def handle(self, *args, **options):
        for model, field in encrypted_fields():
            rows = model._base_manager.exclude(**{f"{field}__isnull": True})
            total = rows.count()
            label = f"{model._meta.label}.{field}"
            # Values are decrypted on read (with whichever key works) and encrypted on write
            # with the first key: reading and writing each row back rotates it.
            for done, (pk, value) in enumerate(rows.values_list("pk", field).iterator(2000), 1):
                model._base_manager.filter(pk=pk).update(**{field: value})
                if done % 1000 == 0:
                    self.stdout.write(f"\r{label}: {done}/{total}", ending="")
            self.stdout.write(f"\r{label}: {total}/{total} rotated")
