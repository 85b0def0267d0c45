"""Every public form that emails a typed address (the list of
core/tests/test_mail_to_typed_addresses.py), posted while the vault is locked: accepted and
sealed to the public key where built, else the translated "vault is locked" page (503), never
a 500 and never a half-written row. The list below says which; it only grows (issue 15)."""

import pytest
from django.core import mail
from django.db import connection

from tadamun.core import outbox
from tadamun.core.tests.test_mail_to_typed_addresses import (  # noqa: F401 - fixtures
    MAIL_FORMS,
    VICTIM,
    in_language,
    objects,
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
}


def test_every_form_accepted_while_locked_is_a_mail_form():
    assert set(ACCEPTED_WHILE_LOCKED) <= set(MAIL_FORMS)


@pytest.mark.parametrize("route", sorted(MAIL_FORMS))
def test_a_mail_form_posted_while_locked_is_sealed_or_told_locked_never_a_500(
    route,
    client,
    objects,  # noqa: F811
    sealed,  # noqa: F811
    form_rate,
):
    path, data = submission(route, client, objects, VICTIM, 1)  # composed while unlocked
    holder._memory.lock()
    response = client.post(path, data)
    assert not mail.outbox
    assert response.status_code != 500
    if route in ACCEPTED_WHILE_LOCKED:
        assert response.status_code in (200, 302)  # the normal flow: "check your email"
        assert not shows(response, in_language("fr", lambda: str(holder.Locked.message)))
        model, column = ACCEPTED_WHILE_LOCKED[route]
        with connection.cursor() as cursor:
            query = f"SELECT {column} FROM {model._meta.db_table}"  # noqa: S608 - our names
            cursor.execute(query)
            (stored,) = [row[0] for row in cursor.fetchall()]
        assert sealing.is_sealed(stored) and "victim" not in stored
        holder._memory.put(keyring.unwrap(store.wrapped(), sealed[:2]))
        process_intake.call()
        outbox.drain()
        assert [message.to for message in mail.outbox] == [[VICTIM]]  # after unlock, once
    else:
        assert response.status_code == 503
        assert shows(response, in_language("fr", lambda: str(holder.Locked.message)))
