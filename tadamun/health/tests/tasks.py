"""Tasks for the worker tests: they note each start and end in a file."""

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


def release(path: str) -> None:
    Path(f"{path}.release").touch()


@task()
def note_until_released(path: str) -> None:
    """As note_slowly, but it ends when the test calls `release(path)` (at most a minute),
    not after a time the test must keep up with."""
    with Path(path).open("a") as notes:
        notes.write(f"start {os.getpid()}\n")
    deadline = time.monotonic() + 60
    while not Path(f"{path}.release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
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
