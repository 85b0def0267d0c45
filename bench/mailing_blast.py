"""Mailing benchmark: one mailing to 100,000 supporters, two workers, one of them killed.

Runs with production settings on SQLite (and on PostgreSQL too when DATABASE_URL points at a
server). A local SMTP sink (aiosmtpd, in its own process) records every message it accepts.
First a bare smtplib loop sends the same kind of message to the sink over one connection:
that is the ceiling. Then the mailing is queued, two `db_worker` processes send it, one is
killed with SIGKILL a third of the way through and a new one started; the copies the dead
worker had claimed go back to the queue after MAILING_CLAIM_TIMEOUT. When the mailing reads
"sent", the sink's record is checked: every supporter got exactly one copy. Prints a table
and, as its last line, one JSON object. See bench/README.md.

    .venv/bin/python bench/mailing_blast.py [--recipients 100000]
"""

import argparse
import collections
import contextlib
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

if not __package__:  # run as a file, not with -m: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PYTHON,
    ROOT,
    environment,
    free_port,
    manage,
    run_on_databases,
)

CLAIM_TIMEOUT = 10
CEILING_MESSAGES = 3000

# The SMTP sink, in a child process: one line per accepted message ("<recipient>").
SINK = """
import sys, time
from aiosmtpd.controller import Controller

class Record:
    def __init__(self, path):
        self.out = open(path, "a", buffering=1)
    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            self.out.write(rcpt + "\\n")
        return "250 OK"

controller = Controller(Record(sys.argv[2]), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"""

# In the benchmark's environment: supporters who asked for updates, and a mailing.
SETUP = """
import sys
import django
django.setup()
from django.utils import timezone
from tadamun.core.privacy import email_hash
from tadamun.mailings.models import Mailing, MailingTranslation
from tadamun.supporters.models import Consent, Supporter

count = int(sys.argv[1])
languages = ["en", "ar", "fr", "de", "es", "tr"]
for start in range(0, count, 5000):
    people = [
        Supporter(
            email=f"person{n}@example.org", email_hash=email_hash(f"person{n}@example.org"),
            name=f"Person {n}", language=languages[n % 6], country="FR",
        )
        for n in range(start, min(count, start + 5000))
    ]
    Supporter.objects.bulk_create(people, batch_size=1000)
Consent.objects.bulk_create(
    [Consent(supporter_id=pk, purpose="updates", wording="updates-1")
     for pk in Supporter.objects.values_list("pk", flat=True)],
    batch_size=5000,
)
mailing = Mailing.objects.create(
    title="The day of action is coming", summary="Join a local event on Saturday.",
    body="Dear {name},\\n\\nOn **Saturday** we stand with the civilians of Idlib. "
    "Find an event near you, or start one.\\n\\n" + "More words about the day. " * 40,
    language="en",
)
MailingTranslation.objects.create(
    mailing=mailing, language="fr", title="La journée d'action approche",
    body="Cher·e {name},\\n\\nSamedi, nous sommes aux côtés des civils d'Idlib.",
)
print(mailing.pk)
"""

# Queue the mailing (the admin's "Send now").
SEND = """
import sys
import django
django.setup()
from tadamun.mailings import services
from tadamun.mailings.models import Mailing
services.send_now(Mailing.objects.get(pk=int(sys.argv[1])))
"""


KICK = """
import django
django.setup()
from tadamun.mailings.tasks import kick_mailings
kick_mailings.enqueue()
"""

# The ceiling: the same kind of message, built once, sent by a bare smtplib loop.
CEILING = """
import sys, smtplib, time
import django
django.setup()
from tadamun.mailings.models import Mailing, Recipient
from tadamun.mailings.rendering import edition
mailing = Mailing.objects.get(pk=int(sys.argv[2]))
copy = edition(mailing, "en")
data = copy.message(Recipient(pk=1, mailing=mailing, language="en"), "x@example.org", "Amal")
data = data.message().as_bytes(linesep="\\r\\n")
count = int(sys.argv[3])
with smtplib.SMTP("127.0.0.1", int(sys.argv[1])) as smtp:
    started = time.perf_counter()
    for n in range(count):
        smtp.sendmail("noreply@example.org", [f"ceiling{n}@example.org"], data)
    print(count / (time.perf_counter() - started))
"""


