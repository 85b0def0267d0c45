"""Changing the secret and the keys while the site runs: re-wrapping under new shares (also
how k remaining keyholders replace a lost one) and rotating the field-encryption key."""

import io
import re

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import CommandError, call_command

from tadamun import vault
from tadamun.staff.roles import COALITION_ADMIN, MODERATOR
from tadamun.supporters.models import Supporter
from tadamun.vault import keyring, rotation, store
from tadamun.vault.tests.test_agent import FakeInput


def new_shares(text: str) -> list[str]:
    return re.findall(r"share \d+: ([a-z ]+)", text)


def rewrap_command(shares, threshold=2, count=3) -> list[str]:
    out = io.StringIO()
    call_command(
        "vault_rewrap", "--threshold", str(threshold), "--shares", str(count),
        stdin=FakeInput(shares), stdout=out,
    )  # fmt: skip
    return new_shares(out.getvalue())


def test_two_remaining_keyholders_rewrap_to_new_shares_and_a_lost_share_is_refused(sealed):
    """The lost keyholder's recovery: share 1 is lost (or its holder no longer trusted);
    holders 2 and 3 make a fresh 2-of-3 set. The keys stay, the site stays unlocked."""
    keys_before = vault.keys()
    lost, *remaining = sealed
    fresh = rewrap_command(remaining)
    assert len(set(fresh)) == 3 and not set(fresh) & set(sealed)
    assert vault.state() == "unlocked" and vault.keys() == keys_before
    for pair in ([0, 1], [1, 2], [2, 0]):
        assert keyring.unwrap(store.wrapped(), [fresh[i] for i in pair]) == keys_before
    for old in ([lost, remaining[0]], remaining, [lost, fresh[0]]):
        with pytest.raises(keyring.WrongSecret):
            keyring.unwrap(store.wrapped(), old)
        with pytest.raises(CommandError, match="Refused"):
            call_command("vault_unlock", stdin=FakeInput(old))
    with pytest.raises(keyring.WrongSecret):  # one new share alone is not enough
        keyring.unwrap(store.wrapped(), fresh[:1])
    call_command("vault_unlock", stdin=FakeInput(fresh[1:]), stdout=io.StringIO())
    assert vault.keys() == keys_before


def test_rewrap_refuses_too_few_shares_and_impossible_splits_and_changes_nothing(sealed):
    before = store.wrapped()
    with pytest.raises(CommandError, match="Refused"):
        rewrap_command(sealed[:1])
    with pytest.raises(CommandError, match="threshold"):
        rewrap_command(sealed[:2], threshold=3, count=2)
    assert store.wrapped() == before
    # To another threshold: the one coalition secret, 1 of 1.
    [secret] = rewrap_command(sealed[:2], threshold=1, count=1)
    assert keyring.unwrap(store.wrapped(), [secret]) == vault.keys()
    assert store.wrapped().threshold == 1


def test_two_keyholders_rewrapping_at_once_cannot_both_believe_their_shares_work(sealed):
    old = store.wrapped()
    rotation.rewrap(sealed[:2], threshold=2, shares=3)
    with pytest.raises(rotation.SealChanged):  # the second one opened the seal before
        rotation._replace(old, old)


def test_the_vault_page_rewraps_for_a_coalition_admin_and_shows_the_shares_once(
    client, make_staff, sealed
):
    client.force_login(make_staff(MODERATOR))
    data = {"action": "rewrap", "rewrap-shares": "\n".join(sealed[1:]), "rewrap-threshold": 2}
    assert client.post("/en/admin/vault/", {**data, "rewrap-count": 3}).status_code == 403
    assert keyring.unwrap(store.wrapped(), sealed[1:])  # unchanged
    client.force_login(make_staff(COALITION_ADMIN))
    page = client.get("/en/admin/vault/")
    assert 'name="rewrap-threshold"' in page.text
    refused = client.post(
        "/en/admin/vault/", {**data, "rewrap-shares": sealed[0], "rewrap-count": 3}
    )
    assert "These shares do not open the vault." in refused.text
    impossible = client.post("/en/admin/vault/", {**data, "rewrap-count": 1})
    assert "at least as many shares" in impossible.text
    done = client.post("/en/admin/vault/", {**data, "rewrap-count": 3})
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    fresh = re.findall(r"<li><code>([a-z ]+)</code></li>", done.text)
    assert len(fresh) == 3 and "2 of these 3 new shares" in done.text
    assert keyring.unwrap(store.wrapped(), fresh[::2]) == vault.keys()
    with pytest.raises(keyring.WrongSecret):
        keyring.unwrap(store.wrapped(), sealed[1:])
    assert vault.state() == "unlocked"
    arabic = client.post(
        "/ar/admin/vault/",
        {**data, "rewrap-shares": "\n".join(fresh[:2]), "rewrap-count": 3},
    )
    assert "أُعيد تغليف الخزنة: تفتحها 2 من هذه الحصص الجديدة الـ3" in arabic.text
    assert len(re.findall(r"<li><code>([a-z ]+)</code></li>", arabic.text)) == 3


