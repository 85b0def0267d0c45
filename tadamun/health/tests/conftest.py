"""Faults the tests make for real: a Redis of their own that they stop and start, a
database connection that cannot be opened, worker and scheduler processes run as a
deployment runs them."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
REDIS_SERVER = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A private redis-server (no persistence) on a free port, stopped and started again on
    the same port."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603 (the test's own arguments)
            [
                REDIS_SERVER,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port)):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def redis_server():
    if not REDIS_SERVER:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing, and CI must test Redis outages")
        pytest.skip("redis-server is not installed here")
    server = RedisServer()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


@pytest.fixture
def redis_cache(settings, redis_server, monkeypatch):
    """The site's cache on the private Redis, retried at once after a failure."""
    from tadamun.core import cache

    monkeypatch.setattr(cache, "RETRY_SECONDS", 0)
    settings.CACHES = {
        "default": {
            "BACKEND": "tadamun.core.cache.ResilientRedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    return redis_server


@contextlib.contextmanager
def database_down():
    """New connections to the database fail for the block (an address with no server, a
    file that cannot be opened), the open one is closed: as when the server restarts."""
    connection.close()
    saved = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/directory/database.sqlite3"
    else:
        connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", "1"
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def database_url() -> str:
    """DATABASE_URL of the test database, for processes the tests start."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Processes:
    """`manage.py` commands run as long-lived processes on the test database."""

    def __init__(self):
        self.running = []
        self.logs = Path(tempfile.mkdtemp(prefix="tadamun-processes-"))

    def start(self, *args, **environment):
        log = self.logs / f"{len(self.running)}-{args[0]}.log"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "HEARTBEAT_SECONDS": "0.3",
            "WORKER_SILENT_SECONDS": "2",
            "SQLITE_BUSY_TIMEOUT": "1",
            **environment,
        }
        env.pop("REDIS_URL", None)
        with log.open("wb") as out:
            process = subprocess.Popen(  # noqa: S603 (the test's own arguments)
                [sys.executable, "manage.py", *args],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        process.log = log
        self.running.append(process)
        return process

    def stop_all(self):
        for process in self.running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def processes():
    started = Processes()
    yield started
    started.stop_all()


def wait_for(condition, timeout=60.0, every=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := condition():
            return value
        time.sleep(every)
    raise AssertionError(f"still not true after {timeout} s: {condition.__doc__ or condition}")
