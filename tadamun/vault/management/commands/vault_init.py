from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tadamun.vault import store
from tadamun.vault.terminal import remove_keys_from


class Command(BaseCommand):
    help = (
        "Seal the personal-data keys: wrap them under a new unlock secret, split among "
        "keyholders, print the shares once, and remove the keys from the secrets file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--threshold", type=int, default=1, help="shares needed (k)")
        parser.add_argument("--shares", type=int, default=1, help="shares made (n)")
        parser.add_argument(
            "--secrets-file",
            default=str(Path(settings.VAR_DIR) / "secrets.env"),
            help="where FIELD_ENCRYPTION_KEYS and HASH_KEY are removed from",
        )

    def handle(self, *args, threshold, shares, secrets_file, **options):
        if store.exists():
            raise CommandError("The vault already holds keys (vault_destroy comes first).")
        try:
            mnemonics = store.seal_the_keys_in_use(threshold=threshold, shares=shares)
        except ValueError as error:
            raise CommandError(str(error)) from None
        removed = remove_keys_from(Path(secrets_file))
        self.stdout.write(
            f"The vault is sealed: {threshold} of these {shares} shares unlock it. Each is "
            "shown once, here, and stored nowhere: give one to each keyholder."
        )
        for number, mnemonic in enumerate(mnemonics, 1):
            self.stdout.write(f"  share {number}: {mnemonic}")
        if removed:
            self.stdout.write(f"Removed from {secrets_file}: {', '.join(removed)}.")
        self.stdout.write(
            "Start `manage.py vault_agent`, then `manage.py vault_unlock` (docs/security.md)."
        )
