"""Signature pipeline benchmark: from the sign form to the confirmation email in the inbox.

Starts the site under gunicorn with production settings, an SMTP sink in its own process,
the scheduler and N queue workers (the database queue; with --rq, RQ on REDIS_URL), on
SQLite and, when DATABASE_URL points at PostgreSQL, on a fresh database there too. wrk
signs unpaced (`--unpaced` seconds: the form's rate, and how fast emails follow it), then
paced at half that rate (`--paced` seconds: the lag from submission to email), each
submission's time written in its address (bench/paced_sign.lua). Prints a table and, last,
one JSON object. See bench/README.md.

    .venv/bin/python bench/signature_pipeline.py [--paced 60] [--unpaced 20] [--workers 2]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

if not __package__:  # run as a file, not with -m: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PYTHON,
    ROOT,
    Server,
    environment,
    free_port,
    manage,
    run,
    run_on_databases,
    seal_and_unlock,
    wrk,
)

# The SMTP sink (argv: port, file): one line per message accepted, "<ms> <recipient>".
SINK = """
import sys, time
from aiosmtpd.controller import Controller

port, path = int(sys.argv[1]), sys.argv[2]
out = open(path, "a", buffering=1)

class Handler:
    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            out.write(f"{int(time.time() * 1000)} {rcpt}\\n")
        return "250 OK"

controller = Controller(Handler(), hostname="127.0.0.1", port=port)
controller.start()
print("ready", flush=True)
while True:
    time.sleep(3600)
"""

SETUP = """
import django
django.setup()
from tadamun.coalition.models import Campaign
from tadamun.petitions.models import Goal, Petition

campaign, _ = Campaign.objects.get_or_create(
    slug="bench", defaults={"title": "Bench", "status": "active"}
)
petition = Petition.objects.create(
    campaign=campaign, slug="bench", title="Bench", target="the ministers", body="Sign.",
    status="open",
)
Goal.objects.create(petition=petition, signatures=100)
"""

WAITING = """
import django
django.setup()
from tadamun.core.models import OutboxMessage
from tadamun.petitions.models import Signature, SignatureIntake
print(SignatureIntake.objects.count(),
      OutboxMessage.objects.filter(status__in=["queued", "sending"]).count(),
      Signature.objects.count())
"""


def waiting(env) -> tuple[int, int, int]:
    """(intake rows, outbox messages waiting, signatures recorded)."""
    out = run([PYTHON, "-c", WAITING], env, capture_output=True).stdout.split()
    return int(out[0]), int(out[1]), int(out[2])


def received(path: Path) -> list[tuple[int, str]]:
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    return [(int(ms), rcpt) for ms, rcpt in (line.split(" ", 1) for line in lines)]


def submitted_ms(rcpt: str) -> int:
    return int(rcpt.split("@")[0].rpartition("s")[2])


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 2)


class Processes:
    """The sink, the scheduler and the workers, stopped together."""

    def __init__(self):
        self.running = []
        self.workers = []

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the queue workers have used so far, from /proc: a
        worker's share of the 2 cores is the scale-out's cost."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for process in self.workers:
            # The worker's own time and its waited-for children's; its live children's.
            total += _ticks(process.pid, with_children=True)
            total += sum(_ticks(pid) for pid in _children(process.pid))
        return total / ticks

    def start(self, args, env, **kwargs):
        process = subprocess.Popen([PYTHON, *args], env=env, cwd=ROOT, **kwargs)
        self.running.append(process)
        return process

    def stop(self):
        for process in reversed(self.running):
            process.terminate()
        for process in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _ticks(pid: int, with_children: bool = False) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0  # gone meanwhile
    used = fields[11:15] if with_children else fields[11:13]  # utime stime [cutime cstime]
    return sum(map(int, used))


def _children(pid: int) -> list[int]:
    """Processes a worker forked (RQ runs each job in a work horse)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split() if (task / "children").exists() else []
        for child in map(int, children):
            found += [child, *_children(child)]
    return found


