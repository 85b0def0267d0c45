"""A task for the worker tests: notes each start and end in a file, sleeping in between."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def note_slowly(path: str, seconds: float) -> None:
    with Path(path).open("a") as notes:
        notes.write(f"start {os.getpid()}\n")
    time.sleep(seconds)
    with Path(path).open("a") as notes:
        notes.write(f"done {os.getpid()}\n")


_seen = []


@task()
def note_connection(path: str) -> None:
    """Notes which database connection ran it (the worker keeps one from task to task)."""
    from django.db import connection

    connection.ensure_connection()
    _seen.append(connection.connection)  # kept, so that a new one cannot reuse its id()
    with Path(path).open("a") as notes:
        notes.write(f"{id(connection.connection)}\n")