def encrypted_values() -> dict:
    """Every encrypted value in the database, as stored (column label, pk) -> bytes."""
    values = {}
    for column in rotation.columns():
        after = None
        while rows := rotation._rows(column, after, 1000):
            for pk, stored in rows:
                raw = bytes(stored) if column.binary else str(stored).encode()
                if raw:
                    values[column.label, pk] = raw
            after = rows[-1][0]
    return values


def fernet_only(values: dict) -> dict:
    return {k: v for k, v in values.items() if not v.startswith(rotation.SEALED)}


def readable_only_with(key: str, values: dict) -> bool:
    for token in values.values():
        try:
            Fernet(key).decrypt(token)
        except InvalidToken:
            return False
    return True


def personal_data() -> list[tuple]:
    return sorted(Supporter.objects.values_list("email", "name"))


@pytest.fixture
def signed(sign, sealed, petition):
    from tadamun.petitions.models import SignatureIntake

    # A submission waiting for a worker, sealed to the public key: no field key to rotate.
    SignatureIntake.objects.create(petition=petition, sealed='{"email": "waiting@example.org"}')
    for number in range(7):
        sign(f"person{number}@example.org", name=f"Person {number}", confirm=number % 2 == 0)
    return personal_data()


def test_rotating_the_field_key_keeps_every_value_and_no_row_needs_the_old_key(
    signed, sealed, monkeypatch
):
    old_key = vault.keys().field_keys[0]
    before = encrypted_values()
    assert len(before) >= 14 and readable_only_with(old_key, fernet_only(before))
    monkeypatch.setattr(rotation, "BATCH", 2)
    out = io.StringIO()
    call_command("vault_rotate_keys", stdin=FakeInput(sealed[:2]), stdout=out)
    sealed_intake = {k: v for k, v in before.items() if v.startswith(rotation.SEALED)}
    assert len(sealed_intake) == 1
    assert f"{len(before) - 1} values re-encrypted" in out.getvalue()
    assert "supporters.Supporter.email: 7/7 rows" in out.getvalue()  # progress, per column
    [new_key] = vault.keys().field_keys
    assert new_key != old_key
    assert keyring.unwrap(store.wrapped(), sealed[::2]).field_keys == (new_key,)  # same shares
    assert personal_data() == signed
    after = encrypted_values()
    assert after.keys() == before.keys()
    assert {k: v for k, v in after.items() if k in sealed_intake} == sealed_intake
    fernet_tokens = {k: v for k, v in after.items() if k not in sealed_intake}
    assert readable_only_with(new_key, fernet_tokens)
    assert not any(readable_only_with(old_key, {k: v}) for k, v in fernet_tokens.items())
    from tadamun.petitions.models import SignatureIntake

    assert "waiting@example.org" in SignatureIntake.objects.get().sealed


def test_a_rotation_is_readable_throughout_resumable_and_ends_with_one_key(
    signed, sealed, sign, monkeypatch
):
    old_key = vault.keys().field_keys[0]
    monkeypatch.setattr(rotation, "BATCH", 2)
    calls = []

    def interrupted(label, done, total):
        calls.append(label)
        assert personal_data()[:1]  # values read mid-way, with the old or the new key
        if len(calls) == 3:
            sign("late@example.org", name="Late Comer", confirm=True)  # the site writes meanwhile
            raise KeyboardInterrupt  # the operator's Ctrl-C, or a lost connection

    with pytest.raises(KeyboardInterrupt):
        rotation.rotate_field_keys(sealed[:2], progress=interrupted)
    keys = vault.keys().field_keys
    assert len(keys) == 2 and keys[1] == old_key  # the new key first, the old one still read
    assert ("late@example.org", "Late Comer") in personal_data()
    half_way = encrypted_values()
    assert not readable_only_with(keys[0], fernet_only(half_way))  # some rows not moved yet
    report = rotation.rotate_field_keys(sealed[1:])  # run again: it carries on
    assert not report["started"] and report["dropped"] == 1
    assert vault.keys().field_keys == keys[:1]
    assert keyring.unwrap(store.wrapped(), sealed[::2]).field_keys == keys[:1]
    assert readable_only_with(keys[0], fernet_only(encrypted_values()))
    assert sorted([*signed, ("late@example.org", "Late Comer")]) == personal_data()


def test_rotating_needs_the_shares(sealed):
    with pytest.raises(CommandError, match="Refused"):
        call_command("vault_rotate_keys", stdin=FakeInput(sealed[:1]), stdout=io.StringIO())
    assert len(vault.keys().field_keys) == 1


def test_the_vault_page_refuses_to_rewrap_destroyed_keys_without_an_error(
    client, make_staff, sealed
):
    client.force_login(make_staff(COALITION_ADMIN))
    store.destroy(sealed[:2])
    data = {"action": "rewrap", "rewrap-shares": "\n".join(sealed[:2]), "rewrap-threshold": 2}
    response = client.post("/en/admin/vault/", {**data, "rewrap-count": 3})
    assert response.status_code == 200 and 'data-state="destroyed"' in response.text
    assert "destroyed" in response.text and "<code>" not in response.text