def worker_args(args) -> list[str]:
    if args.rq:
        return ["manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "default"]
    return ["manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"]


def phase(server, env, args, inbox: Path, seconds: int, rate: float) -> dict:
    """Sign for `seconds` (paced to `rate`/s when rate > 0), then wait for the emails."""
    before = {rcpt for _ms, rcpt in received(inbox)}
    # Paced, each connection sends about four requests a second: a slow rate on many
    # connections would leave each one waiting longer than the phase.
    connections = max(2, min(args.connections, int(rate / 4))) if rate else args.connections
    start = time.time()
    result = wrk(
        server.url + "/en/petitions/bench/sign/", seconds, connections, "paced_sign.lua",
        (rate, connections),
    )  # fmt: skip
    intake, outbox, _signatures = waiting(env)
    deadline = time.time() + args.drain_timeout
    while time.time() < deadline:
        if waiting(env)[:2] == (0, 0):
            break
        time.sleep(1)
    time.sleep(1)  # the last messages' lines
    mails = [(ms, rcpt) for ms, rcpt in received(inbox) if rcpt not in before]
    counts = Counter(rcpt for _ms, rcpt in mails)
    firsts = {}
    for ms, rcpt in mails:
        firsts.setdefault(rcpt, ms)
    lags = [(ms - submitted_ms(rcpt)) / 1000 for rcpt, ms in firsts.items()]
    last = max((ms for ms, _rcpt in mails), default=start * 1000) / 1000
    return {
        "per_s": result["per_s"],
        "accepted": result["accepted"],
        "bad": result["bad"],
        "emails": len(counts),
        "duplicates": sum(count - 1 for count in counts.values()),
        "inbox_per_s": round(len(counts) / max(last - start, seconds), 1),
        "lag_p50_s": percentile(lags, 0.50),
        "lag_p99_s": percentile(lags, 0.99),
        "backlog_end": intake + outbox,
    }


def start_workers(processes, env, args) -> None:
    for _ in range(args.queue_workers):
        processes.workers.append(processes.start(worker_args(args), env, stdout=subprocess.DEVNULL))


def backlog_drain(label, server, env, args, inbox, processes) -> dict:
    """Scale-out without the form's share of the CPU: sign for `--backlog` seconds with no
    worker running, then start the workers and time how fast they empty the queue."""
    print(f"== {label}: a backlog, {args.backlog} s with no worker", file=sys.stderr)
    queued = wrk(server.url + "/en/petitions/bench/sign/", args.backlog, args.connections,
                 "paced_sign.lua", (0, args.connections))  # fmt: skip
    backlog = waiting(env)[0]
    start, cpu_before = time.time(), processes.cpu_seconds()
    start_workers(processes, env, args)
    while waiting(env)[:2] != (0, 0) and time.time() < start + args.drain_timeout:
        time.sleep(0.5)
    elapsed = time.time() - start
    cpu = processes.cpu_seconds() - cpu_before
    time.sleep(1)  # the last messages' lines
    counts = Counter(rcpt for _ms, rcpt in received(inbox))
    return {
        "database": label,
        "queue": "rq" if args.rq else "database",
        "queue_workers": args.queue_workers,
        "accepted": queued["accepted"],
        "backlog": backlog,
        "drain_s": round(elapsed, 1),
        "drain_per_s": round(len(counts) / elapsed, 1),
        "worker_cpu_s": round(cpu, 1),
        "worker_cores": round(cpu / elapsed, 2),
        "cpu_ms_per_email": round(1000 * cpu / max(len(counts), 1), 2),
        "recorded": waiting(env)[2],
        "lost": max(waiting(env)[2] - len(counts), 0),
        "duplicates": sum(count - 1 for count in counts.values()),
    }


def bench_database(label, database_url, args):
    sink_port = free_port()
    extra = {"EMAIL_URL": f"smtp://127.0.0.1:{sink_port}"}
    if args.rq:
        redis = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/11")
        extra |= {"TASKS_BACKEND": "django_tasks_rq.RQBackend", "REDIS_URL": redis}
    env, var = environment(
        label,
        database_url,
        FORM_RATES=json.dumps({"sign": {"address": "1000/m", "network": "100000000/h"}}),
        MAIL_PER_ADDRESS_RATE="1000/m",
        **extra,
    )
    print(f"== {label}: migrate", file=sys.stderr)
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    run([PYTHON, "-c", SETUP], env)
    inbox = var / "inbox.txt"
    processes = Processes()
    if args.sealed:  # the agent is stopped last, with the other processes
        processes.running.append(seal_and_unlock(env, var))
    server = Server(env, workers=args.workers)
    try:
        sink = processes.start(
            ["-c", SINK, str(sink_port), str(inbox)], env, stdout=subprocess.PIPE, text=True
        )
        sink.stdout.readline()
        processes.start(["manage.py", "scheduler", "--tick", "1"], env, stdout=subprocess.DEVNULL)
        if args.backlog:
            return backlog_drain(label, server, env, args, inbox, processes)
        start_workers(processes, env, args)
        print(f"== {label}: unpaced, {args.unpaced} s", file=sys.stderr)
        cpu_before, clock_before = processes.cpu_seconds(), time.time()
        unpaced = phase(server, env, args, inbox, args.unpaced, 0)
        worker_cpu = processes.cpu_seconds() - cpu_before
        worker_cores = worker_cpu / (time.time() - clock_before)
        rate = args.rate or unpaced["per_s"] / 2
        print(f"== {label}: paced at {rate:.0f}/s, {args.paced} s", file=sys.stderr)
        paced = phase(server, env, args, inbox, args.paced, rate)
        recorded = waiting(env)[2]
    finally:
        server.stop()
        processes.stop()
        if args.backlog:
            shutil.rmtree(var, ignore_errors=True)
    mails = received(inbox)
    counts = Counter(rcpt for _ms, rcpt in mails)
    shutil.rmtree(var, ignore_errors=True)
    return {
        "database": label,
        "queue": "rq" if args.rq else "database",
        "queue_workers": args.queue_workers,
        "sealed": args.sealed,
        "sign_per_s": round(unpaced["per_s"], 1),
        "inbox_per_s": unpaced["inbox_per_s"],
        "pipeline_ratio": round(unpaced["inbox_per_s"] / unpaced["per_s"], 3),
        # The queue workers' CPU over the unpaced phase and its drain: seconds, and cores.
        "worker_cpu_s": round(worker_cpu, 1),
        "worker_cores": round(worker_cores, 2),
        "paced_per_s": round(paced["per_s"], 1),
        "lag_p50_s": paced["lag_p50_s"],
        "lag_p99_s": paced["lag_p99_s"],
        "backlog_end": paced["backlog_end"],
        "accepted": unpaced["accepted"] + paced["accepted"],
        "recorded": recorded,
        # Every recorded signature needs its email: those without one are lost.
        "lost": max(recorded - len(counts), 0),
        "duplicates": sum(count - 1 for count in counts.values()),
        "sign_errors": unpaced["bad"] + paced["bad"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paced", type=int, default=60, help="seconds signing at the rate")
    parser.add_argument("--unpaced", type=int, default=20, help="seconds signing flat out")
    parser.add_argument("--rate", type=float, default=0, help="paced rate (default: half)")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--queue-workers", type=int, default=2)
    parser.add_argument("--rq", action="store_true", help="RQ on REDIS_URL, not the database")
    parser.add_argument("--drain-timeout", type=int, default=300)
    parser.add_argument(
        "--sealed", action="store_true", help="the site sealed and unlocked (vault agent)"
    )
    parser.add_argument(
        "--backlog", type=int, default=0, help="seconds queueing with no worker, then drain"
    )
    args = parser.parse_args()
    run_on_databases(bench_database, args)


if __name__ == "__main__":
    main()
