"""Finding events: the search form of the day-of-action and event-finder pages, and the
grouping by country and city with their counts."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Count, Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tadamun.core.forms import CountryChoiceField, any_country
from tadamun.events.models import Event, Rsvp
from tadamun.places import maps
from tadamun.places import services as places

# Local clocks run from 12 hours behind UTC to 14 ahead: a date in some venue's zone begins
# at most 14 hours before that date begins in UTC and ends at most 12 hours after it ends.
EARLIEST_OFFSET = timedelta(hours=14)
LATEST_OFFSET = timedelta(hours=12)


class EventSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    city = forms.CharField(
        label=_("City"),
        required=False,
        max_length=100,
        help_text=_("In any language, e.g. Köln, Cologne or كولونيا."),
    )
    country = CountryChoiceField(required=False, choices=any_country)
    kind = forms.ChoiceField(
        label=_("Kind of event"),
        required=False,
        choices=[("", _("All kinds")), *Event.Kind.choices],
    )
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[
            MinValueValidator(date(2000, 1, 1)),
            MaxValueValidator(date(2999, 12, 31)),
        ],
    )

    def __init__(self, *args, days=None, **kwargs):
        super().__init__(*args, **kwargs)
        if days is not None:
            self.fields["day"] = forms.ModelChoiceField(
                label=_("Day of action"),
                queryset=days,
                required=False,
                to_field_name="slug",
                empty_label=_("All days of action"),
            )
            self.order_fields(["day"])

    @property
    def filtered(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())

    @property
    def searches_nothing(self) -> bool:
        """Nothing asked for (unknown parameters such as ?x=1 ask for nothing either)."""
        return not self.is_bound or (self.is_valid() and not self.filtered)


def matching(events, form: EventSearchForm) -> list[Event]:
    """The events that answer the search, soonest first; all of them when the form is empty
    or invalid (its errors are shown beside the fields)."""
    events = events.annotate(
        attendees=Count("rsvps", filter=Q(rsvps__status=Rsvp.Status.GOING))
    ).select_related("place", "organisation")
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("day"):
        events = events.filter(day=data["day"])
    if data.get("q"):
        words = data["q"]
        events = events.filter(
            Q(title__icontains=words)
            | Q(description__icontains=words)
            | Q(city__icontains=words)
            | Q(place__in=places.cities_named(words))
        )
    if data.get("city"):
        named = places.cities_named(data["city"])
        events = events.filter(Q(place__in=named) | Q(city__iexact=data["city"]))
    if data.get("country"):
        events = events.filter(country=data["country"])
    if data.get("kind"):
        events = events.filter(kind=data["kind"])
    if on := data.get("date"):
        # Narrow in the database, then keep what starts on that date in the venue's zone.
        midnight = datetime.combine(on, time(), tzinfo=UTC)
        events = events.filter(
            starts_at__gte=midnight - EARLIEST_OFFSET,
            starts_at__lt=midnight + timedelta(days=1) + LATEST_OFFSET,
        )
        return [event for event in events if event.local_start.date() == on]
    return list(events)


@dataclass
class Group:
    """Events in one country or city, with their counts."""

    name: str
    code: str = ""
    anchor: str = ""
    query: str = ""
    events: list = field(default_factory=list)
    cities: list = field(default_factory=list)

    @property
    def attendees(self) -> int:
        return sum(event.attendees for event in self.events)


def by_country_and_city(events: list[Event], query=None) -> list[Group]:
    """Events by country, then by city: the gazetteer's city when the name resolved (so
    "Köln" and "Cologne" are one), else the name as typed."""
    ordered = sorted(events, key=lambda e: (e.country.name, e.starts_at))
    countries = []
    for country, in_country in groupby(ordered, key=lambda e: e.country):
        group = Group(name=country.name, code=country.code, events=list(in_country))
        by_city = {}
        for event in group.events:
            key = event.place_id or event.city.casefold()
            by_city.setdefault(key, Group(name=event.city_name)).events.append(event)
        group.cities = sorted(by_city.values(), key=lambda city: city.name.casefold())
        for number, city in enumerate(group.cities, 1):
            city.anchor = f"city-{country.code}-{number}"
            place = next((event.place for event in city.events if event.place), None)
            name = place.name if place else city.name  # finds every name the city is typed by
            city.query = _narrowed(query, country=country.code, city=name)
        countries.append(group)
    return countries


def _narrowed(query, **choices) -> str:
    """The search's query string with `choices` set: a link to one city's events."""
    narrowed = QueryDict(mutable=True)
    for key in EventSearchForm.base_fields.keys() | {"day"}:
        if query and query.get(key) and key not in choices:
            narrowed[key] = query[key]
    narrowed.update(choices)
    return narrowed.urlencode()


def map_markers(groups: list[Group]) -> maps.Framed:
    """One circle per city with events the gazetteer placed, linking to its part of the list."""
    points = []
    for country in groups:
        for city in country.cities:
            place = next((event.place for event in city.events if event.place), None)
            if place is None:
                continue
            count = len(city.events)
            label = ngettext("%(city)s: %(count)s event", "%(city)s: %(count)s events", count) % {
                "city": city.name,
                "count": count,
            }
            points.append((place.latitude, place.longitude, label, f"#{city.anchor}", count))
    return maps.framed(maps.markers(points))
