"""Dashboard benchmark: the back office's first page beside a 1,000,000-signature petition.

Loads the petition spike's two petitions (10 and 1,000,000 confirmed signatures, counters
reconciled) into a fresh database with production settings, then times the admin's first page
for a superuser (every panel) in one process through Django's test client: with only the small
petition open, then with only the big one open. The ceiling, measured in the same run, is a page
of the same admin with no figures (the "More" job's page). See bench/README.md.

    .venv/bin/python bench/dashboard.py [--large 1000000] [--requests 50]
"""

import argparse
import subprocess
import sys
from pathlib import Path

if not __package__:  # run as a file, not with -m: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, environment, manage, run, run_on_databases
from bench.petition_spike import SETUP, SMALL

# Run in a child process with the benchmark's environment; argv: number of requests.
MEASURE = """
import json, statistics, sys, time
import django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from tadamun.petitions.models import Petition

settings.ALLOWED_HOSTS = ["testserver"]
requests = int(sys.argv[1])
user = get_user_model().objects.create_superuser("bench", password="a-long-bench-password")
device = TOTPDevice.objects.create(user=user, confirmed=True)
client = Client()
client.force_login(user)
session = client.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()

def median_ms(path):
    assert client.get(path).status_code == 200, path  # warm
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)

def one_open(slug):
    Petition.objects.update(status="closed")
    Petition.objects.filter(slug=slug).update(status="open")

one_open("small")
small = median_ms("/en/admin/")
one_open("large")
large = median_ms("/en/admin/")
ceiling = median_ms("/en/admin/job/more/")
print(json.dumps({"small": small, "large": large, "ceiling": ceiling}))
"""


def bench_database(label, database_url, args):
    import json

    env, var = environment(label, database_url)
    print(f"== {label}: migrate, load {args.large:,} signatures", file=sys.stderr)
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    primary_key = "BIGSERIAL PRIMARY KEY" if database_url else "INTEGER PRIMARY KEY AUTOINCREMENT"
    run([PYTHON, "-c", SETUP, str(SMALL), str(args.large), primary_key], env)
    out = run([PYTHON, "-c", MEASURE, str(args.requests)], env, stdout=subprocess.PIPE).stdout
    found = json.loads(out.strip().splitlines()[-1])
    return {
        "database": label,
        "signatures": args.large,
        "dashboard_ms": found["large"],
        "dashboard_small_ms": found["small"],
        "ceiling_ms": found["ceiling"],
        "size_ratio": round(found["large"] / found["small"], 3),
        "vs_ceiling": round(found["large"] / found["ceiling"], 3),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    run_on_databases(bench_database, args, needs_wrk=False)


if __name__ == "__main__":
    main()
