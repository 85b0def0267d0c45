"""Fault injection: people sign a petition while the parts under the site fail, one at a time.

Runs the production server (gunicorn), two `db_worker` processes, the scheduler, a private
redis-server (cache and rate limits) and an SMTP sink (aiosmtpd), all on SQLite, and keeps a
few signers posting the sign form throughout. Phases, each --phase seconds:

1. nothing fails (the baseline);
2. a worker is killed with SIGKILL (not restarted: the other recovers its task);
3. Redis is stopped, then started again (empty: it has no persistence);
4. the database is locked past the busy timeout (SQLite's form of "the database is down");
5. the SMTP server is stopped, then started again (sends are retried 60 s later).

Then it waits until every accepted signature is recorded and confirmed by email (or
--drain seconds), and prints a table of what each phase saw, then one JSON object:
`accepted` (answers 302), `stored` (accepted signatures the database holds), `emails`
(confirmations delivered), `lost` (accepted, not stored), `duplicates` (confirmations
delivered twice), `unconfirmed` (stored, no email came), `processes_restarted_by_hand`
(server, worker or scheduler processes that exited by themselves: none is restarted).

    .venv/bin/python bench/faults.py [--phase 8] [--signers 4] [--drain 150]
"""

import argparse
import collections
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

if not __package__:  # run as a file, not with -m: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, TOKEN, Server, environment, free_port, manage
from bench.mailing_blast import SINK, child

SETUP = """
import django
django.setup()
from tadamun.coalition.models import Campaign
from tadamun.petitions.models import Goal, Petition

campaign = Campaign.objects.create(slug="bench", title="Bench", status="active")
petition = Petition.objects.create(
    campaign=campaign, slug="faults", title="Petition", target="the ministers",
    body="A call. " * 40, status="open",
)
Goal.objects.create(petition=petition, signatures=100)
"""

# The emails of the petition's signatures (stored encrypted: read through the models).
STORED = """
import json
import django
django.setup()
from tadamun.petitions.models import Signature, SignatureIntake
emails = list(Signature.objects.values_list("supporter__email", flat=True))
print(json.dumps({"emails": emails, "waiting": SignatureIntake.objects.count()}))
"""


class Signers:
    """Threads posting the sign form, each with its own distinct addresses; answers counted
    per phase."""

    def __init__(self, url: str, count: int):
        self.url = url + "/en/petitions/faults/sign/"
        self.phase = "start"
        self.accepted: list[str] = []
        self.answers = collections.defaultdict(collections.Counter)
        self.running = True
        self.threads = [threading.Thread(target=self.sign, args=(n,)) for n in range(count)]
        self.lock = threading.Lock()

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.running = False
        for thread in self.threads:
            thread.join()

    def sign(self, signer: int):
        number = 0
        while self.running:
            number += 1
            email = f"s{signer}n{number}@bench.example"
            body = urllib.parse.urlencode(
                {"csrfmiddlewaretoken": TOKEN, "name": "Bench Signer", "country": "FR",
                 "email": email, "website": "", "source": ""}
            ).encode()  # fmt: skip
            request = urllib.request.Request(
                self.url, data=body, headers={"Cookie": f"csrftoken={TOKEN}"}
            )
            phase = self.phase
            try:
                status = urllib.request.build_opener(NoRedirect).open(request, timeout=30).status
            except urllib.error.HTTPError as answer:
                status = answer.code
            except OSError:
                status = "no answer"
            with self.lock:
                self.answers[phase][status] += 1
                if status == 302:
                    self.accepted.append(email)
            time.sleep(0.05)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def healthz(url: str) -> list[str]:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=10) as response:
            return json.load(response)["failing"]
    except urllib.error.HTTPError as answer:
        return json.load(answer)["failing"]
    except OSError:
        return ["no answer"]


