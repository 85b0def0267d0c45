import pytest
from django.conf import settings as django_settings

from tadamun.vault import holder, keyring, sealing, store


def cheap_argon2(settings):
    """Argon2id at its lowest cost: the tests wrap and unwrap often."""
    settings.VAULT_ARGON2_TIME_COST = 1
    settings.VAULT_ARGON2_MEMORY_KIB = 1024


@pytest.fixture
def sealed(settings, db):
    """The suite's keys sealed (2 of 3 shares) and held in this process's memory, unlocked;
    yields the shares. Data written before keeps reading."""
    cheap_argon2(settings)
    bundle = keyring.KeyBundle.generate(
        field_keys=django_settings.FIELD_ENCRYPTION_KEYS, hash_key=django_settings.HASH_KEY
    )
    shares = store.seal(bundle, threshold=2, shares=3)
    settings.VAULT_MODE = "memory"
    holder._memory.put(bundle)
    yield shares
    holder._memory.lock()
    sealing._forget_public_key()  # the seal is rolled back with the test: no signal says so


@pytest.fixture
def locked(sealed):
    holder._memory.lock()
    return sealed


@pytest.fixture
def seal(settings, db):
    """New keys sealed (2 of 3 shares), held by no process yet: (bundle, shares)."""
    cheap_argon2(settings)
    bundle = keyring.KeyBundle.generate()
    return bundle, store.seal(bundle, threshold=2, shares=3)
