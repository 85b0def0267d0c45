from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from tadamun.coalition.models import Endorsement


def raw_email(endorsement):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_email FROM coalition_endorsement WHERE id = %s", [endorsement.pk]
        )
        return cursor.fetchone()[0]


def test_contact_email_is_encrypted_at_rest(make_endorsement):
    endorsement = make_endorsement("Amal Network")
    stored = raw_email(endorsement)
    assert "amal" not in stored and "@" not in stored
    assert Endorsement.objects.get(pk=endorsement.pk).contact_email == "contact@amal.example"


def test_rotation_re_encrypts_under_the_new_key(make_endorsement, settings):
    endorsement = make_endorsement("Amal Network")
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    before = raw_email(endorsement)
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]

    call_command("rotate_encryption_keys", stdout=open("/dev/null", "w"))  # noqa: SIM115

    after = raw_email(endorsement)
    assert after != before
    assert Fernet(new_key.encode()).decrypt(after.encode()) == b"contact@amal.example"
    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key can now be dropped
    assert Endorsement.objects.get(pk=endorsement.pk).contact_email == "contact@amal.example"
