"""A process keeps its database connection from one request to the next, on SQLite as on
PostgreSQL: opening one cost an uncached page a third of its time (SQLite reads the schema and
runs the pragmas again on each new connection)."""

import pytest
from django.conf import settings
from django.db import connection

from tadamun.core.tests.test_deploy_check import manage

# What Django's handler does around each request, three times, with one query each.
REQUESTS = """
from django.core import signals
from django.db import connection

connection.ensure_connection()
first = connection.connection
for _ in range(3):
    signals.request_started.send(sender=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    signals.request_finished.send(sender=None)
print("kept" if connection.connection is first else "opened again")
"""


def _databases() -> list:
    databases = [pytest.param("sqlite", id="sqlite")]
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        databases.append(pytest.param("postgresql", id="postgresql"))
    return databases


def _url(database: str, tmp_path) -> str:
    if database == "sqlite":
        return f"sqlite:///{tmp_path / 'site.sqlite3'}"
    db = connection.settings_dict  # the run's own test database
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db
@pytest.mark.parametrize("database", _databases())
def test_a_connection_outlives_the_request(database, tmp_path, monkeypatch):
    monkeypatch.delenv("CONN_MAX_AGE", raising=False)  # the default, whatever the run exports
    url = _url(database, tmp_path)
    done = manage("shell", "--no-imports", "-c", REQUESTS, DATABASE_URL=url, DEBUG="1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "kept"


def test_a_deployment_can_still_open_one_per_request(tmp_path):
    url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    done = manage(
        "shell", "--no-imports", "-c", REQUESTS, DATABASE_URL=url, DEBUG="1", CONN_MAX_AGE="0"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "opened again"
