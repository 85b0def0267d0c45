"""Degrade, don't fail: Redis down serves every page and form (uncached, looser limits);
the database down answers a 503 that says nothing was recorded."""

import sqlite3
import sys

import pytest
from django.db import DatabaseError, OperationalError, connection
from django.test import RequestFactory

from tadamun.core.unavailable import is_outage, server_error
from tadamun.health.tests.conftest import database_down
from tadamun.petitions.models import Signature
from tadamun.petitions.tests.helpers import sign_form

PAGE = "/en/petitions/open-the-borders/"
SIGN = "/en/petitions/open-the-borders/sign/"


def test_signing_with_redis_stopped_gets_no_500_and_records_every_accepted_submission(
    client, petition, redis_cache, settings, django_capture_on_commit_callbacks
):
    settings.PETITION_PAGE_CACHE_SECONDS = 60  # the page cache on, as deployed
    accepted = []

    def sign(number):
        assert client.get(PAGE).status_code == 200
        email = f"person{number}@example.org"
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(SIGN, sign_form(email=email))
        assert response.status_code == 302, response.status_code  # thanked, never a 500
        accepted.append(email)

    sign(0)
    redis_cache.stop()
    for number in range(1, 6):
        sign(number)
    redis_cache.start()
    sign(6)
    recorded = Signature.objects.values_list("supporter__email", flat=True)
    assert sorted(recorded) == sorted(accepted)


@pytest.mark.django_db(transaction=True)
def test_a_form_sent_while_the_database_is_down_gets_a_503_saying_it_was_not_recorded(
    client, petition, settings
):
    with database_down():
        response = client.post("/fr/petitions/open-the-borders/sign/", sign_form())
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.DATABASE_DOWN_RETRY_AFTER)
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert "n’a pas été enregistré" in page
    assert not Signature.objects.exists()
    assert client.post(SIGN, sign_form()).status_code == 302  # back: the form works again


@pytest.mark.django_db(transaction=True)
def test_a_page_read_while_the_database_is_down_is_a_translated_503(client, petition):
    with database_down():
        response = client.get("/ar/petitions/open-the-borders/")
    assert response.status_code == 503
    page = response.content.decode()
    assert 'dir="rtl"' in page and "Retry-After" in response
    assert "لم يُسجَّل" not in page  # a page read sent nothing: it does not say so
    assert client.get(PAGE).status_code == 200


def test_an_outage_raised_around_the_view_is_a_503_and_a_bug_stays_a_500(db):
    request = RequestFactory().post("/de/petitions/open-the-borders/sign/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        assert sys.exc_info()[0] is OperationalError
        response = server_error(request)
    assert response.status_code == 503
    assert "nicht gespeichert" in response.content.decode()
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


@pytest.mark.django_db
def test_a_schema_mistake_on_sqlite_stays_a_500_not_an_outage():
    """SQLite says OperationalError for "no such column" too (PostgreSQL, ProgrammingError):
    that is a bug to see, never a page telling people the database is down."""
    with pytest.raises(DatabaseError) as raised, connection.cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM django_migrations")
    assert not is_outage(raised.value)
    locked = OperationalError("database is locked")
    locked.__cause__ = sqlite3.OperationalError("database is locked")
    assert is_outage(locked)
