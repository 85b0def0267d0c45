"""An organisation's report (issue 19, item 6): its own actions' figures, for its organisers
(coalition admins and moderators see any organisation's: coalition.access decides who).

Read from the counters where they exist (a petition's CountryCount and DailyCount, a letter
campaign's CountryLetterCount); the days of letters, RSVPs and the source of signatures (a
partner's link or not) have no counter and are counted from their confirmed rows, grouped in
the database. The people who agreed to hear from the
organisation are counted through the partner boundary (supporters.partners.people_count).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from tadamun.core.audit import record_export
from tadamun.core.countries import country_name
from tadamun.core.csv import streaming_csv
from tadamun.events.models import Event, Rsvp
from tadamun.letters.counters import COUNTED_LETTERS
from tadamun.letters.models import CountryLetterCount, Letter, LetterCampaign
from tadamun.petitions import charts
from tadamun.petitions.models import CountryCount, DailyCount, Petition, Signature
from tadamun.supporters import partners

PARTNER, DIRECT = "partner", "direct"
TOP_COUNTRIES = 10  # on the page's charts; the CSV has them all


@dataclass
class Figures:
    """One kind of action's figures: per action (by its id, with its title), per day and per
    country."""

    titles: dict[int, str] = field(default_factory=dict)
    by_action: dict[int, int] = field(default_factory=dict)
    by_day: dict[int, dict[date, int]] = field(default_factory=lambda: defaultdict(dict))
    by_country: dict[int, dict[str, int]] = field(default_factory=lambda: defaultdict(dict))

    def days(self) -> dict[date, int]:
        total: dict[date, int] = defaultdict(int)
        for counts in self.by_day.values():
            for day, count in counts.items():
                total[day] += count
        return dict(total)

    def countries(self) -> list[tuple[str, int]]:
        """(country code, count) of every action together, the most first."""
        total: dict[str, int] = defaultdict(int)
        for counts in self.by_country.values():
            for code, count in counts.items():
                total[code] += count
        return sorted(((c, n) for c, n in total.items() if n), key=lambda row: (-row[1], row[0]))


@dataclass
class Report:
    signatures: Figures
    letters: Figures
    rsvps: Figures  # people going or waiting, counted from the day they confirmed
    sources: dict[str, int]  # signatures: PARTNER (through a partner's link) or DIRECT
    people: int


def report(organisation) -> Report:
    return Report(
        signatures=_signatures(organisation),
        letters=_letters(organisation),
        rsvps=_rsvps(organisation),
        sources=_sources(organisation),
        people=partners.people_count(organisation),
    )


def _signatures(organisation) -> Figures:
    figures = Figures()
    petitions = Petition.objects.filter(organisation=organisation)
    figures.titles = dict(petitions.order_by("pk").values_list("pk", "title"))
    figures.by_action = dict.fromkeys(figures.titles, 0)
    counters = {"petition__organisation": organisation, "count__gt": 0}
    for pk, day, count in DailyCount.objects.filter(**counters).values_list(
        "petition", "day", "count"
    ):
        figures.by_day[pk][day] = count
    for pk, code, count in CountryCount.objects.filter(**counters).values_list(
        "petition", "country", "count"
    ):
        figures.by_country[pk][code] = count
    figures.by_action.update(petitions.values_list("pk", "confirmed_count"))
    return figures


def _letters(organisation) -> Figures:
    """Totals and countries from the campaigns' counters (letters.counters); the days, which
    no counter keeps, from the counted letters grouped in the database."""
    figures = Figures()
    campaigns = LetterCampaign.objects.filter(organisation=organisation)
    figures.titles = dict(campaigns.order_by("pk").values_list("pk", "title"))
    figures.by_action = dict.fromkeys(figures.titles, 0)
    counters = CountryLetterCount.objects.filter(campaign__in=campaigns, count__gt=0)
    for pk, code, count in counters.values_list("campaign", "country", "count"):
        figures.by_country[pk][code] = count
        figures.by_action[pk] += count
    per_day = (
        Letter.objects.filter(campaign__in=campaigns, status__in=COUNTED_LETTERS)
        .annotate(day=TruncDate(Coalesce("confirmed_at", "created_at")))
        .values_list("campaign", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for pk, day, count in per_day:
        figures.by_day[pk][day] = count
    return figures


def _rsvps(organisation) -> Figures:
    """Each event of the organisation (a weekly series' dates one by one, each named with its
    date): the people going or on its waiting list, by the day they confirmed; an event's
    answers count in the event's country."""
    figures = Figures()
    events = Event.objects.filter(organisation=organisation).order_by("starts_at", "pk")
    figures.titles = {
        pk: f"{title} ({date_format(starts_at.astimezone(timezone.get_current_timezone()))})"
        for pk, title, starts_at in events.values_list("pk", "title", "starts_at")
    }
    figures.by_action = dict.fromkeys(figures.titles, 0)
    counted = Rsvp.objects.filter(
        event__in=events, status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITING]
    )
    per_day = (
        counted.annotate(day=TruncDate("confirmed_at"))
        .values_list("event", "event__country", "day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for pk, code, day, count in per_day:
        figures.by_day[pk][day] = count
        figures.by_action[pk] += count
        figures.by_country[pk][code] = figures.by_country[pk].get(code, 0) + count
    return figures


def _sources(organisation) -> dict[str, int]:
    found = (
        Signature.objects.confirmed()
        .filter(petition__organisation=organisation)
        .aggregate(
            by_partner=Count("pk", filter=Q(partner__isnull=False)),
            by_themselves=Count("pk", filter=Q(partner__isnull=True)),
        )
    )
    return {PARTNER: found["by_partner"], DIRECT: found["by_themselves"]}


def report_csv(organisation):
    """The report as a CSV, one figure a row (what, action, day or country or source, count);
    every cell through core.csv (formulas neutralised), the export in the audit trail."""
    header = [_("Figure"), _("Action"), _("Day, country or source"), _("Count")]
    found = report(organisation)
    rows = []
    kinds = (
        (_("Signatures"), found.signatures),
        (_("Letters"), found.letters),
        (_("RSVPs"), found.rsvps),
    )
    for what, figures in kinds:
        for pk, title in figures.titles.items():
            rows.append([what, title, _("Total"), figures.by_action[pk]])
            rows += [
                [what, title, day.isoformat(), n] for day, n in sorted(figures.by_day[pk].items())
            ]
            rows += [
                [what, title, country_name(code), n]
                for code, n in sorted(figures.by_country[pk].items())
            ]
    rows.append([_("Signatures"), "", _("Through a partner's link"), found.sources[PARTNER]])
    rows.append([_("Signatures"), "", _("Direct"), found.sources[DIRECT]])
    rows.append([_("People who share their details with it"), "", "", found.people])
    record_export(organisation, "organisation report CSV")
    return streaming_csv(f"report-{organisation.pk}.csv", header, rows)


def page(organisation) -> dict:
    """The report page's context: the figures and their charts, drawn by petitions.charts
    in the reader's language and direction (numbers and dates in their format)."""
    found = report(organisation)
    rtl = get_language_bidi()
    end = timezone.now().date()

    def by_country(figures):
        return charts.country_bars(
            [(country_name(code), n) for code, n in figures.countries()[:TOP_COUNTRIES]], rtl=rtl
        )

    return {
        "report": found,
        "signatures_total": sum(found.signatures.by_action.values()),
        "letters_total": sum(found.letters.by_action.values()),
        "rsvps_total": sum(found.rsvps.by_action.values()),
        "actions": [
            (_("Petition"), found.signatures.titles[pk], n)
            for pk, n in found.signatures.by_action.items()
        ]
        + [
            (_("Letter campaign"), found.letters.titles[pk], n)
            for pk, n in found.letters.by_action.items()
        ]
        + [(_("Event"), found.rsvps.titles[pk], n) for pk, n in found.rsvps.by_action.items()],
        "signatures_by_day": charts.timeline(found.signatures.days(), end=end, rtl=rtl),
        "letters_by_day": charts.timeline(found.letters.days(), end=end, rtl=rtl),
        "signatures_by_country": by_country(found.signatures),
        "letters_by_country": by_country(found.letters),
        "rsvps_by_day": charts.timeline(found.rsvps.days(), end=end, rtl=rtl),
        "rsvps_by_country": by_country(found.rsvps),
        "by_source": charts.country_bars(
            [
                (_("Through a partner's link"), found.sources[PARTNER]),
                (_("Direct"), found.sources[DIRECT]),
            ],
            rtl=rtl,
        ),
    }
