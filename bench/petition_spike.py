"""Petition spike benchmark: signing under load, and the petition page at any size.

Starts the site under the production server (gunicorn) with production settings on
127.0.0.1, once on SQLite and, when DATABASE_URL points at PostgreSQL, once there too. In the
same run it measures ceilings under the same server: a bare view doing one INSERT, and a bare
view returning a short string. wrk (Debian's package) drives the load. Prints a table and, as
its last line, one JSON object. See bench/README.md.

With --sealed the site runs sealed and unlocked, as a sealed installation does (issue 15):
the keys wrapped by `vault_init` (1 of 1 share), the key-holding agent started and unlocked,
so the sign form seals its intake to the vault's public key and every process asks the agent
for the keys.

    .venv/bin/python bench/petition_spike.py [--seconds 10] [--connections 32] [--sealed]
"""

import argparse
import json
import shutil
import sys
from pathlib import Path

if not __package__:  # run as a file, not with -m: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PYTHON,
    Server,
    environment,
    manage,
    page_kb,
    run,
    run_on_databases,
    seal_and_unlock,
    wrk,
)

LARGE = 1_000_000
SMALL = 10


# Run in a child process with the benchmark's environment; argv: small, large, primary key.
SETUP = """
import sys
import django
django.setup()
from datetime import timedelta
from django.db import connection
from django.utils import timezone
from tadamun.coalition.models import Campaign
from tadamun.petitions import counters
from tadamun.petitions.models import Goal, Petition, Signature

small, large, primary_key = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
campaign, _ = Campaign.objects.get_or_create(
    slug="bench", defaults={"title": "Bench", "status": "active"}
)
countries = ["FR", "DE", "TR", "ES", "GB", "LB", "SE", "NL", "IT", "JO", "US", "CA"]
now = timezone.now()
for slug, size in (("small", small), ("large", large)):
    petition = Petition.objects.create(
        campaign=campaign, slug=slug, title=f"Petition {slug}", target="the ministers",
        body="Open the borders. " * 40, status="open",
    )
    Goal.objects.bulk_create(
        Goal(petition=petition, signatures=n) for n in (100, 10_000, 2_000_000)
    )
    batch = []
    for n in range(size):
        when = now - timedelta(minutes=n % 40_000)
        batch.append(Signature(
            petition=petition, status="confirmed", country=countries[n % 12],
            public_name="Amal" if n % 7 == 0 else "", language="en", created_at=when,
            confirmed_at=when,
        ))
        if len(batch) == 20_000:
            Signature.objects.bulk_create(batch)
            batch = []
            print(f"\\r  {slug}: {n + 1}/{size} signatures", end="", file=sys.stderr)
    Signature.objects.bulk_create(batch)
    counters.reconcile(petition)
    print(f"\\r  {slug}: {size} signatures      ", file=sys.stderr)
# The other pages a shared link brings a crowd to: an event and a letter campaign.
from datetime import date
from tadamun.events.models import DayOfAction, Event
from tadamun.letters.models import LetterCampaign, Target, TargetGroup
day = DayOfAction.objects.create(
    campaign=campaign, slug="bench", title="Bench day", status="published",
    starts_on=date(2027, 3, 27), ends_on=date(2027, 3, 28),
)
starts = timezone.now() + timedelta(days=30)
Event.objects.create(
    day=day, title="Bench vigil", kind="vigil", description="Bring a candle. " * 20,
    starts_at=starts, ends_at=starts + timedelta(hours=2), time_zone="Europe/Berlin",
    venue_name="Cathedral square", address="Domkloster 4", city="Cologne", country="DE",
    language="en", status="approved",
)
group = TargetGroup.objects.create(name="Ministers", slug="ministers")
for country in ("DE", "FR", "NL"):
    target = Target.objects.create(
        reference=f"{country.lower()}-bench", name=f"Minister {country}", role="minister",
        institution="Ministry", country=country, email=f"{country.lower()}@example.org",
    )
    target.groups.add(group)
LetterCampaign.objects.create(
    campaign=campaign, slug="bench", title="Write to your minister", summary="Ask them.",
    subject="Please act", letter="Dear {target_name},\\n\\nI live in {city}.\\n\\n{name}",
    group=group, choice="country", delivery="platform", status="open",
)
with connection.cursor() as cursor:
    cursor.execute(f"CREATE TABLE bench_ceiling (id {primary_key}, email TEXT)")
"""


def count_rows(env, sql):
    code = (
        "import django; django.setup()\n"
        "from django.db import connection\n"
        f"c = connection.cursor(); c.execute({sql!r}); print(c.fetchone()[0])"
    )
    return int(run([PYTHON, "-c", code], env, capture_output=True).stdout.strip())


