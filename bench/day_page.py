"""Day-of-action benchmark: the pages people use to find an event, with thousands of events.

Starts the site under the production server (gunicorn) with production settings on
127.0.0.1, on SQLite and, when DATABASE_URL points at PostgreSQL, on PostgreSQL too. Loads the
gazetteer and a day of action with many approved events in hundreds of cities worldwide, each
with a few attendees; then wrk measures, against a bare view in the same run: the day page
(too many events to list: countries and cities with counts, and the map), one city's events
(the list), the finder searched with a city typed in Arabic, and the world outline. Prints a
table and, as its last line, one JSON object. See bench/README.md.

    .venv/bin/python bench/day_page.py [--seconds 10] [--events 3000]
"""

import argparse
import shutil
import sys
import urllib.parse
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
    wrk,
)

EVENTS = 3000
CITIES = 600

# Run in a child process with the benchmark's environment; argv: events, cities.
SETUP = """
import sys
import django
django.setup()
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo
from django.utils import timezone
from tadamun.coalition.models import Campaign
from tadamun.events.models import DayOfAction, Event, Rsvp
from tadamun.places.models import City

events, cities = int(sys.argv[1]), int(sys.argv[2])
campaign = Campaign.objects.create(slug="bench", title="Bench", status="active")
on = timezone.localdate() + timedelta(days=30)
day = DayOfAction.objects.create(
    campaign=campaign, slug="bench-day", title="Bench day", starts_on=on, ends_on=on,
    status="published",
)
places = list(City.objects.exclude(time_zone="").order_by("-population")[:cities])
kinds = ["rally", "vigil", "stall", "meeting", "other"]
batch = []
for n in range(events):
    place = places[n % len(places)]
    start = datetime.combine(on, time(10 + n % 10)).replace(tzinfo=ZoneInfo(place.time_zone))
    batch.append(Event(
        day=day, title=f"Solidarity action {n}", kind=kinds[n % 5],
        description="Bring a candle and the statement.", description_html="",
        starts_at=start, ends_at=start + timedelta(hours=2), time_zone=place.time_zone,
        venue_name="Town square", address=f"{n} Main Street", city=place.name,
        country=place.country, place=place, language="en", status="approved",
    ))
Event.objects.bulk_create(batch, batch_size=1000)
Rsvp.objects.bulk_create(
    [
        Rsvp(event=event, status="going", language="en")
        for event in Event.objects.all() for _ in range(event.pk % 4)
    ],
    batch_size=2000,
)
print(f"  {events} events in {len(places)} cities", file=sys.stderr)
"""


def bench_database(label, database_url, args):
    env, var = environment(label, database_url)
    print(f"== {label}: migrate, load the gazetteer and {args.events:,} events", file=sys.stderr)
    manage(env, "migrate", "--no-input")
    manage(env, "collectstatic", "--no-input")
    manage(env, "load_cities", "--min-population", "15000")
    run([PYTHON, "-c", SETUP, str(args.events), str(CITIES)], env)

    server = Server(env, workers=args.workers)
    day = server.url + "/en/days/bench-day/"
    one_city = day + "?" + urllib.parse.urlencode({"country": "DE", "city": "Berlin"})
    finder = server.url + "/en/events/?" + urllib.parse.urlencode({"city": "إسطنبول"})
    try:
        s, c = args.seconds, args.connections
        hello = wrk(server.url + "/bench/hello", s, c)
        day_page = wrk(day, s, c)
        city_page = wrk(one_city, s, c)
        finder_page = wrk(finder, s, c)
        outline = wrk(server.url + "/places/world.svg", s, c)
        sizes = {name: page_kb(url) for name, url in (("day", day), ("city", one_city))}
    finally:
        server.stop()
    shutil.rmtree(var, ignore_errors=True)
    errors = sum(r["bad"] for r in (day_page, city_page, finder_page, outline))
    return {
        "database": label,
        "events": args.events,
        "hello_per_s": round(hello["per_s"], 1),
        "day_per_s": round(day_page["per_s"], 1),
        "city_per_s": round(city_page["per_s"], 1),
        "finder_per_s": round(finder_page["per_s"], 1),
        "outline_per_s": round(outline["per_s"], 1),
        "day_vs_hello": round(day_page["per_s"] / hello["per_s"], 3),
        "city_vs_hello": round(city_page["per_s"] / hello["per_s"], 3),
        "finder_vs_hello": round(finder_page["per_s"] / hello["per_s"], 3),
        "day_kb": sizes["day"],
        "city_kb": sizes["city"],
        "errors": errors,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--events", type=int, default=EVENTS)
    args = parser.parse_args()
    run_on_databases(bench_database, args)


if __name__ == "__main__":
    main()
