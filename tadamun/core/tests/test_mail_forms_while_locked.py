"""Every public form that emails a typed address (the list of
core/tests/test_mail_to_typed_addresses.py), posted while the vault is locked: accepted, the
person told to check their email as usual, the submission sealed to the vault's public key
(no address in clear in any table), and after unlock recorded with one mail (issue 15).
The sealed intake is core/intake.py; the petition and "your data" forms keep their own."""

import pytest
from django.core import mail
from django.db import connection

from tadamun.core import intake, outbox
from tadamun.core.models import SealedSubmission
from tadamun.core.tests.test_mail_to_typed_addresses import (  # noqa: F401 - fixtures
    MAIL_FORMS,
    in_language,
    objects,
    owner_of,
    shows,
    submission,
)
from tadamun.petitions.models import SignatureIntake
from tadamun.petitions.tasks import process_intake
from tadamun.supporters.models import LinkRequest
from tadamun.vault import holder, keyring, sealing, store
from tadamun.vault.tests.conftest import sealed  # noqa: F401 - the fixture

# Form -> the model and column its sealed submission waits in until unlock.
ACCEPTED_WHILE_LOCKED = {
    "petitions:sign": (SignatureIntake, "sealed"),
    "supporters:my_data_request": (LinkRequest, "email"),
    # Every other mail form: the one sealed intake (core/intake.py).
    **dict.fromkeys(
        (
            "coalition:endorse",
            "events:rsvp",
            "events:propose",
            "events:manage_request",
            "letters:send",
        ),
        (SealedSubmission, "sealed"),
    ),
}


def test_every_mail_form_is_accepted_while_locked():
    assert set(ACCEPTED_WHILE_LOCKED) == set(MAIL_FORMS)


def every_cell():
    """Every text stored in every table of the database."""
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                yield from (str(cell) for cell in row if cell is not None)


def unlock(shares) -> None:
    holder._memory.put(keyring.unwrap(store.wrapped(), shares[:2]))
    process_intake.call()
    intake.record_sealed.call()
    outbox.drain()


@pytest.mark.parametrize("route", sorted(MAIL_FORMS))
def test_a_mail_form_posted_while_locked_is_sealed_then_recorded_and_mailed_once(
    route,
    client,
    objects,  # noqa: F811
    sealed,  # noqa: F811
    form_rate,
):
    owner = owner_of(route, objects)
    path, data = submission(route, client, objects, owner, 1)  # composed while unlocked
    holder._memory.lock()
    response = client.post(path, data)
    assert not mail.outbox
    assert response.status_code in (200, 302)  # the normal flow: "check your email"
    assert not shows(response, in_language("fr", lambda: str(holder.Locked.message)))
    model, column = ACCEPTED_WHILE_LOCKED[route]
    with connection.cursor() as cursor:
        query = f"SELECT {column} FROM {model._meta.db_table}"  # noqa: S608 - our names
        cursor.execute(query)
        (stored,) = [row[0] for row in cursor.fetchall()]
    assert sealing.is_sealed(stored)
    assert not [cell for cell in every_cell() if owner.split("@")[0] in cell]
    unlock(sealed)
    assert not model.objects.exists()  # recorded (or, for "your data", sent): none waits
    assert [message.to for message in mail.outbox] == [[owner]]  # after unlock, once
    unlock(sealed)  # a second run finds nothing to do
    assert len(mail.outbox) == 1
