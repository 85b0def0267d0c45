from django.db import models


class Seal(models.Model):
    """The personal-data keys, wrapped: the only form in which they are ever stored.

    One row. `wrapped` is the key bundle (tadamun.vault.keyring.KeyBundle) encrypted with
    AES-256-GCM under a key derived with Argon2id from the coalition's unlock secret; the
    secret itself is split among keyholders (SLIP-39, `threshold` of `shares`). The public
    half of the intake's X25519 key pair is stored in the clear, so forms can be sealed to it
    while the site is locked. After `vault_destroy` the wrapped bytes are overwritten and
    emptied, and `destroyed_at` says when.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    public_key = models.BinaryField()
    salt = models.BinaryField()
    wrapped = models.BinaryField()
    threshold = models.PositiveSmallIntegerField()
    shares = models.PositiveSmallIntegerField()
    argon2_time_cost = models.PositiveIntegerField()
    argon2_memory_kib = models.PositiveIntegerField()
    destroyed_at = models.DateTimeField(null=True, blank=True)
    # Raised by every "lock now" (tadamun.vault.everywhere): each machine's agent watches it
    # and drops its keys when it moves past the value it saw when it was unlocked.
    lock_epoch = models.PositiveBigIntegerField(default=0)

    class Meta:
        default_permissions = ()  # never edited by hand: the vault's commands and page only
        permissions = [
            ("lock_vault", "Can lock the vault now"),
            ("unlock_vault", "Can unlock the vault with a keyholder's share"),
        ]

    def __str__(self):
        return f"seal {self.threshold} of {self.shares}"


class JoinCode(models.Model):
    """A one-time code that lets one more machine's agent get the keys from an unlocked one
    over TLS (tadamun.vault.joining). Only its keyed digest is stored: HMAC-SHA256 under a key
    derived from the vault's hash key, over the serving agent's certificate fingerprint and
    the code's secret. So a copy of the database tells nothing of a code, and whoever can
    write to the database cannot make one that an agent accepts: that needs the keys."""

    digest = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        default_permissions = ()  # made on the Vault page or by `vault_join_code` only

    def __str__(self):
        return f"vault join code {self.pk}"
