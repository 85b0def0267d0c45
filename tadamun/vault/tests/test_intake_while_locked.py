"""Nothing lost while locked: signatures are accepted and sealed to the vault's public key,
recorded and confirmed once after unlock; confirmation mail and mailings wait, in order, and
no copy goes twice."""

import base64

import pytest
from django.core import mail
from django.db import connection
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, SealedBox

from tadamun import vault
from tadamun.core import outbox
from tadamun.core.models import OutboxMessage
from tadamun.petitions.models import Signature, SignatureIntake
from tadamun.petitions.tasks import process_intake
from tadamun.petitions.tests.helpers import sign_form
from tadamun.vault import holder, keyring, sealing, store

SIGN = "/en/petitions/open-the-borders/sign/"
THANKS = "/en/petitions/open-the-borders/thanks/"


def unlock(shares):
    holder._memory.put(keyring.unwrap(store.wrapped(), shares[:2]))


def test_a_sealed_value_opens_only_with_the_unlocked_keys(sealed):
    boxed = sealing.seal("rania@example.org")
    assert sealing.is_sealed(boxed) and "rania" not in boxed
    assert sealing.unseal(boxed) == "rania@example.org"
    holder._memory.lock()
    assert sealing.is_sealed(sealing.seal("another@example.org"))  # sealing needs no key
    with pytest.raises(vault.Locked):
        sealing.unseal(boxed)


def test_an_installation_not_sealed_seals_to_a_key_of_its_own_not_one_anyone_can_write():
    """Keys still in settings: the intake is sealed to a key derived from them, so a copy of
    the database alone opens nothing; rows sealed by the version that used a key of zeros
    still read."""
    boxed = sealing.seal("rania@example.org")
    with pytest.raises(CryptoError):
        SealedBox(PrivateKey(bytes(32))).decrypt(base64.b64decode(boxed[len(sealing.PREFIX) :]))
    assert sealing.unseal(boxed) == "rania@example.org"
    older = SealedBox(PrivateKey(bytes(32)).public_key).encrypt(b"written before")
    assert sealing.unseal(sealing.PREFIX + base64.b64encode(older).decode()) == "written before"


def test_a_submission_sealed_with_the_field_keys_before_still_reads(petition, client):
    from tadamun.core.crypto import encrypt

    assert sealing.unseal(encrypt("written before")) == "written before"


def test_a_burst_of_signatures_while_locked_is_recorded_and_confirmed_once_after_unlock(
    client, petition, locked, form_rate
):
    form_rate("sign", network="1000/h")  # one test client is one network
    addresses = [f"signer{index}@example.org" for index in range(30)]
    for address in addresses:
        response = client.post(SIGN, sign_form(email=address, name="Rania Haddad"))
        # The normal flow: a watcher sees the same answer as when unlocked.
        assert response.status_code == 302 and response.url == THANKS
    client.post(SIGN, sign_form(email=addresses[0]))  # twice: still one signature
    assert SignatureIntake.objects.count() == 31
    assert set(SignatureIntake.objects.values_list("email_hash", flat=True)) == {""}
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM petitions_signatureintake")
        stored = [row[0] for row in cursor.fetchall()]
    assert all(value.startswith(sealing.PREFIX) and "signer" not in value for value in stored)

    with pytest.raises(vault.Locked):  # the worker waits: nothing opened, nothing counted
        process_intake.call()
    assert SignatureIntake.objects.filter(attempts=0).count() == 31
    with pytest.raises(vault.Locked):
        outbox.drain()
    assert not Signature.objects.exists() and not mail.outbox

    unlock(locked)
    assert process_intake.call() == 31
    process_intake.call()  # run again (a second worker): nothing recorded twice
    outbox.drain()
    assert not SignatureIntake.objects.exists()
    assert Signature.objects.count() == 30
    assert sorted(s.supporter.email for s in Signature.objects.all()) == sorted(addresses)
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(addresses)  # each confirmed once: one link each


def test_lock_now_midway_through_the_outbox_gives_the_rest_back_and_sends_none_twice(
    client, petition, sealed, monkeypatch
):
    for index in range(6):
        client.post(SIGN, sign_form(email=f"p{index}@example.org"))
    monkeypatch.setattr(outbox, "drain", lambda **kwargs: {})  # the intake sends nothing yet
    process_intake.call()
    monkeypatch.undo()
    assert OutboxMessage.objects.filter(status=OutboxMessage.Status.QUEUED).count() == 6

    loaded, locked_once = outbox._load, []

    def lock_after_two(rows):
        if len(mail.outbox) >= 2 and not locked_once:
            locked_once.append(True)
            holder._memory.lock()  # lock now, between two batches' reads
        return loaded(rows)

    monkeypatch.setattr(outbox, "_load", lock_after_two)
    with pytest.raises(vault.Locked):
        outbox.drain(batch=2)
    assert len(mail.outbox) == 2
    waiting = OutboxMessage.objects.exclude(status=OutboxMessage.Status.SENT)
    assert set(waiting.values_list("status", "claim")) == {(OutboxMessage.Status.QUEUED, "")}
    assert waiting.count() == 4 and not waiting.exclude(attempts=0).exists()

    unlock(sealed)
    outbox.drain(batch=2)
    recipients = [message.to[0] for message in mail.outbox]
    assert sorted(recipients) == [f"p{index}@example.org" for index in range(6)]
    assert recipients == [f"p{index}@example.org" for index in range(6)]  # in order, once