def drawn_from_scratch(env, args) -> dict:
    """The petition pages with the page cache off (every request draws the page), the sign
    form re-shown with an error, an event's page and a letter campaign's page (never cached),
    against the bare view on the same server."""
    server = Server(
        {**env, "PETITION_PAGE_CACHE_SECONDS": "0"}, workers=args.workers, name=args.server
    )
    event = count_rows(env, "SELECT MIN(id) FROM events_event")
    try:
        s, c = args.seconds, args.connections
        return {
            "hello": wrk(server.url + "/bench/hello", s, c),
            "small": wrk(server.url + "/en/petitions/small/", s, c),
            "large": wrk(server.url + "/en/petitions/large/", s, c),
            "error": wrk(server.url + "/en/petitions/large/sign/", s, c, "invalid_sign.lua"),
            "event": wrk(server.url + f"/en/events/{event}/", s, c),
            "letter": wrk(server.url + "/en/letters/bench/", s, c),
        }
    finally:
        server.stop()


def bench_database(label, database_url, args):
    env, var = environment(
        label,
        database_url,
        FORM_RATES=json.dumps({"sign": {"address": "1000/m", "network": "100000000/h"}}),
        MAIL_PER_ADDRESS_RATE="1000/m",
    )
    print(f"== {label}: migrate, load {args.large:,} signatures", file=sys.stderr)
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    primary_key = "BIGSERIAL PRIMARY KEY" if database_url else "INTEGER PRIMARY KEY AUTOINCREMENT"
    run([PYTHON, "-c", SETUP, str(SMALL), str(args.large), primary_key], env)
    agent = seal_and_unlock(env, var) if args.sealed else None
    try:
        server = Server(env, workers=args.workers, name=args.server)
        try:
            s, c = args.seconds, args.connections
            hello = wrk(server.url + "/bench/hello", s, c)
            ceiling = wrk(server.url + "/bench/insert", s, c, "sign.lua")
            sign = wrk(server.url + "/en/petitions/large/sign/", s, c, "sign.lua")
            small = wrk(server.url + "/en/petitions/small/", s, c)
            large = wrk(server.url + "/en/petitions/large/", s, c)
            kb = page_kb(server.url + "/en/petitions/large/")
        finally:
            server.stop()
        nocache = drawn_from_scratch(env, args)
    finally:
        if agent is not None:
            agent.terminate()
            agent.wait(10)
    # Accepted signatures are kept sealed in the intake until a worker records them (none
    # runs during the benchmark); both tables count.
    rows = count_rows(
        env,
        "SELECT (SELECT COUNT(*) FROM petitions_signatureintake i JOIN petitions_petition p "
        "ON i.petition_id = p.id WHERE p.slug = 'large') + (SELECT COUNT(*) FROM "
        "petitions_signature s JOIN petitions_petition p ON s.petition_id = p.id "
        "WHERE p.slug = 'large' AND s.status = 'unconfirmed')",
    )
    shutil.rmtree(var, ignore_errors=True)
    return {
        "database": label,
        "server": args.server,
        "sealed": args.sealed,
        "sign_per_s": round(sign["per_s"], 1),
        "ceiling_per_s": round(ceiling["per_s"], 1),
        "sign_ratio": round(sign["per_s"] / ceiling["per_s"], 3),
        "p99_ms": sign["p99_ms"],
        "accepted": sign["accepted"],
        "rows": rows,
        # wrk counts the answers it received before the clock stopped; requests still in
        # flight were stored too, so rows can exceed accepted. Lost is what was answered
        # "accepted" and is not in the database.
        "lost": max(sign["accepted"] - rows, 0),
        "stored_after_the_clock": max(rows - sign["accepted"], 0),
        "sign_errors": sign["bad"],
        "page_small_per_s": round(small["per_s"], 1),
        "page_large_per_s": round(large["per_s"], 1),
        "hello_per_s": round(hello["per_s"], 1),
        "page_ratio": round(large["per_s"] / small["per_s"], 3),
        "page_vs_hello": round(large["per_s"] / hello["per_s"], 3),
        "page_kb": kb,
        "nocache_hello_per_s": round(nocache["hello"]["per_s"], 1),
        "page_nocache_small_per_s": round(nocache["small"]["per_s"], 1),
        "page_nocache_large_per_s": round(nocache["large"]["per_s"], 1),
        "sign_error_per_s": round(nocache["error"]["per_s"], 1),
        "page_nocache_vs_hello": round(nocache["large"]["per_s"] / nocache["hello"]["per_s"], 3),
        "page_nocache_small_vs_hello": round(
            nocache["small"]["per_s"] / nocache["hello"]["per_s"], 3
        ),
        "sign_error_vs_hello": round(nocache["error"]["per_s"] / nocache["hello"]["per_s"], 3),
        "event_per_s": round(nocache["event"]["per_s"], 1),
        "letter_per_s": round(nocache["letter"]["per_s"], 1),
        "event_vs_hello": round(nocache["event"]["per_s"] / nocache["hello"]["per_s"], 3),
        "letter_vs_hello": round(nocache["letter"]["per_s"] / nocache["hello"]["per_s"], 3),
        "nocache_errors": sum(
            nocache[phase]["bad"] for phase in ("small", "large", "error", "event", "letter")
        ),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--server", choices=["gunicorn", "granian"], default="gunicorn")
    parser.add_argument("--large", type=int, default=LARGE, help="signatures on the big petition")
    parser.add_argument(
        "--sealed", action="store_true", help="the site sealed and unlocked (vault agent)"
    )
    args = parser.parse_args()
    run_on_databases(bench_database, args)


if __name__ == "__main__":
    main()