def watch_health(url: str, seen: dict, phase_of, stop: threading.Event):
    while not stop.wait(1):
        seen[phase_of()].update(healthz(url))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phase", type=float, default=8, help="seconds of each fault")
    parser.add_argument("--signers", type=int, default=4)
    parser.add_argument("--drain", type=float, default=150, help="seconds to wait for email")
    args = parser.parse_args()

    smtp_port, redis_port = free_port(), free_port()
    env, var = environment(
        "faults",
        None,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        FORM_RATES=json.dumps({"sign": {"address": "1000/m", "network": "100000000/h"}}),
        MAIL_PER_ADDRESS_RATE="1000/m",
        SQLITE_BUSY_TIMEOUT="1",
        HEARTBEAT_SECONDS="2",
        WORKER_SILENT_SECONDS="20",
    )
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    child(SETUP, env)
    record = var / "delivered.txt"
    record.touch()

    def sink():
        process = subprocess.Popen(
            [PYTHON, "-c", SINK, str(smtp_port), str(record)], stdout=subprocess.PIPE, text=True
        )
        process.stdout.readline()
        return process

    def redis():
        process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(redis_port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.5)
        return process

    def managed(*command):
        log = (var / f"{command[0]}-{len(processes)}.log").open("w")
        return subprocess.Popen(
            [PYTHON, "manage.py", *command], env=env, cwd=ROOT, stdout=log, stderr=log
        )

    smtp, caches = sink(), [redis()]
    try:
        server = Server(env, workers=4)  # first: it must answer within 30 s
    except RuntimeError:
        for process in (smtp, *caches):
            process.kill()
        raise
    processes: list[subprocess.Popen] = []
    processes.append(managed("db_worker", "--worker-id", "a", "--interval", "0.2", "--no-reload"))
    processes.append(managed("db_worker", "--worker-id", "b", "--interval", "0.2", "--no-reload"))
    processes.append(managed("scheduler", "--tick", "1"))
    signers = Signers(server.url, args.signers)
    seen = collections.defaultdict(set)
    stop_watch = threading.Event()
    watcher = threading.Thread(
        target=watch_health, args=(server.url, seen, lambda: signers.phase, stop_watch)
    )
    killed = processes[0]
    try:
        deadline = time.monotonic() + 120
        while healthz(server.url) and time.monotonic() < deadline:
            time.sleep(1)  # every process up and beating before the baseline
        signers.start()
        watcher.start()

        def phase(name, start=None, end=None):
            print(f"== {name}", file=sys.stderr)
            signers.phase = name
            if start:
                start()
            time.sleep(args.phase)
            if end:
                end()

        phase("baseline")
        phase("worker killed", lambda: killed.send_signal(signal.SIGKILL))
        phase("redis down", caches[0].terminate, lambda: caches.append(redis()))
        lock = sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///"), timeout=30)
        phase(
            "database locked",
            lambda: lock.execute("BEGIN EXCLUSIVE"),
            lambda: lock.execute("COMMIT"),
        )
        phase("email down", smtp.terminate)
        smtp = sink()
        phase("after")
        signers.stop()

        print(f"== waiting up to {args.drain:.0f} s for every confirmation", file=sys.stderr)
        deadline = time.monotonic() + args.drain
        while True:
            stored = json.loads(child(STORED, env).splitlines()[-1])
            delivered = collections.Counter(record.read_text().split())
            done = not stored["waiting"] and set(stored["emails"]) <= set(delivered)
            if done or time.monotonic() > deadline:
                break
            time.sleep(2)
        health_after = healthz(server.url)
    finally:
        signers.running = False
        stop_watch.set()
        exited = [p for p in [*processes, server.process] if p is not killed and p.poll()]
        for process in [*processes, smtp, *caches]:
            process.kill()
        server.stop()

    accepted = set(signers.accepted)
    stored_emails = set(stored["emails"])
    print(f"{'phase':>16} | {'answers':<40} | healthz failing")
    for name, answers in signers.answers.items():
        print(f"{name:>16} | {dict(answers)!s:<40} | {sorted(seen[name])}")
    print(f"{'after drain':>16} | {'':<40} | {health_after}")
    print(
        json.dumps(
            {
                "accepted": len(accepted),
                "stored": len(accepted & stored_emails),
                "emails": len(set(delivered) & accepted),
                "lost": len(accepted - stored_emails),
                "duplicates": sum(count - 1 for count in delivered.values() if count > 1),
                "unconfirmed": len(stored_emails - set(delivered)),
                "errors_500": sum(a[500] for a in signers.answers.values()),
                "answers_503": sum(a[503] for a in signers.answers.values()),
                "processes_restarted_by_hand": len(exited),
            }
        )
    )


if __name__ == "__main__":
    main()
