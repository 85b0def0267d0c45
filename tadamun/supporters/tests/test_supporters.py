from django.db import connection

from tadamun.supporters import services
from tadamun.supporters.models import Consent, Supporter


def raw(column, supporter):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM supporters_supporter WHERE id = %s", [supporter.pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_one_record_per_person_whatever_the_spelling_of_the_address(db):
    first = services.find_or_create_supporter("Rania@Example.org", name="Rania", country="LB")
    again = services.find_or_create_supporter(" rania@example.org ", name="Someone Else")
    assert first == again
    assert Supporter.objects.count() == 1
    assert Supporter.objects.get().name == "Rania"  # never overwritten by a later form


def test_email_and_name_are_encrypted_and_found_through_a_keyed_hash(db):
    supporter = services.find_or_create_supporter("rania@example.org", name="Rania Haddad")
    assert "rania" not in raw("email", supporter) and "@" not in raw("email", supporter)
    assert "Rania" not in raw("name", supporter)
    assert "rania" not in raw("email_hash", supporter)
    assert Supporter.objects.with_email("RANIA@example.org").get() == supporter


def test_consent_is_a_record_with_its_wording_version(db):
    supporter = services.find_or_create_supporter("rania@example.org")
    consent = services.give_consent(supporter, Consent.Purpose.UPDATES, source="petition:x")
    assert services.give_consent(supporter, Consent.Purpose.UPDATES) == consent  # idempotent
    assert consent.wording == "updates-1" and consent.given_at and consent.withdrawn_at is None
    assert services.withdraw_consents(supporter, purpose="updates") == 1
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    fresh = services.give_consent(supporter, Consent.Purpose.UPDATES)
    assert fresh != consent  # given again: a new record, the old one stays as history
    assert supporter.consents.count() == 2


def test_rehashing_after_a_new_hash_key_keeps_supporters_findable(db, settings):
    from io import StringIO

    from django.core.management import call_command

    supporter = services.find_or_create_supporter("rania@example.org")
    settings.HASH_KEY = "a brand new key"
    assert not Supporter.objects.with_email("rania@example.org").exists()
    call_command("rehash_supporters", stdout=StringIO())
    assert Supporter.objects.with_email("rania@example.org").get() == supporter
