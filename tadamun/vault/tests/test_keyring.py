"""Wrapping the keys: round trip, wrong secrets refused, k of n shares."""

import pytest

from tadamun.vault import keyring

CHEAP = {"time_cost": 1, "memory_kib": 1024}


@pytest.fixture(scope="module")
def bundle():
    return keyring.KeyBundle.generate()


def test_wrap_unwrap_round_trip_with_the_one_secret(bundle):
    stored, [secret] = keyring.wrap(bundle, threshold=1, shares=1, **CHEAP)
    assert keyring.unwrap(stored, [secret]) == bundle
    assert len(secret.split()) == 20
    # Nothing of the keys is stored in the clear; the public key is, by design.
    for key in (*bundle.field_keys, bundle.hash_key):
        assert key.encode() not in stored.wrapped
    assert stored.public_key == bundle.public_key and bundle.box_secret not in stored.wrapped


def test_another_vaults_secret_is_refused(bundle):
    stored, _secret = keyring.wrap(bundle, threshold=1, shares=1, **CHEAP)
    _other, [other_secret] = keyring.wrap(bundle, threshold=1, shares=1, **CHEAP)
    with pytest.raises(keyring.WrongSecret):
        keyring.unwrap(stored, [other_secret])


def test_a_mistyped_word_is_refused(bundle):
    stored, [secret] = keyring.wrap(bundle, threshold=1, shares=1, **CHEAP)
    words = secret.split()
    words[5] = "academic" if words[5] != "academic" else "acid"
    with pytest.raises(keyring.WrongSecret):
        keyring.unwrap(stored, [" ".join(words)])


def test_any_two_of_three_shares_unlock(bundle):
    stored, shares = keyring.wrap(bundle, threshold=2, shares=3, **CHEAP)
    assert len(set(shares)) == 3
    for pair in ([0, 1], [1, 2], [2, 0]):
        assert keyring.unwrap(stored, [shares[i] for i in pair]) == bundle
    # Case and spacing as a person types them.
    assert keyring.unwrap(stored, [f"  {shares[0].upper()} ", shares[2]]) == bundle


@pytest.mark.parametrize("given", [[0], [1], [2], [], [0, 0]])
def test_one_of_three_shares_is_refused(bundle, given):
    stored, shares = keyring.wrap(bundle, threshold=2, shares=3, **CHEAP)
    with pytest.raises(keyring.WrongSecret):
        keyring.unwrap(stored, [shares[i] for i in given])


def test_the_salt_changes_at_every_wrapping(bundle):
    one, _ = keyring.wrap(bundle, threshold=1, shares=1, **CHEAP)
    two, _ = keyring.wrap(bundle, threshold=1, shares=1, **CHEAP)
    assert one.salt != two.salt and one.wrapped != two.wrapped


def test_keys_never_show_in_a_repr(bundle):
    assert bundle.hash_key not in repr(bundle) and bundle.field_keys[0] not in repr(bundle)
    assert bundle.hash_key not in str(bundle)


@pytest.mark.parametrize("threshold,shares", [(0, 1), (3, 2), (1, 3), (2, 17)])
def test_impossible_splits_are_refused(bundle, threshold, shares):
    with pytest.raises(ValueError):
        keyring.wrap(bundle, threshold=threshold, shares=shares, **CHEAP)