def child(script, env, *args) -> str:
    """Run `script` in the benchmark's environment; its output, or its error in full."""
    done = subprocess.run(
        [PYTHON, "-c", script, *map(str, args)], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr)
    return done.stdout.strip()


def worker(env):
    return subprocess.Popen(
        [PYTHON, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def state(env, mailing_id) -> dict:
    """The mailing's status and its copies by status, read straight from the database: a
    Django process started twice a second would take a core from the workers measured."""
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30)
        marker = "?"
    else:
        import psycopg

        connection = psycopg.connect(url)
        marker = "%s"
    with contextlib.closing(connection):
        status = connection.execute(
            f"SELECT status FROM mailings_mailing WHERE id = {marker}", [mailing_id]
        ).fetchone()[0]
        counts = dict(
            connection.execute(
                f"SELECT status, COUNT(*) FROM mailings_recipient WHERE mailing_id = {marker} "
                "GROUP BY status",
                [mailing_id],
            ).fetchall()
        )
    return {"status": status, "sent": counts.get("sent", 0), "failed": counts.get("failed", 0)}


def bench_database(label, database_url, args):
    port = free_port()
    env, var = environment(
        label,
        database_url,
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        MAILING_RATE_PER_SECOND="1000000",
        MAILING_BATCH_SIZE="200",
        MAILING_CLAIM_TIMEOUT=str(CLAIM_TIMEOUT),
        MAILING_PARALLEL_TASKS="2",
    )
    record = var / "delivered.txt"
    sink = subprocess.Popen(
        [PYTHON, "-c", SINK, str(port), str(record)], stdout=subprocess.PIPE, text=True
    )
    sink.stdout.readline()
    workers = []
    try:
        print(f"== {label}: migrate and load {args.recipients:,} supporters", file=sys.stderr)
        manage(env, "migrate", "--no-input")
        mailing_id = int(child(SETUP, env, args.recipients).splitlines()[-1])
        ceiling = float(child(CEILING, env, port, mailing_id, CEILING_MESSAGES))
        print(f"   the sink takes {ceiling:.0f} messages/s from a bare loop", file=sys.stderr)

        started = time.perf_counter()
        child(SEND, env, mailing_id)
        workers = [worker(env), worker(env)]
        while state(env, mailing_id)["sent"] < args.recipients // 3:
            time.sleep(0.5)
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()
        print("   killed a worker a third of the way; starting another", file=sys.stderr)
        workers.append(worker(env))
        time.sleep(CLAIM_TIMEOUT + 1)
        child(KICK, env)  # what the scheduler does every minute
        deadline = time.time() + args.timeout
        while (progress := state(env, mailing_id))["status"] != "sent":
            if time.time() > deadline:
                raise RuntimeError(f"the mailing did not finish: {progress}")
            time.sleep(0.5)
        elapsed = time.perf_counter() - started
    finally:
        for process in workers:
            process.kill()
        sink.kill()
    copies = collections.Counter(
        line for line in record.read_text().splitlines() if line.startswith("person")
    )
    expected = {f"person{n}@example.org" for n in range(args.recipients)}
    per_s = args.recipients / elapsed
    return {
        "database": label,
        "recipients": args.recipients,
        "delivered": sum(copies.values()),
        "duplicates": sum(count - 1 for count in copies.values() if count > 1),
        "missing": len(expected - set(copies)),
        "failed": progress["failed"],
        "seconds": round(elapsed, 1),
        "per_s": round(per_s, 1),
        "smtp_ceiling_per_s": round(ceiling, 1),
        "ratio": round(per_s / ceiling, 3),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    parser.add_argument("--timeout", type=int, default=1800)
    args = parser.parse_args()
    run_on_databases(bench_database, args, needs_wrk=False)


if __name__ == "__main__":
    main()
