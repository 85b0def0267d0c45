from django.core.management.base import BaseCommand, CommandError

from tadamun.vault import keyring, rotation
from tadamun.vault.terminal import read_mnemonics, refusals


class Command(BaseCommand):
    help = (
        "Wrap the keys under a new secret: k current shares in, a new threshold of new shares "
        "out (printed once). The keys stay, the site stays unlocked, the old shares stop "
        "working. Also how k remaining keyholders replace a lost one (docs/security.md)."
    )

    stealth_options = ("stdin",)  # tests and scripts pass the shares

    def add_arguments(self, parser):
        parser.add_argument("--threshold", type=int, required=True, help="new shares needed (k)")
        parser.add_argument("--shares", type=int, required=True, help="new shares made (n)")

    def handle(self, *args, threshold, shares, **options):
        try:
            keyring.split(b"\0" * keyring.SECRET_BYTES, threshold, shares)  # refused early
        except ValueError as error:
            raise CommandError(str(error)) from None
        with refusals("re-wrap"):
            mnemonics = rotation.rewrap(
                read_mnemonics(options.get("stdin")), threshold=threshold, shares=shares
            )
        self.stdout.write(
            f"The vault is re-wrapped: {threshold} of these {shares} new shares unlock it; the "
            "old shares no longer do. Each is shown once, here, and stored nowhere: give one to "
            "each keyholder."
        )
        for number, mnemonic in enumerate(mnemonics, 1):
            self.stdout.write(f"  share {number}: {mnemonic}")
        self.stdout.write(
            "The keys are the same: the site stays unlocked, and every machine's agent "
            "unlocked now stays so (the next unlock needs the new shares)."
        )
