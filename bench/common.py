"""What the benchmark scripts share: a fresh database, the environment of a run, the
production server on a free port, wrk and the size of a page on the wire."""

import gzip
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TOKEN = secrets.token_hex(16)  # a 32-character CSRF secret, sent as cookie and form field


@contextmanager
def fresh_postgres_database(url: str):
    """A new, empty database on the server DATABASE_URL names, dropped afterwards."""
    import psycopg

    base, _slash, _name = url.rpartition("/")
    name = f"tadamun_bench_{secrets.token_hex(4)}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd, env, **kwargs):
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, text=True, **kwargs)


def manage(env, *args):
    run([PYTHON, "manage.py", *args], env, stdout=subprocess.DEVNULL)


def server_command(name: str, port: int, workers: int) -> list[str]:
    if name == "granian":
        return [
            PYTHON,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-ws",
            "--log-level",
            "warning",
            "tadamun.wsgi:application",
        ]
    return [
        PYTHON,
        "-m",
        "gunicorn",
        "tadamun.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--access-logfile",
        "/dev/null",
        "--error-logfile",
        "-",
        "--log-level",
        "warning",
    ]


class Server:
    def __init__(self, env, workers, name="gunicorn"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            server_command(name, self.port, workers),
            env=env,
            cwd=ROOT,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/bench/hello", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        self.stop()  # not left running behind the error
        raise RuntimeError("the server did not start")

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def wrk(url, seconds, connections, script=None, script_args=()):
    cmd = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", url]
    if script:
        cmd[1:1] = ["-s", str(ROOT / "bench" / script)]
        cmd += ["--", TOKEN, *map(str, script_args)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    result = {"per_s": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}
    if accepted := re.search(r"ACCEPTED (\d+)", out):
        result["accepted"] = int(accepted.group(1))
        result["p99_ms"] = int(re.search(r"P99_US (\d+)", out).group(1)) / 1000
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    result["bad"] = int(errors.group(1)) if errors else 0
    return result


def page_kb(url) -> float:
    """Bytes on the wire for the page and its stylesheet, gzip-compressed, in KB."""
    html = urllib.request.urlopen(url).read()
    total = len(gzip.compress(html))
    for asset in re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html):
        request = urllib.request.Request(
            url.split("/en/")[0] + asset.decode(), headers={"Accept-Encoding": "gzip"}
        )
        total += len(urllib.request.urlopen(request).read())
    return round(total / 1024, 1)


def environment(label: str, database_url: str | None, **extra) -> tuple[dict, Path]:
    """The environment of a benchmark run (production settings, DEBUG off, its own var/ folder
    and secrets) and that folder."""
    var = Path(tempfile.mkdtemp(prefix=f"tadamun-bench-{label}-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "TADAMUN_VAR_DIR": str(var),
        "DATABASE_URL": database_url or f"sqlite:///{var / 'bench.sqlite3'}",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        "EMAIL_URL": "dummymail://",
        **extra,
    }
    run([PYTHON, "-m", "tadamun.core.keys", str(var / "secrets.env")], env)
    if "SECRET_KEY=" not in (var / "secrets.env").read_text():
        raise RuntimeError(f"no secrets were written to {var}")
    return env, var


def run_on_databases(bench_database, args, *, needs_wrk=True) -> None:
    """Run `bench_database(label, database_url, args)` on SQLite and, when DATABASE_URL names
    a PostgreSQL server, on a fresh database there; print a table, then one JSON line."""
    if needs_wrk and not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    results = [bench_database("sqlite", None, args)]
    server_url = os.environ.get("DATABASE_URL", "")
    if server_url.startswith(("postgres://", "postgresql://")):
        with fresh_postgres_database(server_url) as database_url:
            results.append(bench_database("postgresql", database_url, args))
    columns = list(results[0])
    print(" | ".join(f"{column:>15}" for column in columns))
    for result in results:
        print(" | ".join(f"{result[column]!s:>15}" for column in columns))
    print(json.dumps({**results[0], "runs": results}))


def seal_and_unlock(env, var) -> subprocess.Popen:
    """Seal the run's keys (`vault_init`, 1 of 1 share), start the agent and unlock it, and
    make every later process of the run ask the agent; returns the agent's process."""
    out = run(
        [PYTHON, "manage.py", "vault_init", "--secrets-file", str(var / "secrets.env")],
        env,
        capture_output=True,
    ).stdout
    share = re.search(r"share 1: ([a-z ]+)", out).group(1)
    for name in ("FIELD_ENCRYPTION_KEYS", "HASH_KEY", "BACKUP_KEY"):
        env.pop(name, None)
    env.update(VAULT_MODE="agent", VAULT_SOCKET=str(var / "vault.sock"))
    agent = subprocess.Popen(
        [PYTHON, "manage.py", "vault_agent"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while not (var / "vault.sock").exists():
        if agent.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the vault agent did not start")
        time.sleep(0.2)
    run([PYTHON, "manage.py", "vault_unlock"], env, input=share + "\n", stdout=subprocess.DEVNULL)
    return agent
